"""The register as a spreadsheet: the same columns for export and import (CSV or XLSX).

Import is all-or-nothing with every bad row listed (the admin shows a preview first); a row names an
account by platform and handle or link, so importing again updates it rather than adding it twice.
Imported accounts are existing, running accounts: they enter the register as active."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from accounts_registry.models import Account, AccountKind, AccountStatus, PostingFrequency
from accounts_registry.platforms import Platform, identify
from accounts_registry.services import validate_account
from core.spreadsheet import protect, unprotect
from organisation.models import ServiceArea, User, Ward
from organisation.resources import CodeOrNameWidget


class ChoiceWidget(widgets.Widget):
    """A choice by its value or its label, whatever the case: “x”, “X (Twitter)”, “Facebook”."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return None
        for choice_value, label in self.choices.choices:
            if text in (choice_value.lower(), str(label).lower()):
                return choice_value
        allowed = ", ".join(str(label) for _, label in self.choices.choices)
        raise ValueError(f"“{value}” is not one of: {allowed}.")

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class PersonByEmailWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(User, "email", **kwargs)

    def clean(self, value, row=None, **kwargs):
        email = str(value or "").strip()
        if not email:
            return None
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise ValueError(f"Nobody with the email address {email} is in the list of people.")
        return person


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = ["yes", "y", "true", "1", "on"]
    FALSE_VALUES = ["no", "n", "false", "0", "off"]

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE_VALUES:
            return True
        if text in self.FALSE_VALUES or text == "":
            return False
        raise ValueError(f"Write yes or no, not “{value}”.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


def _field(attribute, column, widget=None, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=column, widget=widget or widgets.CharWidget(), **kwargs
    )


class AccountResource(resources.ModelResource):
    platform = _field("platform", "platform", ChoiceWidget(Platform))
    handle = _field("handle", "handle")
    profile_url = _field("profile_url", "profile_url")
    display_name = _field("display_name", "display_name")
    kind = _field("kind", "kind", ChoiceWidget(AccountKind))
    service_area = _field("service_area", "service_area", CodeOrNameWidget(ServiceArea))
    ward = _field("ward", "ward", CodeOrNameWidget(Ward))
    purpose = _field("purpose", "purpose")
    audience = _field("audience", "audience")
    responsible_officer = _field("responsible_officer", "responsible_officer", PersonByEmailWidget())
    deputy = _field("deputy", "deputy", PersonByEmailWidget())
    managed_by_comms = _field("managed_by_comms", "managed_by_comms", YesNoWidget())
    posting_frequency = _field("posting_frequency", "posting_frequency", ChoiceWidget(PostingFrequency))
    review_required = _field("review_required", "review_required", YesNoWidget())
    response_time_hours = _field("response_time_hours", "response_time_hours", widgets.IntegerWidget())
    two_factor_enabled = _field("two_factor_enabled", "two_factor_enabled", YesNoWidget())
    credentials_location = _field("credentials_location", "credentials_location")
    status = fields.Field(
        attribute="status", column_name="status", readonly=True, widget=ChoiceWidget(AccountStatus)
    )
    last_activity_at = fields.Field(
        attribute="last_activity_at", column_name="last_activity", readonly=True, widget=widgets.DateWidget()
    )

    class Meta:
        model = Account
        fields = [
            "platform",
            "handle",
            "profile_url",
            "display_name",
            "kind",
            "service_area",
            "ward",
            "purpose",
            "audience",
            "responsible_officer",
            "deputy",
            "managed_by_comms",
            "posting_frequency",
            "review_required",
            "response_time_hours",
            "two_factor_enabled",
            "credentials_location",
            "status",
            "last_activity_at",
        ]
        export_order = fields
        import_id_fields = []
        skip_unchanged = False
        clean_model_instances = False  # validate_account() is the one place the rules live

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            row[key] = unprotect(row[key]) if isinstance(row[key], str) else row[key]

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return protect(value) if isinstance(value, str) else value

    def get_instance(self, instance_loader, row):
        try:
            platform = ChoiceWidget(Platform).clean(row.get("platform"))  # a code or a label, as exported
            handle, link = (unprotect(str(row.get(k) or "")) for k in ("handle", "profile_url"))
            identity = identify(platform, handle, link)
        except (ValidationError, ValueError):
            return None  # reported with the row's other errors by import_instance
        return Account.objects.filter(platform=platform, handle_key=identity.key).first()

    def init_instance(self, row=None):
        return Account(status=AccountStatus.ACTIVE)  # an existing account, not a request

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk and instance.is_closed:
            raise ValidationError(
                f"{instance} is {instance.get_status_display().lower()}: it can no longer be changed."
            )
        if not instance.platform:
            raise ValidationError({"platform": "Give the platform."})
        if not getattr(instance, "responsible_officer_id", None):
            raise ValidationError({"responsible_officer": "Give the responsible officer's email address."})
        for name in ("display_name", "purpose", "audience"):
            if not getattr(instance, name):
                raise ValidationError({name: "This column cannot be empty."})
        validate_account(instance)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.version += 1

    def get_export_queryset(self, request=None):
        return Account.objects.select_related("service_area", "ward", "responsible_officer", "deputy")
