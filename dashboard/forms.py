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
