"""How long questionnaires keep who answered what (core.contributions: retention).

Twelve months (RETENTION_MONTHS["answers"]) after a questionnaire closes, each response loses its
free-text answers (each becomes the marker, so the number of text answers stays) and its link to the
respondent (their address and their invitation). The counts, percentages and averages are untouched:
the choices, numbers and rankings stay, and so does each response's audience and status. Responses
are not in the audit trail (surveys.models.Response), so only the response rows change; each
anonymised response leaves a core Redaction record, as every redaction does."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from core.contributions import RetentionRule
from core.models import Redaction
from core.redaction import MARKER
from surveys.figures import figures_changed
from surveys.models import QuestionType, Response
from surveys.selectors import questionnaire_spec

REMOVED_PREFIX = f"{MARKER} "


def responses_due(cutoff: datetime) -> QuerySet:
    return Response.objects.filter(questionnaire__closes_on__lt=cutoff.date()).exclude(
        respondent__startswith=REMOVED_PREFIX
    )


def response_anonymise(response: Response, *, rule: str = "answers", by=None, reason="") -> int:
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("questionnaire").get(pk=response.pk)
        if locked.respondent.startswith(REMOVED_PREFIX):
            return 0
        texts = {
            q.code for q in questionnaire_spec(locked.questionnaire).questions if q.type == QuestionType.TEXT
        }
        answers = {
            code: (MARKER if code in texts and isinstance(value, str) and value else value)
            for code, value in locked.answers.items()
        }
        Redaction.objects.create(
            by=by,
            rule=rule,
            reason=reason or "Its retention period ended.",
            kind="free-text answers and who gave them",
            record=Response._meta.label_lower,
            record_id=str(locked.pk),
            fields=["answers", "respondent", "invitation"],
            rows=1,
        )
        # One response per respondent is a unique constraint: each keeps a distinct, meaningless name.
        Response.objects.filter(pk=locked.pk).update(
            answers=answers, respondent=f"{REMOVED_PREFIX}{locked.pk}", invitation=None
        )
        # The counts stay (a text answer becomes the marker, still an answer), but the figures are
        # counted again from what is stored now rather than trusted to come out the same.
        figures_changed(locked.questionnaire_id)
    return 1


RETENTION = [
    RetentionRule(
        code="answers",
        label="Free-text questionnaire answers, and who gave each set of answers",
        after="after the questionnaire closed",
        reason=(
            "Long enough to follow up what people said; the counts, percentages and averages stay, "
            "without who answered."
        ),
        default_months=12,
        due=responses_due,
        anonymise=lambda response: response_anonymise(response),
    )
]
