import re
import uuid
from datetime import date, datetime, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts_registry.platforms import Platform
from content_review.models import MESSAGE_TEXT_MAX, TEXT_MAX, DraftImage, NoReplyReason, StandardResponse
from core.dates import GovukDateField
from core.uploads import IMAGES, check_upload
from core.validators import no_control_characters

COMMENT_MAX = 2_000


def _helper(*fields, submit: str, **button) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit, **button))
    return helper


class Worded:
    """Errors that name what is wrong, as the GOV.UK error summary reads them ("Enter the text of the
    post"), never a bare "This field is required.". `error_words` maps a field to its required message, or to
    a dict of messages by code; a too-long text always says which field and how long it may be."""

    error_words: dict[str, str | dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            words = self.error_words.get(name, {})
            field.error_messages.update({"required": words} if isinstance(words, str) else words)
            if getattr(field, "max_length", None) and field.label:
                label = str(field.label).removesuffix(" (optional)")
                field.error_messages.setdefault(
                    "max_length",
                    f"{label[0].upper()}{label[1:]} must be {field.max_length:,} characters or fewer "
                    "(it has %(show_value)s)",
                )


class DateTimeWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, and a time box (24-hour clock). A date typed
    whole under the field's own name is read too: 26/11/2026 17:00, or 2026-11-26T17:00."""

    template_name = "gds/widgets/date.html"
    WHOLE = [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d",
    ]

    def __init__(self, with_time: bool = True):
        boxes = [("Day", 2), ("Month", 2), ("Year", 4)] + ([("Time", 4)] if with_time else [])
        super().__init__(
            [
                forms.TextInput(
                    attrs={
                        "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                        "label": label,
                        "inputmode": "numeric",
                    }
                )
                for label, width in boxes
            ]
        )
        self.with_time = with_time

    def decompress(self, value):
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [value.day, value.month, value.year, f"{value:%H:%M}"]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None] * len(self.widgets)

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        whole = (data.get(name) or "").strip()[:30]
        if any(parts) or not whole:
            return parts
        for pattern in self.WHOLE:
            try:
                moment = datetime.strptime(whole, pattern)
            except ValueError:
                continue
            return [moment.day, moment.month, moment.year, f"{moment:%H:%M}"][: len(parts)]
        return [whole] + [""] * (len(parts) - 1)  # said to be not a real date


class DateTimeField(forms.MultiValueField):
    """A date and time (or a date, with_time=False) entered in the GOV.UK date input; the time is on the
    24-hour clock (17:00), in UK time. `what` completes "Enter …"; `noun` starts "… must include a day"."""

    TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")

    def __init__(self, *, what: str, noun: str, with_time: bool = True, **kwargs):
        self.what, self.noun, self.with_time = what, noun, with_time
        parts = ["day", "month", "year"] + (["time"] if with_time else [])
        fields = [
            forms.CharField(max_length=10, error_messages={"incomplete": f"{noun} must include a {part}"})
            for part in parts
        ]
        kwargs.setdefault(
            "help_text",
            "For example, 26 11 2026" + (" and 17:00 (24-hour clock)." if with_time else "."),
        )
        super().__init__(
            fields=fields,
            require_all_fields=False,
            widget=DateTimeWidget(with_time),
            error_messages={"required": f"Enter {what}", "incomplete": f"Enter {what}"},
            **kwargs,
        )

    def compress(self, values):
        if not values:
            return None
        day, month, year, *clock = values
        try:
            when = date(int(year), int(month), int(day))
        except (TypeError, ValueError):
            raise ValidationError(f"{self.noun} must be a real date, for example 26 11 2026") from None
        if not 2000 <= when.year <= 2100:
            raise ValidationError(f"{self.noun} must be in a year between 2000 and 2100")
        if not self.with_time:
            return when
        if not (hours := self.TIME.fullmatch(str(clock[0]).strip())):
            raise ValidationError(f"{self.noun} must have a time on the 24-hour clock, for example 17:00")
        return timezone.make_aware(datetime.combine(when, time(int(hours[1]), int(hours[2]))))


