from django.urls import reverse
from django.utils import timezone

from core.attention import AttentionItem
from surveys.models import Invitation, Questionnaire


def survey_items(user) -> list[AttentionItem]:
    """Invitees: questionnaires they can answer now and have not sent."""
    open_now = Questionnaire.objects.open_on(timezone.localdate())
    waiting = Invitation.objects.unanswered().filter(person=user, questionnaire__in=open_now).count()
    label = "questionnaire to answer" if waiting == 1 else "questionnaires to answer"
    return [
        AttentionItem(
            waiting, label, reverse("surveys:list"), "Your answers help the council use social media well."
        )
    ]
