from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Fieldset, Layout
from django import forms

from accounts_registry.models import Account, ActivityCheck
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

    class Meta:
        model = Account
        fields = COMMS_FIELDS
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, allowed_fields: list[str], submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in allowed_fields and name != "version":
                del self.fields[name]
        people = User.objects.current().filter(is_active=True).order_by("last_name", "first_name")
        for name in ("responsible_officer", "deputy"):
            if name in self.fields:
                self.fields[name].queryset = people
                self.fields[name].label_from_instance = lambda p: f"{p}, {p.job_title or p.email}"
        if "handle" in self.fields:
            self.fields[
                "handle"
            ].help_text = "For example, @NorthfieldCC. You can leave it blank if you give the link."
        self.initial.setdefault("version", self.instance.version)
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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you decline: the person who asked will see it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("decision", "reason", submit="Save decision")


class StatusForm(forms.Form):
    action = forms.ChoiceField(label="What do you want to do?", widget=forms.RadioSelect, choices=[])
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions
        self.helper = _helper("action", "reason", submit="Save")


class ActivityCheckForm(forms.ModelForm):
    class Meta:
        model = ActivityCheck
        fields = ["checked_on", "posts_last_30_days", "last_post_on", "followers", "notes"]
        widgets = {
            "checked_on": forms.DateInput(attrs={"type": "date"}),
            "last_post_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Fieldset(*self.fields, legend=""), submit="Record check")


class TransferForm(forms.Form):
    to_person = forms.ModelChoiceField(
        label="Who takes the accounts over?",
        queryset=User.objects.none(),
        help_text="They become the responsible officer of every account listed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = User.objects.current().filter(is_active=True)
        self.helper = _helper("to_person", submit="Transfer all")
