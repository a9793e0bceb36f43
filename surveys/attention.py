from django.urls import reverse

from core.attention import AttentionItem
from surveys.models import Invitation, QuestionnaireStatus


def survey_items(user) -> list[AttentionItem]:
    """Invitees: questionnaires they can answer now and have not sent."""
    mine = Invitation.objects.visible_to(user).unanswered()
    waiting = mine.filter(questionnaire__status=QuestionnaireStatus.OPEN).count()
    label = "questionnaire to answer" if waiting == 1 else "questionnaires to answer"
    return [
        AttentionItem(
            waiting, label, reverse("surveys:list"), "Your answers help the council use social media well."
        )
    ]
