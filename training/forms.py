"""Forms for the training pages. Each only checks what was typed; the services decide the rules.
crispy-forms-gds writes labels and legends unescaped (choices it escapes), so people's names in a
label are escaped here."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils.html import escape

from core.templatetags.dates import govuk_date, govuk_datetime
from training.imports import MAX_BYTES
from training.models import Course, TrainingRequest
from training.services import Outcome

MAX_TEXT = 2000


def _helper(*layout, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout, Button("submit", submit))
    return helper


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "govuk-input govuk-input--width-20"},
        format="%Y-%m-%dT%H:%M",
    )


class RequestForm(forms.Form):
    course = forms.ModelChoiceField(
        label="Which course would you like?",
        queryset=Course.objects.none(),
        required=False,
        blank=True,
        widget=forms.RadioSelect,
        empty_label="Something else: I describe it below",
    )
    need = forms.CharField(
        label="What do you need, in your own words? (optional if you chose a course)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, what you find hard, or what you would like to be able to do.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True).order_by("title")
        self.helper = _helper(
            Field.radios("course", legend_size=Size.MEDIUM), Field.textarea("need"), submit="Send the request"
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str = "Reason", hint: str = "", submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        self.helper = _helper(Field.textarea("reason"), submit=submit)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session) -> str:
        where = session.place or "Online"
        return f"{session.course}: {govuk_datetime(session.starts_at)}, {where}"


class ScheduleForm(forms.Form):
    session = SessionChoiceField(
        label="Which session?", queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.helper = _helper(Field.radios("session", legend_size=Size.MEDIUM), submit="Offer this session")


class CourseChoiceForm(forms.Form):
    course = forms.ModelChoiceField(label="Course", queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True).order_by("title")
        self.helper = _helper(Field.select("course"), submit="Continue")


class RequestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, request: TrainingRequest) -> str:
        asked = f"{request.requester} ({request.asked_as}), asked {govuk_date(request.created_at)}"
        return f"{asked}: “{request.need}”" if request.need else asked


class SessionForm(forms.Form):
    starts_at = LocalDateTimeField(label="Starts", help_text="For example, 26/11/2026 09:30.")
    place = forms.CharField(
        label="Place (optional if online)",
        required=False,
        max_length=200,
        help_text="For example, Committee Room 2, Town Hall.",
    )
    online_link = forms.URLField(
        label="Online link (optional if in person)",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=200,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )
    trainer = forms.CharField(label="Trainer", max_length=150)
    requests = RequestChoiceField(
        label="Offer it to these requests",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each person is told, with a link to book a place.",
    )

    def __init__(self, *args, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = waiting
        fields = ["starts_at", "place", "online_link", "capacity", "trainer"]
        if waiting.exists():
            fields.append(Field.checkboxes("requests", legend_size=Size.SMALL, small=True))
        else:
            del self.fields["requests"]
        self.helper = _helper(*fields, submit="Arrange the session")


class AttendanceForm(forms.Form):
    """One question per person booked: attended, did not attend, or had cancelled."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for booking in bookings:
            name = f"booking_{booking.pk}"
            self.fields[name] = forms.ChoiceField(
                label=escape(str(booking.person)),
                choices=Outcome.CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether {booking.person} attended"},
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True, small=True))
        self.helper = _helper(*layout, submit="Save attendance")

    def outcomes(self) -> dict[int, str]:
        return {int(name.removeprefix("booking_")): value for name, value in self.cleaned_data.items()}


class ImportForm(forms.Form):
    completions = forms.FileField(
        label="Upload a CSV file of completions",
        help_text="UTF-8 or Excel's “CSV (Comma delimited)”, up to 2 MB. The file is checked and shown to "
        "you before anything is saved.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("completions"), submit="Check the file")

    def clean_completions(self):
        upload = self.cleaned_data["completions"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file (.csv)")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2MB")
        return upload.read()


class ConfirmImportForm(forms.Form):
    """The checked file, sent back with the confirmation; it is checked again before it is saved."""

    data = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES, strip=False)
