from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from accounts_registry.models import Account, ActivityCheck
from core.dates import GovukDateField
from organisation.models import User

REQUEST_FIELDS = [
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
    "posting_frequency",
    "two_factor_enabled",
    "credentials_location",
]
COMMS_FIELDS = [*REQUEST_FIELDS, "managed_by_comms", "review_required", "response_time_hours"]


def _helper(*layout, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout, Button("submit", submit))
    return helper


def name_the_errors(form: forms.BaseForm, required: dict[str, str]) -> None:
    """Every message says which question it is about ("Enter the account's display name"), as the
    GOV.UK error summary needs: never a bare "This field is required."."""
    for name, field in form.fields.items():
        label = str(field.label or name.replace("_", " "))
        field.error_messages.update(
            required=required.get(name, f"Enter {label[0].lower()}{label[1:]}"),
            invalid_choice=f"Choose {label[0].lower()}{label[1:]} from the list",
            max_length=f"{label} must be %(limit_value)d characters or fewer",
            min_value=f"{label} must be %(limit_value)s or more",
            max_value=f"{label} must be %(limit_value)s or less",
        )
        if isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = f"{label} must be a whole number, like 16"
        elif isinstance(field, forms.URLField):
            field.error_messages["invalid"] = (
                f"{label} must be a web address, like https://x.com/NorthfieldCC"
            )


def number_input(width: int) -> dict:
    """A whole number typed the GOV.UK way: a text box that brings up the number keypad."""
    return {"class": f"govuk-input govuk-input--width-{width}", "inputmode": "numeric", "spellcheck": "false"}


def person_label(person: User) -> str:
    """A person in a list of choices: who they are, what they do and where (their roles loaded)."""
    where = person.service_area or person.ward or "no service area"
    return f"{person} ({person.roles_display or 'no role'}, {where})"


def people_choices():
    """People who work here now, with what person_label shows loaded in the same few queries."""
    return (
        User.objects.current()
        .filter(is_active=True)
        .select_related("service_area", "ward")
        .with_roles()
        .order_by("last_name", "first_name", "pk")
    )


