from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms

from core.validators import no_control_characters


class SubjectAccessForm(forms.Form):
    handle = forms.CharField(
        label="Their handle or name",
        max_length=200,
        help_text="As it appears on the platform, for example @jo_bloggs.",
        validators=[no_control_characters],
        error_messages={"required": "Enter their handle or name"},
    )
    platform = forms.ChoiceField(label="Platform", required=False)

    def __init__(self, *args, **kwargs):
        from accounts_registry.platforms import Platform

        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", "Any platform"), *Platform.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "handle",
            "platform",
            Button("find", "Find"),
            Button.secondary("download", "Download everything (zip)"),
        )
