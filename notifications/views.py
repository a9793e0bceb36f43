from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import form_page
from notifications.digest import EmailPreference, preference_set


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How do you want emails about work waiting for you?",
        choices=EmailPreference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text="Drafts to review and decisions on yours. Warnings about replies due soon, and sign-in "
        "links, always come at once.",
        error_messages={"required": "Choose how you want these emails"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("frequency", Button("submit", "Save"))


@require_http_methods(["GET", "POST"])
def email_preference(request):
    """Every signed-in person chooses for themselves: each email at once, or a daily digest."""
    current = EmailPreference.objects.filter(person=request.user).first()
    initial = {"frequency": current.frequency if current else EmailPreference.Frequency.IMMEDIATE}
    return form_page(
        request,
        PreferenceForm(request.POST or None, initial=initial),
        lambda data: preference_set(person=request.user, frequency=data["frequency"]),
        template="includes/simple_form.html",
        context={"heading": "How you get emails", "back_url": reverse("home")},
        success="Your choice is saved.",
        redirect_to=reverse("notifications:preference"),
    )
