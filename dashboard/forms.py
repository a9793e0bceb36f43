from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError

from core.dates import GovukDateField
from dashboard.indicators import MAX_MONTHS, Period


class OptionalDate(GovukDateField):
    """A date that may be left empty (all three boxes), for a filter."""

    def compress(self, data_list):
        return super().compress(data_list) if data_list and any(data_list) else None


class DashboardFilter(forms.Form):
    """The period and service area. `areas` is what the person may choose from: None means every
    service area and "All" (Comms and auditors); a head of service chooses among their own only."""

    start = OptionalDate(
        name="the first day", label="From", required=False, help_text="For example, 1 5 2026"
    )
    end = OptionalDate(name="the last day", label="To", required=False, help_text="For example, 30 4 2027")
    area = forms.ModelChoiceField(
        label="Service area",
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label="All service areas",
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        from organisation.models import ServiceArea

        field = self.fields["area"]
        if areas is None:
            field.queryset = ServiceArea.objects.order_by("name")
        else:
            field.queryset = areas
            field.required = True
            field.empty_label = None
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                *[Div(name, css_class="govuk-grid-column-one-third") for name in ("start", "end", "area")],
                css_class="govuk-grid-row",
            )
        )
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        end = data.get("end") or Period.default().end
        start = data.get("start") or Period.default(end).start
        if start > end:
            raise ValidationError({"start": "The first day must be on or before the last day"})
        period = Period(start, end)
        if len(period.months()) > MAX_MONTHS:
            raise ValidationError({"start": f"Choose a period of at most {MAX_MONTHS} months"})
        data["period"] = period
        return data


class ExportForm(DashboardFilter):
    """What to export. Those who may not read the audit trail are offered drafts only."""

    kind = forms.ChoiceField(label="What to export", widget=forms.RadioSelect)
    file_format = forms.ChoiceField(
        label="File",
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        widget=forms.RadioSelect,
        initial="csv",
    )
    record_model = forms.ChoiceField(label="Kind of record (audit trail of one record)", required=False)
    record_pk = forms.IntegerField(
        label="Its number (as in its address)", required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, audit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from django.apps import apps

        from core.contributions import governed_models
        from dashboard.models import ExportKind

        kinds = ExportKind.choices if audit else [(ExportKind.DRAFTS.value, ExportKind.DRAFTS.label)]
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        models = [apps.get_model(label) for label in sorted(governed_models())]
        self.fields["record_model"].choices = [("", "Choose a kind of record")] + [
            (m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in models
        ]
        if not audit:
            del self.fields["record_model"], self.fields["record_pk"]
        self.helper.layout = None
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("kind") == "audit_record" and not self.errors:
            from django.apps import apps

            label, pk = data.get("record_model"), data.get("record_pk")
            if not label or not pk:
                raise ValidationError({"record_pk": "Choose the kind of record and enter its number"})
            if not apps.get_model(label)._default_manager.filter(pk=pk).exists():
                raise ValidationError({"record_pk": "There is no such record"})
        return data
