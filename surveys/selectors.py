"""Reading questionnaires: their structure as plain values, the report, and who sees what."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import CharField, Count, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Lower

from organisation.models import User
from surveys.definition import OptionSpec, QuestionnaireSpec, QuestionSpec
from surveys.figures import CACHE_SECONDS, figures_key, tallies_for
from surveys.models import Audience, Invitation, Option, Question, Questionnaire, Response, ResponseStatus
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
                minimum=q.minimum,
                maximum=q.maximum,
                decimals=q.decimals,
            )
            for q in questions
        ),
    )


def counted_responses(questionnaire: Questionnaire) -> QuerySet[Response]:
    """Sent and not voided: what every figure and export is made from."""
    return questionnaire.responses.counted()


def invited_per_audience(questionnaire: Questionnaire) -> dict[str, int]:
    rows = questionnaire.invitations.values("audience").annotate(n=Count("pk"))
    return {row["audience"]: row["n"] for row in rows}


def questionnaire_report(
    questionnaire: Questionnaire, spec: QuestionnaireSpec | None = None, *, texts: bool = True
) -> Report:
    """The full report (nothing withheld): the command prints it, pages withhold small groups.
    texts=False leaves out the free-text answers, for those who may not see them anyway."""
    spec = spec or questionnaire_spec(questionnaire)
    if texts:
        return build_report(
            spec, tallies_for(questionnaire, spec, texts=True), invited_per_audience(questionnaire)
        )

    key = figures_key(questionnaire, spec)

    def build() -> Report:
        report = build_report(
            spec, tallies_for(questionnaire, spec, texts=False), invited_per_audience(questionnaire)
        )
        report.cached_as = key
        return report

    # Without the free text the report holds nothing personal: it is kept whole, invitations too,
    # under the figures' key (surveys.figures), which moves with every change to either.
    return cache.get_or_set(f"{key}:report", build, CACHE_SECONDS)


def free_text_answers(questionnaire: Questionnaire, code: str, audience: str | None = None) -> QuerySet:
    """The counted responses' answers to one free-text question (of one audience, or everyone's),
    as strings: those the report counts (a non-empty string; surveys.figures), in alphabetical order,
    which says nothing about who answered when. For the Communications team only
    (QUESTIONNAIRE_ACTIONS "comments"): never cached, as they are personal data."""
    rows = counted_responses(questionnaire).annotate(
        kind=Func(KeyTransform(code, "answers"), function="jsonb_typeof", output_field=CharField()),
        text=KeyTextTransform(code, "answers"),
    )
    rows = rows.filter(kind="string").exclude(text="")
    if audience:
        rows = rows.filter(audience=audience)
    return rows.order_by(Lower("text"), "text", "pk").values_list("text", flat=True)


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.filter(questionnaire=OuterRef("pk")).order_by().values("questionnaire")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


def questionnaires_with_counts(user) -> QuerySet[Questionnaire]:
    """Those the person may see, newest first, with invitations and counted responses (one subquery
    each, no row blow-up)."""
    return (
        Questionnaire.objects.visible_to(user)
        .annotate(invited=_count(Invitation.objects.all()), submitted=_count(Response.objects.counted()))
        .order_by(F("opens_on").desc(nulls_first=True), "-created_at")
    )


def invitations_of(person: User) -> QuerySet[Invitation]:
    """A person's own invitations, newest questionnaire first, with their response if started."""
    return (
        Invitation.objects.visible_to(person)
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
    """For Comms: per audience, how many were invited, sent their answers (voided or not), are
    part-way through, were reminded."""
    in_progress = ResponseStatus.IN_PROGRESS
    rows = {
        row["audience"]: row
        for row in questionnaire.invitations.values("audience").annotate(
            invited=Count("pk"),
            submitted=Count("pk", filter=Q(response__isnull=False) & ~Q(response__status=in_progress)),
            in_progress=Count("pk", filter=Q(response__status=in_progress)),
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
