"""Reading questionnaires: their structure as plain values, the report, and who sees what."""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organisation.models import User
from surveys.definition import OptionSpec, QuestionnaireSpec, QuestionSpec
from surveys.models import Audience, Invitation, Option, Question, Questionnaire, Response
from surveys.report import Report, build_report


def questionnaire_spec(questionnaire: Questionnaire) -> QuestionnaireSpec:
    """The structure in three queries (questionnaire, questions, options), whatever its size."""
    questions = (
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("show_if_question")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .order_by("position")
    )
    return QuestionnaireSpec(
        slug=questionnaire.slug,
        title=questionnaire.title,
        description=questionnaire.description,
        audiences=tuple(questionnaire.audiences),
        opens_on=questionnaire.opens_on,
        closes_on=questionnaire.closes_on,
        questions=tuple(
            QuestionSpec(
                code=q.code,
                text=q.text,
                hint=q.hint,
                type=q.type,
                required=q.required,
                audiences=tuple(q.audiences),
                options=tuple(OptionSpec(o.code, o.label) for o in q.options.all()),
                show_if=(q.show_if_question.code, q.show_if_equals) if q.show_if_question_id else None,
            )
            for q in questions
        ),
    )


def submitted_responses(questionnaire: Questionnaire) -> QuerySet[Response]:
    return questionnaire.responses.filter(submitted_at__isnull=False)


def invited_per_audience(questionnaire: Questionnaire) -> dict[str, int]:
    rows = questionnaire.invitations.values("audience").annotate(n=Count("pk"))
    return {row["audience"]: row["n"] for row in rows}


def questionnaire_report(questionnaire: Questionnaire, spec: QuestionnaireSpec | None = None) -> Report:
    """The full report (nothing withheld): the command prints it, pages withhold small groups."""
    spec = spec or questionnaire_spec(questionnaire)
    answers = submitted_responses(questionnaire).values_list("audience", "answers")
    return build_report(spec, answers.iterator(), invited_per_audience(questionnaire))


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.filter(questionnaire=OuterRef("pk")).order_by().values("questionnaire")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


def questionnaires_with_counts() -> QuerySet[Questionnaire]:
    """Newest first, with invitations and sent responses counted (one subquery each, no row blow-up)."""
    return Questionnaire.objects.annotate(
        invited=_count(Invitation.objects.all()),
        submitted=_count(Response.objects.filter(submitted_at__isnull=False)),
    ).order_by(F("opens_on").desc(nulls_first=True), "-created_at")


def invitations_of(person: User) -> QuerySet[Invitation]:
    """A person's own invitations, newest questionnaire first, with their response if started."""
    return (
        Invitation.objects.filter(person=person)
        .select_related("questionnaire", "response")
        .order_by("-questionnaire__opens_on", "-questionnaire__created_at")
    )


@dataclass
class AudienceProgress:
    audience: str
    label: str
    invited: int
    submitted: int
    in_progress: int
    reminded: int

    @property
    def not_started(self) -> int:
        return self.invited - self.submitted - self.in_progress


def invitation_progress(questionnaire: Questionnaire) -> list[AudienceProgress]:
    """For Comms: per audience, how many were invited, answered, are part-way through, were reminded."""
    rows = {
        row["audience"]: row
        for row in questionnaire.invitations.values("audience").annotate(
            invited=Count("pk"),
            submitted=Count("pk", filter=Q(response__submitted_at__isnull=False)),
            in_progress=Count("pk", filter=Q(response__isnull=False, response__submitted_at__isnull=True)),
            reminded=Count("pk", filter=Q(reminded_at__isnull=False)),
        )
    }
    progress = []
    for audience in questionnaire.audiences:
        row = rows.get(audience, {})
        progress.append(
            AudienceProgress(
                audience=audience,
                label=Audience(audience).label,
                invited=row.get("invited", 0),
                submitted=row.get("submitted", 0),
                in_progress=row.get("in_progress", 0),
                reminded=row.get("reminded", 0),
            )
        )
    return progress
