import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts_registry.platforms import Platform
from content_review.models import MESSAGE_TEXT_MAX, TEXT_MAX, DraftImage, NoReplyReason, StandardResponse

COMMENT_MAX = 2_000


def _helper(*fields, submit: str, **button) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit, **button))
    return helper


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "govuk-input govuk-input--width-20"},
        format="%Y-%m-%dT%H:%M",
    )


class OneTimeToken(forms.Form):
    """A create form: its hidden one-time token makes a double-clicked submit create one record."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("token", uuid.uuid4())


class DraftForm(OneTimeToken):
    account = forms.ModelChoiceField(queryset=None, label="Account", empty_label=None)
    text = forms.CharField(
        label="Text",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The checks below run when you save.",
    )
    planned_for = LocalDateTimeField(
        label="Planned publication time (optional)",
        required=False,
        help_text="For example, 26/11/2026 09:30. Leave empty to publish when approved.",
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


class ImageForm(forms.ModelForm):
    """An image with its alternative text. Checked by content, not by name, and by size."""

    SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF87a": "gif", b"GIF89a": "gif"}

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
        upload = self.cleaned_data["image"]
        if upload.size > settings.CONTENT_IMAGE_MAX_BYTES:
            raise forms.ValidationError(
                f"The image must be smaller than {filesizeformat(settings.CONTENT_IMAGE_MAX_BYTES)}."
            )
        head = upload.read(16)
        upload.seek(0)
        kind = "webp" if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else None
        kind = kind or next((k for sig, k in self.SIGNATURES.items() if head.startswith(sig)), None)
        if kind is None:
            raise forms.ValidationError("The file must be a PNG, JPEG, GIF or WebP image.")
        # Stored under a name we choose, with the extension of what the file really is.
        upload.name = f"{uuid.uuid4().hex}.{kind}"
        return upload


class SubmitForm(forms.Form):
    """No fields: the action is the button. Exists so the page follows the one form pattern."""


class DecisionForm(forms.Form):
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


class PublishForm(forms.Form):
    published_url = forms.URLField(
        label="Link to the published post",
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    published_at = LocalDateTimeField(label="When it was published")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"published_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.helper = _helper("published_url", "published_at", submit="Record publication")


class UrgentForm(PublishForm, OneTimeToken):
    account = forms.ModelChoiceField(queryset=None, label="Account", empty_label=None)
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


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Add a comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "comment", submit="Add comment", css_class="govuk-button--secondary", data_action="comment"
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Why", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, submit: str = "Save", label: str = "Why", required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.helper = _helper("reason", submit=submit)


class NoReplyForm(forms.Form):
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


class InboundForm(OneTimeToken):
    account = forms.ModelChoiceField(queryset=None, label="Which account received it", empty_label=None)
    sender_handle = forms.CharField(label="Their handle or name", max_length=200)
    link = forms.URLField(
        label="Link to their message (optional)",
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    text = forms.CharField(
        label="What they said", max_length=MESSAGE_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_at = LocalDateTimeField(label="When it was received")

    def __init__(self, *args, accounts, **kwargs):
        kwargs.setdefault("initial", {"received_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.helper = _helper(*self.fields, submit="Record the message")


class StandardResponseForm(forms.ModelForm):
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Separate tags with commas, for example bins, missed collection.",
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
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "review_by": forms.DateInput(
                attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["tags"] = ", ".join(self.instance.tags or [])
        self.helper = _helper(*self.fields, submit="Save standard response")

    def clean_tags(self):
        return sorted({t.strip().lower() for t in self.cleaned_data["tags"].split(",") if t.strip()})
