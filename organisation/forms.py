from datetime import timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone

from notifications.models import Notification
from notifications.services import password_reset_queue
from organisation.models import PRIVILEGED_ROLES, Role, User


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account can no longer sign in. Contact the Communications team if this is wrong.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        # GOV.UK pattern: no autofocus, so keyboard users meet the skip link and heading first.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("username", "password", Button("submit", "Sign in"))


RESET_EMAILS_PER_HOUR = 3


def recent_reset_emails(person) -> int:
    """Counted in the outbox (shared by every process), not in a per-process cache."""
    since = timezone.now() - timedelta(hours=1)
    return Notification.objects.filter(
        recipient=person, kind=Notification.Kind.PASSWORD_RESET, created_at__gte=since
    ).count()


class OutboxPasswordResetForm(PasswordResetForm):
    """Sends the reset email through the outbox, so a mail server outage delays it but never loses it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("email", Button("submit", "Send me a reset link"))

    def get_users(self, email):
        """Everyone who may sign in, including people who have not chosen a password yet (the HR
        import, the admin and create_comms_user make people without one: this is how they choose
        it; Django's own form leaves them out). The email goes to the stored address, never to
        what was typed."""
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def save(self, **kwargs) -> None:
        """Queue a reset email for the person with this address, if there is one. Django's save()
        would write the link now; the outbox writes a fresh one when it sends (see
        notifications.services.password_reset_queue), so no link is ever stored."""
        for person in self.get_users(self.cleaned_data["email"]):
            if recent_reset_emails(person) < RESET_EMAILS_PER_HOUR:
                password_reset_queue(person=person)
            # Over the limit the page still says "check your email": nothing to learn, nothing to flood.


class MarkLeftForm(forms.Form):
    left_on = forms.DateField(
        label="Date they left",
        help_text="For example, 25 11 2026. Leave as today if you are not sure.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "left_on", Button("submit", "Mark as left", css_class="govuk-button--warning")
        )


class PersonAddForm(forms.ModelForm):
    """A new person: no password here. They choose one through “I have forgotten my password”."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "job_title"]

    def save(self, commit=True):
        person = super().save(commit=False)
        person.email = person.email.lower()
        person.set_unusable_password()
        if commit:
            person.save()
        return person


def _helper(*layout, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout, Button("submit", submit))
    return helper


class RoleGrantRequestForm(forms.Form):
    role = forms.ChoiceField(label="Which role", widget=forms.RadioSelect, choices=[])
    reason = forms.CharField(
        label="Why they need it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The member of the Communications team who confirms it reads this.",
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (r.value, r.label) for r in Role if r in PRIVILEGED_ROLES and r not in person.role_names
        ]
        self.helper = _helper("role", "reason", submit="Ask a second person to confirm")


class RoleGrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("confirm", "Confirm: give them the role"), ("refuse", "Refuse")],
    )
    comment = forms.CharField(
        label="Comments",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you refuse it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("decision", "comment", submit="Save decision")