class AccountForm(forms.ModelForm):
    """Request, register or edit an account. Which fields appear depends on who is editing; the
    service re-checks every rule, so a hand-made POST cannot get round them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    profile_url = forms.URLField(
        label="Profile link",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text="The account's page, for example https://x.com/NorthfieldCC.",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),  # crispy-gds styles text inputs only
    )

    REQUIRED = {
        "platform": "Choose the account's platform",
        "display_name": "Enter the account's display name",
        "kind": "Choose what kind of account it is",
        "purpose": "Enter what the account is for",
        "audience": "Enter who the account is for",
        "responsible_officer": "Choose the person responsible for the account",
        "posting_frequency": "Choose how often the account is expected to post",
        "response_time_hours": "Enter the agreed response time in working hours",
    }

    class Meta:
        model = Account
        fields = COMMS_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "response_time_hours": forms.TextInput(attrs=number_input(4)),
        }

    def __init__(self, *args, allowed_fields: list[str], submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in allowed_fields and name != "version":
                del self.fields[name]
        # Nobody is chosen for the user: the lists start empty, and say who each person is.
        empty = {
            "platform": "Choose a platform",
            "service_area": "Choose a service area",
            "ward": "No ward",
            "responsible_officer": "Choose a person",
            "deputy": "No deputy",
        }
        for name, label in empty.items():
            if name not in self.fields:
                continue
            field = self.fields[name]
            if name in ("responsible_officer", "deputy"):
                field.queryset = people_choices()
                field.label_from_instance = person_label
            if hasattr(field, "empty_label"):
                field.empty_label = label
            else:
                field.choices = [("", label), *[c for c in field.choices if c[0]]]
        if "handle" in self.fields:
            self.fields[
                "handle"
            ].help_text = "For example, @NorthfieldCC. You can leave it blank if you give the link."
        self.initial.setdefault("version", self.instance.version)
        name_the_errors(self, self.REQUIRED)
        self.helper = _helper(*[n for n in self.fields if n != "version"], "version", submit=submit)

    def clean_version(self):
        return self.cleaned_data.get("version") or self.instance.version

    def _post_clean(self):
        # Model validation (unique identity, platform rules, people) runs in the service, which
        # reports errors by field; the form only checks types here.
        pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the account"), ("reject", "Decline the request")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you decline: the person who asked will see it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_the_errors(self, {"decision": "Choose whether to approve the account or decline the request"})
        self.helper = _helper("decision", "reason", submit="Save decision")


class StatusForm(forms.Form):
    action = forms.ChoiceField(label="What do you want to do?", widget=forms.RadioSelect, choices=[])
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions
        name_the_errors(self, {"action": "Choose what to do with the account"})
        self.helper = _helper("action", "reason", submit="Save")


class ActivityCheckForm(forms.ModelForm):
    checked_on = GovukDateField(
        label="Date of the check", name="the date of the check", help_text="For example, 27 3 2026"
    )
    last_post_on = GovukDateField(
        label="Date of the latest post",
        name="the date of the latest post",
        required=False,
        help_text="Leave it blank if you could not see one.",
    )

    class Meta:
        model = ActivityCheck
        fields = ["checked_on", "posts_last_30_days", "last_post_on", "followers", "notes"]
        widgets = {
            "posts_last_30_days": forms.TextInput(attrs=number_input(4)),
            "followers": forms.TextInput(attrs=number_input(10)),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("checked_on", timezone.localdate())
        self.fields["notes"].max_length = 2000
        name_the_errors(
            self,
            {
                "checked_on": "Enter the date of the check",
                "posts_last_30_days": "Enter the number of posts in the last 30 days",
            },
        )
        self.helper = _helper(
            "checked_on",
            "posts_last_30_days",
            "last_post_on",
            "followers",
            "notes",
            submit="Record check",
        )


class ChooseAccountsForm(forms.Form):
    """Handover, first question: which of the person's accounts to hand over."""

    accounts = forms.MultipleChoiceField(
        label="Which accounts are handed over?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].choices = choices
        name_the_errors(self, {"accounts": "Choose at least one account to hand over"})
        self.helper = _helper(
            Field.checkboxes("accounts", legend_size=Size.MEDIUM, small=True), submit="Continue"
        )

    def clean_accounts(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["accounts"]]


class TransferForm(forms.Form):
    """Handover, second question: who takes the chosen accounts. Only people who may run every one
    of them are offered (services.people_who_may_run)."""

    to_person = forms.ModelChoiceField(
        label="Who takes them over?",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="Only people who may run every account chosen are listed: someone from its service "
        "area or ward, or the Communications team.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_person"]
        field.queryset = people
        field.label_from_instance = person_label
        name_the_errors(self, {"to_person": "Choose who takes the accounts over"})
        self.helper = _helper("to_person", submit="Hand them over")


NO_DEPUTY = "none"


class NewDeputiesForm(forms.Form):
    """Handover, when the new responsible officer was the account's deputy (or the other way round):
    who deputises now. One question per such account, answered on purpose: nothing is chosen for them."""

    def __init__(self, *args, accounts: list[tuple[Account, list[User]]], **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for account, people in accounts:
            name = f"deputy_{account.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Who becomes the deputy of {account.display_name} ({account.get_platform_display()})?",
                choices=[
                    ("", "Choose a person"),
                    (NO_DEPUTY, "No deputy for now"),
                    *[(str(p.pk), person_label(p)) for p in people],
                ],
            )
            self.fields[name].people = {str(p.pk): p for p in people}
            layout.append(name)
        name_the_errors(
            self,
            {
                f"deputy_{account.pk}": f"Choose who becomes the deputy of {account.display_name}"
                for account, _ in accounts
            },
        )
        self.helper = _helper(*layout, submit="Hand them over")

    def deputies(self) -> dict[int, User | None]:
        """Account id -> its new deputy (None: no deputy)."""
        chosen = {}
        for name, field in self.fields.items():
            value = self.cleaned_data[name]
            chosen[int(name.removeprefix("deputy_"))] = None if value == NO_DEPUTY else field.people[value]
        return chosen


class ImportForm(forms.Form):
    spreadsheet = forms.FileField(
        label="Upload a spreadsheet of accounts",
        help_text="A CSV file or an Excel workbook (.xlsx), up to 5MB and 20,000 accounts. Nothing is "
        "saved until you have checked what it will change.",
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        name_the_errors(self, {"spreadsheet": "Choose a CSV or Excel file to upload"})
        self.fields["spreadsheet"].error_messages["empty"] = "The selected file is empty"
        self.helper = _helper("spreadsheet", submit="Upload and preview")

    def clean_spreadsheet(self):
        upload = self.cleaned_data["spreadsheet"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV file or an Excel workbook (.xlsx)")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"The selected file must be smaller than {self.max_bytes // 2**20}MB")
        return upload