class OneTimeToken(forms.Form):
    """A create form: its hidden one-time token makes a double-clicked submit create one record."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("token", uuid.uuid4())


class DraftForm(Worded, OneTimeToken):
    error_words = {
        "account": "Choose the account it is for",
        "text": "Enter the text of the post",
        "planned_for": {"incomplete": "Enter the whole planned publication time, or leave it empty"},
    }

    account = forms.ModelChoiceField(queryset=None, label="Account", empty_label="Choose an account")
    text = forms.CharField(
        label="Text",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The checks below run when you save.",
    )
    planned_for = DateTimeField(
        label="Planned publication time (optional)",
        required=False,
        what="the planned publication time",
        noun="The planned publication time",
        help_text="For example, 26 11 2026 and 09:30 (24-hour clock). Leave it empty to post once approved.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if self.initial.get("version") is not None and data.get("version") is None:
            data["version"] = -1  # an edit posted without its version: treat it as stale, never as fresh
        return data

    def __init__(
        self, *args, accounts, show_account: bool = True, check_url: str = "", editing: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        if not show_account:
            del self.fields["account"]
        del self.fields["version" if not editing else "token"]
        if check_url:
            # With JavaScript, the checks run as the author types (htmx); without it, when they save.
            self.fields["text"].widget.attrs.update(
                {
                    "hx-post": check_url,
                    "hx-trigger": "input changed delay:700ms",
                    "hx-target": "#live-checks",
                    "hx-include": "closest form",
                    "hx-swap": "innerHTML",
                }
            )
        self.helper = _helper(*self.fields, submit="Save draft")


class ImageForm(Worded, forms.ModelForm):
    """An image with its alternative text. Checked by content and size, and re-encoded without its
    metadata (core.uploads)."""

    error_words = {"image": {"required": "Choose an image to add", "invalid": "Choose an image file to add"}}

    class Meta:
        model = DraftImage
        fields = ["image", "alt_text"]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].label = "Image (PNG, JPEG, GIF or WebP, up to 5 MB)"
        self.helper = _helper(
            "image", "alt_text", submit="Add image", css_class="govuk-button--secondary", data_action="image"
        )

    def clean_image(self):
        return check_upload(
            self.cleaned_data["image"], kinds=IMAGES, max_bytes=settings.CONTENT_IMAGE_MAX_BYTES
        )


class SubmitForm(forms.Form):
    """No fields: the action is the button. Exists so the page follows the one form pattern."""


class DecisionForm(Worded, forms.Form):
    error_words = {"decision": "Choose your decision: approve it, send it back or reject it"}

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve it"), ("changes", "Send it back for changes"), ("reject", "Reject it")],
    )
    comment = forms.CharField(
        label="Comments for the author",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you send it back or reject it.",
    )
    acknowledged = forms.MultipleChoiceField(
        label="Warnings you have considered", required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, warnings: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledged"].choices = warnings
        fields = ["decision", "comment"] + (["acknowledged"] if warnings else []) + ["revision"]
        if not warnings:
            del self.fields["acknowledged"]
        self.helper = _helper(*fields, submit="Save decision", data_action="decide")


class PublishForm(Worded, forms.Form):
    error_words = {
        "published_url": {
            "required": "Enter the link to the published post",
            "invalid": "Enter the link to the published post as a web address, starting https://",
        },
        "account": "Choose the account it was published on",
        "text": "Enter what was published",
        "reason": "Say why it could not wait for review",
    }

    published_url = forms.URLField(
        label="Link to the published post",
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    published_at = DateTimeField(
        label="When it was published", what="when it was published", noun="The publication time"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"published_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.helper = _helper("published_url", "published_at", submit="Record publication")


class UrgentForm(PublishForm, OneTimeToken):
    account = forms.ModelChoiceField(queryset=None, label="Account", empty_label="Choose an account")
    text = forms.CharField(
        label="What was published", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    reason = forms.CharField(
        label="Why it could not wait for review",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.helper = _helper(
            "account",
            "text",
            "reason",
            "published_url",
            "published_at",
            "token",
            submit="Record urgent publication",
            css_class="govuk-button--warning",
        )


class CommentForm(Worded, forms.Form):
    error_words = {"comment": "Enter your comment"}

    comment = forms.CharField(
        label="Add a comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "comment", submit="Add comment", css_class="govuk-button--secondary", data_action="comment"
        )


class ReasonForm(Worded, forms.Form):
    reason = forms.CharField(label="Why", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args,
        submit: str = "Save",
        label: str = "Why",
        required: bool = True,
        missing: str = "",
        **kwargs,
    ):
        self.error_words = {"reason": missing or "Say why"}
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.helper = _helper("reason", submit=submit)


class NoReplyForm(Worded, forms.Form):
    error_words = {"reason_code": "Choose why it needs no reply"}

    reason_code = forms.ChoiceField(
        label="Why does it need no reply?", choices=NoReplyReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="In your words (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed if you chose another reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason_code", "details", submit="Record that no reply is needed")


class InboundForm(Worded, OneTimeToken):
    error_words = {
        "account": "Choose the account that received it",
        "sender_handle": "Enter their handle or name",
        "link": {"invalid": "Enter the link to their message as a web address, starting https://"},
        "text": "Enter what they said",
    }

    account = forms.ModelChoiceField(
        queryset=None, label="Which account received it", empty_label="Choose an account"
    )
    sender_handle = forms.CharField(
        label="Their handle or name", max_length=200, validators=[no_control_characters]
    )
    link = forms.URLField(
        label="Link to their message (optional)",
        required=False,
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    text = forms.CharField(
        label="What they said", max_length=MESSAGE_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_at = DateTimeField(
        label="When it was received", what="when it was received", noun="The time it was received"
    )

    def __init__(self, *args, accounts, **kwargs):
        kwargs.setdefault("initial", {"received_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.helper = _helper(*self.fields, submit="Record the message")


class StandardResponseForm(Worded, forms.ModelForm):
    error_words = {
        "title": "Enter a title",
        "body": "Enter the words of the standard response",
        "owner": "Choose who owns it",
    }

    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=300,
        help_text="Separate tags with commas, for example bins, missed collection.",
    )
    review_by = DateTimeField(
        label="Review by",
        with_time=False,
        what="the date it must be checked by",
        noun="The review date",
        help_text="When the owner must check it is still right. For example, 26 11 2026.",
    )
    platforms = forms.MultipleChoiceField(
        label="Platforms it suits",
        required=False,
        choices=Platform.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked if it suits every platform.",
    )

    class Meta:
        model = StandardResponse
        fields = ["title", "body", "tags", "platforms", "owner", "review_by", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].empty_label = "Choose who owns it"
        self.initial["tags"] = ", ".join(self.instance.tags or [])
        self.helper = _helper(*self.fields, submit="Save standard response")

    def clean_tags(self):
        return sorted({t.strip().lower() for t in self.cleaned_data["tags"].split(",") if t.strip()})


class RedactForm(Worded, forms.Form):
    """Comms remove one piece of personal data (exactly as written) from a record and its history."""

    error_words = {
        "removed_text": "Enter the personal data to remove",
        "kind": "Choose what kind of data it is",
        "reason": "Say why it is being removed",
    }
    KINDS = [
        ("a phone number", "A phone number"),
        ("an email address", "An email address"),
        ("a postal address", "A postal address"),
        ("a name", "A name"),
        ("other personal data", "Something else"),
    ]

    removed_text = forms.CharField(
        label="The personal data, exactly as it is written",
        max_length=500,
        min_length=3,
        help_text="Every copy is replaced by “[removed]”: in the text, every earlier version, the history "
        "and emails not yet sent.",
        validators=[no_control_characters],
    )
    kind = forms.ChoiceField(label="What kind of data is it?", choices=KINDS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why is it being removed?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the resident asked for it to be removed. This is kept in the history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "removed_text", "kind", "reason", submit="Remove personal data", data_action="redact"
        )


# Approval chains and the pre-election period


def _emails(value: str) -> list[str]:
    return [e.strip().lower() for e in re.split(r"[\s,;]+", value or "") if e.strip()]


class ChainForm(Worded, forms.Form):
    """A chain's name, what it is for (when new), and up to MAX_CHAIN_STEPS steps, each "any one of"
    the roles ticked and the people listed."""

    error_words = {"name": "Enter a name for the chain"}

    name = forms.CharField(label="Name", max_length=120, validators=[no_control_characters])
    account = forms.ModelChoiceField(queryset=None, required=False, label="Account", empty_label="None")
    service_area = forms.ModelChoiceField(
        queryset=None, required=False, label="Or every account of a service area", empty_label="None"
    )
    campaign = forms.ModelChoiceField(
        queryset=None, required=False, label="Or a campaign", empty_label="None"
    )

    def __init__(self, *args, accounts, service_areas, campaigns, chain=None, **kwargs):
        from content_review.models import MAX_CHAIN_STEPS, StepRole

        if chain is not None:
            initial = {"name": chain.name}
            for step in chain.steps.all():
                initial[f"step_{step.position}_roles"] = step.roles
                initial[f"step_{step.position}_people"] = "\n".join(
                    m.person.email for m in step.members.all()
                )
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        scope = []
        if chain is None:
            self.fields["account"].queryset = accounts
            self.fields["service_area"].queryset = service_areas
            self.fields["campaign"].queryset = campaigns
            scope = ["account"] + (["service_area", "campaign"] if service_areas.exists() else [])
        for name in ("account", "service_area", "campaign"):
            if name not in scope:
                del self.fields[name]
        steps = []
        for n in range(1, MAX_CHAIN_STEPS + 1):
            self.fields[f"step_{n}_roles"] = forms.MultipleChoiceField(
                label=f"Step {n}: who may approve it",
                required=False,
                choices=StepRole.choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="Any one of them approves the step." if n == 1 else "Leave empty for no such step.",
            )
            self.fields[f"step_{n}_people"] = forms.CharField(
                label=f"Step {n}: or these people (email addresses, one a line)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            steps += [f"step_{n}_roles", f"step_{n}_people"]
        self.helper = _helper("name", *scope, *steps, submit="Save the chain", data_action="save-chain")

    def clean(self):
        from content_review.models import MAX_CHAIN_STEPS
        from organisation.models import User

        data = super().clean()
        steps = []
        for n in range(1, MAX_CHAIN_STEPS + 1):
            emails = _emails(data.get(f"step_{n}_people", ""))
            people = list(User.objects.filter(email__in=emails, is_active=True)) if emails else []
            if missing := sorted(set(emails) - {p.email.lower() for p in people}):
                self.add_error(f"step_{n}_people", f"Nobody here has the email address {', '.join(missing)}")
            steps.append({"roles": data.get(f"step_{n}_roles", []), "people": people})
        data["steps"] = steps
        return data


class PreElectionForm(Worded, forms.Form):
    error_words = {"wards": "Choose the wards, or say it is the whole council"}

    starts_on = GovukDateField(label="Starts on", name="the start date")
    ends_on = GovukDateField(label="Ends on", name="the end date")
    whole_council = forms.TypedChoiceField(
        label="Where",
        choices=[("yes", "The whole council"), ("no", "Only the wards chosen below")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Wards"
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args, period=None, **kwargs):
        from organisation.models import Ward

        if period is not None:
            kwargs.setdefault(
                "initial",
                {
                    "starts_on": period.starts_on,
                    "ends_on": period.ends_on,
                    "whole_council": "yes" if period.whole_council else "no",
                    "wards": list(period.wards.all()),
                    "note": period.note,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = Ward.objects.order_by("name")[:500]
        self.helper = _helper(
            "starts_on",
            "ends_on",
            "whole_council",
            "wards",
            "note",
            submit="Save the period",
            data_action="save-period",
        )


class PreElectionListsForm(Worded, forms.Form):
    parties = forms.CharField(
        label="Political parties (one a line)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    candidates = forms.CharField(
        label="Candidates (one a line)",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Councillors are already checked, from the people list.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("parties", "candidates", submit="Save the lists", data_action="save-lists")

    def clean(self):
        data = super().clean()
        for name in ("parties", "candidates"):
            data[name] = [line.strip() for line in data.get(name, "").splitlines() if line.strip()]
        return data
