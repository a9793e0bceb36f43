"""Forms for questionnaire pages. Each only checks what was typed; the services decide the rules."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import escape

from organisation.models import Role, ServiceArea
from surveys import answers as A
from surveys.definition import QuestionSpec
from surveys.models import Audience, Questionnaire
from surveys.models import QuestionType as T

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _helper(*layout, submit: str | None, secondary: tuple[str, str] | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    buttons = [Button(name, label) for name, label in [("submit", submit)] if label]
    if secondary:
        buttons.append(Button.secondary(*secondary))
    helper.layout = Layout(*layout, *buttons)
    return helper


class AnswerForm(forms.Form):
    """One question on its own page. "Continue" checks a required question is answered; "Save and
    come back later" keeps whatever is valid so far.

    crispy-forms-gds writes labels, legends and hints with |safe, so every piece of the definition's
    text is escaped here, and shown exactly as written. Nothing from the definition goes into an HTML()
    layout object (crispy renders those as templates): the ranking hint is a template variable."""

    REQUIRED_MESSAGES = {
        T.YES_NO: "Select yes or no",
        T.SINGLE_CHOICE: "Select an answer",
        T.MULTIPLE_CHOICE: "Select at least one answer",
        T.RANKING: "Rank at least one option",
        T.NUMBER: "Enter a number",
        T.TEXT: "Enter your answer",
    }

    def __init__(self, *args, question: QuestionSpec, must_answer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.must_answer = must_answer and question.required
        kind, choices = question.type, [(o.code, escape(o.label)) for o in question.options]
        heading = {"legend_size": Size.LARGE, "legend_tag": "h1"}
        if kind in (T.YES_NO, T.SINGLE_CHOICE):
            self.fields["answer"] = forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, required=False
            )
            layout = [Field.radios("answer", inline=kind == T.YES_NO, **heading)]
        elif kind == T.MULTIPLE_CHOICE:
            self.fields["answer"] = forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, required=False
            )
            layout = [Field.checkboxes("answer", **heading)]
        elif kind == T.RANKING:
            ranks = [("", "Not ranked")] + [(str(n), str(n)) for n in range(1, len(choices) + 1)]
            for code, label in choices:
                self.fields[f"rank_{code}"] = forms.ChoiceField(label=label, choices=ranks, required=False)
            # The template is fixed; the hint is a variable, so it is escaped and never run.
            hint = [HTML('<div class="govuk-hint">{{ form.question.hint }}</div>')] if question.hint else []
            selects = [Field.select(f"rank_{code}") for code, _ in choices]
            layout = [Fieldset(*hint, *selects, legend=escape(question.text), **heading)]
        elif kind == T.NUMBER:
            self.fields["answer"] = forms.CharField(
                required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
            )
            layout = [Field.text("answer", label_size=Size.LARGE, label_tag="h1", field_width=5)]
        else:
            # crispy-forms-gds's character count expects aria-describedby to exist, even with no hint.
            self.fields["answer"] = forms.CharField(
                required=False,
                max_length=A.MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 5, "aria-describedby": ""}),
            )
            layout = [
                Field.textarea("answer", label_size=Size.LARGE, label_tag="h1", max_characters=A.MAX_TEXT)
            ]
        if "answer" in self.fields:
            self.fields["answer"].label = escape(question.text)
            self.fields["answer"].help_text = escape(question.hint)
        self.helper = _helper(*layout, submit="Continue", secondary=("save", "Save and come back later"))

    @property
    def first_field_id(self) -> str:
        return self[next(iter(self.fields))].auto_id

    def clean(self):
        data = super().clean()
        if self.question.type == T.RANKING:
            value = {code: data.get(f"rank_{code}") for code in self.question.option_codes}
        else:
            value = data.get("answer")
        field = "answer" if "answer" in self.fields else f"rank_{self.question.option_codes[0]}"
        try:
            data["value"] = A.clean(self.question, value)
        except A.NotANumber:
            self.add_error(
                field, "Enter a number, like 3 or 2.5" if self.question.decimals else "Enter a number, like 3"
            )
            return data
        except ValueError as exc:
            self.add_error(field, str(exc).rstrip("."))
            return data
        if data["value"] is None and self.must_answer:
            self.add_error(field, self.REQUIRED_MESSAGES[self.question.type])
        return data

    @classmethod
    def initial_for(cls, question: QuestionSpec, value) -> dict:
        if value is None:
            return {}
        if question.type == T.RANKING:
            return {f"rank_{code}": str(rank) for code, rank in value.items()}
        if question.type == T.NUMBER:
            return {"answer": A.format_number(value)}
        return {"answer": value}


class DefinitionUploadForm(forms.Form):
    definition = forms.FileField(
        label="Upload a definition file",
        help_text="A JSON file with slug, title, audiences and questions (see the README).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("definition"), submit="Load the questionnaire")

    def clean_definition(self):
        upload = self.cleaned_data["definition"]
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("The selected file must be a JSON file (.json)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload.read()


class ImportForm(forms.Form):
    responses = forms.FileField(
        label="Upload a CSV file of responses",
        help_text="UTF-8 or Excel's “CSV (Comma delimited)”. The file is checked first: if any line has a "
        "problem, nothing is imported and every problem is listed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("responses"), submit="Import responses")

    def clean_responses(self):
        upload = self.cleaned_data["responses"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file (.csv)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload.read()


class DatesForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "description", "opens_on", "closes_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("title", "description", "opens_on", "closes_on", submit="Save changes")

    def _post_clean(self):
        pass  # questionnaire_update() checks the dates


class CopyForm(forms.Form):
    slug = forms.SlugField(
        label="Short name for the new run",
        max_length=80,
        help_text="Lower-case letters, digits and hyphens, for example social-media-2026.",
    )
    title = forms.CharField(max_length=200)
    opens_on = forms.DateField(
        label="Opens on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label="Closes on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("slug", "title", "opens_on", "closes_on", submit="Make the copy")

    def clean_slug(self):
        return self.cleaned_data["slug"].lower()


class InviteForm(forms.Form):
    audience = forms.ChoiceField(
        label="Invite them as",
        widget=forms.RadioSelect,
        choices=[],
        help_text="Their answers are counted in this group.",
    )
    role = forms.ChoiceField(label="Role", required=False, choices=[])
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas",
        queryset=ServiceArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to invite everyone with the role, wherever they work.",
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [(a, Audience(a).label) for a in questionnaire.audiences]
        if len(questionnaire.audiences) == 1:
            self.initial.setdefault("audience", questionnaire.audiences[0])
        self.fields["role"].choices = [("", "Anyone in the service areas ticked")] + [
            (r.value, r.label) for r in Role
        ]
        self.helper = _helper(
            Field.radios("audience", legend_size=Size.SMALL),
            Field.select("role"),
            Field.checkboxes("service_areas", legend_size=Size.SMALL, small=True),
            submit="Send invitations",
        )


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(
        label="Earlier run", queryset=Questionnaire.objects.none(), to_field_name="slug", empty_label=None
    )
    second = forms.ModelChoiceField(
        label="Later run", queryset=Questionnaire.objects.none(), to_field_name="slug", empty_label=None
    )

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        runs = runs.order_by("opens_on", "created_at")
        self.fields["first"].queryset = runs
        self.fields["second"].queryset = runs
        self.helper = _helper(Field.select("first"), Field.select("second"), submit="Compare")


class ReasonForm(forms.Form):
    """Opening, closing or reopening a questionnaire by hand, or voiding a response: the reason is
    kept in its history."""

    reason = forms.CharField(
        label="Why?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept with the change, for anyone reading its history.",
        error_messages={"required": "Say why: the reason is kept in its history"},
    )

    def __init__(self, *args, submit: str, closing_date: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["reason"]
        if closing_date:
            self.fields["closes_on"] = forms.DateField(
                label="New closing date",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text="The last day answers are accepted. Leave it empty for no closing date.",
            )
            fields.append("closes_on")
        self.helper = _helper(*fields, submit=submit)
