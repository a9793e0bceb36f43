from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat

from accounts_registry.models import OPEN_STATUSES, Account, AccountStatus
from blocking.models import AppealChannel, AppealOutcome, Category, Outcome
from blocking.services import MAX_LINKS, TEXT_MAX
from core.uploads import EVIDENCE, check_upload

FILES_AT_ONCE = 5
MORE_INFORMATION = "more_information"


def _helper(*fields, submit: str, **button) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit, **button))
    return helper


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        # A browser's date picker reads and writes ISO dates, whatever the page's language.
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Up to FILES_AT_ONCE screenshots or PDFs, each checked by its content (core.uploads): the form
    says which is wrong and keeps everything else that was typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "accept": "image/*,.pdf"})
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Screenshots or PDFs (optional)")
        kwargs.setdefault(
            "help_text",
            f"PNG, JPEG, GIF or WebP images, or PDFs, up to "
            f"{filesizeformat(settings.BLOCKING_EVIDENCE_MAX_BYTES)} each, {FILES_AT_ONCE} at a time. "
            "Hidden details such as where a photo was taken are removed when they are saved.",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > FILES_AT_ONCE:
            raise ValidationError(f"Choose at most {FILES_AT_ONCE} files at a time.")
        checked = []
        for upload in uploads:
            super().clean(upload, initial)
            try:
                checked.append(
                    check_upload(upload, kinds=EVIDENCE, max_bytes=settings.BLOCKING_EVIDENCE_MAX_BYTES)
                )
            except ValidationError as exc:
                raise ValidationError(f"{upload.name}: {' '.join(exc.messages)}") from None
        return checked


class LinksField(forms.CharField):
    """Links to the posts or comments, one per line."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Links to the posts or comments (optional)",
            required=False,
            max_length=MAX_LINKS * 510,
            help_text=f"One link per line, up to {MAX_LINKS}.",
            widget=forms.Textarea(attrs={"rows": 3}),
            **kwargs,
        )

    def clean(self, value):
        links = [line.strip() for line in (super().clean(value) or "").splitlines() if line.strip()]
        if len(links) > MAX_LINKS:
            raise ValidationError(f"Give at most {MAX_LINKS} links.")
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            if len(link) > 500:
                raise ValidationError("Each link must be shorter than 500 characters.")
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(f"“{link[:80]}” is not a web address starting with https://.") from None
        return links


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, account: Account) -> str:
        closed = "" if account.status in OPEN_STATUSES else f" ({account.get_status_display().lower()})"
        return f"{account.display_name} · {account.get_platform_display()} {account.handle}{closed}"


def _accounts_field(user, initial_pk=None) -> AccountChoiceField:
    """Every account the person can see is accepted (a closed one is then refused by the service with
    a clear reason); only the open ones, and the one the referral started from, are offered."""
    visible = Account.objects.visible_to(user).exclude(
        status__in=[AccountStatus.REQUESTED, AccountStatus.REJECTED]
    )
    field = AccountChoiceField(
        queryset=visible.order_by("display_name", "platform"),
        label="The council account where it happened",
        empty_label="Choose an account",
    )
    offered = visible.filter(status__in=OPEN_STATUSES) | visible.filter(pk=initial_pk or 0)
    field.choices = [("", "Choose an account")] + [
        (account.pk, field.label_from_instance(account))
        for account in offered.order_by("display_name", "platform")
    ]
    return field


class PersonFields(forms.Form):
    """Who the member of the public is, on the account's platform."""

    person_handle = forms.CharField(
        label="Their handle or name",
        required=False,
        max_length=200,
        help_text="For example, @jo_bloggs. You can leave it blank if you give the link to their profile.",
    )
    person_profile_url = forms.URLField(
        label="Link to their profile",
        help_text="For example, https://x.com/jo_bloggs. Copy it from the address bar on their profile page.",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    categories = forms.MultipleChoiceField(
        label="What did they do?",
        help_text="Choose all that apply.",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of behaviour."},
    )


class ReferralForm(PersonFields):
    category_other = forms.CharField(label="If other, what did they do?", required=False, max_length=200)
    what_happened = _text(
        "What happened", help_text="When and where, and anything the Communications team should know."
    )
    quoted_text = _text(
        "What they wrote (optional)", required=False, help_text="Copy their words exactly, as evidence."
    )
    evidence_links = LinksField()
    files = EvidenceFilesField()
    warning_given = _yes_no("Have they been warned?")
    warned_on = _date("When were they warned?", required=False, help_text="Needed if they have been warned.")
    source_message_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, user, initial_account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"account": _accounts_field(user, initial_account), **self.fields}
        self.helper = _helper(*self.fields, submit="Send the referral")

    def clean(self):
        data = super().clean()
        if data.get("warning_given") and not data.get("warned_on"):
            self.add_error("warned_on", "Give the date they were warned.")
        if Category.OTHER in data.get("categories", []) and not data.get("category_other", "").strip():
            self.add_error("category_other", "Describe the other behaviour.")
        return data


class BlockRecordForm(PersonFields):
    reason = _text("Why did you block them?", help_text="There is no block without a recorded reason.")
    blocked_on = _date("When did you block them?")
    files = EvidenceFilesField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"account": _accounts_field(user), **self.fields}
        self.fields["categories"].label = "What had they done?"
        self.helper = _helper(*self.fields, submit="Record the block")


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[*Outcome.choices, (MORE_INFORMATION, "More information needed")],
    )
    reason = _text(
        "Reason",
        help_text="Kept with the case, and the person who referred sees it. "
        "If you need more information, say what.",
    )
    review_on = _date("For a block: review it on", required=False)

    def __init__(self, *args, asking_allowed: bool, review_help: str, **kwargs):
        super().__init__(*args, **kwargs)
        if not asking_allowed:
            self.fields["outcome"].choices = Outcome.choices
        self.fields["review_on"].help_text = review_help
        self.helper = _helper(*self.fields, submit="Save decision")


class InformationForm(forms.Form):
    information = _text("The information asked for")
    files = EvidenceFilesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.fields, submit="Send")


class ConfirmForm(forms.Form):
    review_on = _date("Review it on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("review_on", submit="Confirm the block")


class ReasonForm(forms.Form):
    reason = _text("Reason", help_text="The officer who recorded the block sees it.")

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", submit=submit)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Outcome of the review",
        widget=forms.RadioSelect,
        choices=[("keep", "Keep the block, and review it again later"), ("lift", "Lift the block")],
    )
    reason = _text("Reason")
    next_review_on = _date("If kept: next review on", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.fields, submit="Save the review")


class AppealForm(forms.Form):
    received_on = _date("When did it come?")
    channel = forms.ChoiceField(
        label="How did it come?", choices=AppealChannel.choices, widget=forms.RadioSelect
    )
    message = _text("What they said", help_text="Their words, or a summary of them.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.fields, submit="Log the appeal")


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=AppealOutcome.choices, widget=forms.RadioSelect)
    reply = _text("The reply sent to them")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.fields, submit="Save the answer")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="The block list (CSV)", widget=forms.FileInput(attrs={"accept": ".csv,text/csv"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file", submit="Check the file")


class ConfirmImportForm(forms.Form):
    content = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=2 * 1024 * 1024)


class PeriodForm(forms.Form):
    date_from = _date("From", required=False)
    date_to = _date("To", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end of the period must be after its start.")
        return data


class SubmitForm(forms.Form):
    """No fields: the action is the button."""
