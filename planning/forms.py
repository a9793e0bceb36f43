from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms

from content_review.models import Campaign
from core.dates import GovukDateField
from organisation.models import User


def _helper(*layout, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.layout = Layout(*layout, Button("submit", submit))
    return helper


class CampaignForm(forms.ModelForm):
    """A campaign's name, dates and what it is for; Comms also choose its owner (`may_set_owner`)."""

    starts_on = GovukDateField(
        label="First day", name="the campaign's first day", help_text="For example, 1 12 2026"
    )
    ends_on = GovukDateField(
        label="Last day", name="the campaign's last day", help_text="For example, 2 1 2027"
    )

    class Meta:
        model = Campaign
        fields = ["name", "description", "starts_on", "ends_on", "service_area", "owner"]
        labels = {
            "name": "Name",
            "description": "What it is for (optional)",
            "service_area": "Service area (optional)",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Enter the campaign's name"},
            "owner": {"required": "Choose its owner"},
        }

    def __init__(self, *args, may_set_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_set_owner:
            self.fields["owner"].queryset = (
                User.objects.current().filter(is_active=True).order_by("first_name", "last_name")
            )
        else:
            del self.fields["owner"]
        self.helper = _helper(*self.fields, submit="Save campaign")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day must be the same as or after the first day")
        return data


class PostsForm(forms.Form):
    """Which of the drafts offered are in the campaign: a bounded list of checkboxes."""

    drafts = forms.MultipleChoiceField(
        label="Posts in this campaign", required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drafts"].choices = choices
        self.helper = _helper("drafts", submit="Save posts")


class ApproveTogetherForm(forms.Form):
    """The drafts the page showed, each with the revision shown ("12:3"), so nothing sent since is
    approved unseen."""

    shown = forms.CharField(widget=forms.HiddenInput, max_length=5_000)

    def revisions(self) -> dict[int, int]:
        found = {}
        for pair in self.cleaned_data["shown"].split(",")[:200]:
            draft, _, revision = pair.partition(":")
            if draft.isdigit() and revision.isdigit():
                found[int(draft)] = int(revision)
        return found
