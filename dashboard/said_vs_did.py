"""What people said in the latest questionnaire, beside what the records show, for each practice the
questionnaire asks about and the service records. The said figure is the questionnaire report's own
(surveys.figures counts it in SQL): the share of respondents answering "yes", over those who answered.
Questionnaires are not answered per service area, so the said figure is always the whole council's."""

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef

from dashboard.indicators import Dashboard, share


@dataclass(frozen=True)
class Figure:
    count: int | None
    base: int | None
    percent: Decimal | None


@dataclass(frozen=True)
class Comparison:
    practice: str
    question: str  # the questionnaire's question code
    measure: str  # what the did figure counts
    said: Figure
    did: Figure


# practice, question code, the indicator (or extra count) that measures it, what that counts
PRACTICES = [
    (
        "Reviewing posts before they go out",
        "reviews_posts",
        "review.approved_before_publication_share",
        "Posts and replies published in the period (urgent ones apart) approved before publication",
    ),
    (
        "Reviewing replies to the public before they go out",
        "responses_reviewed",
        "responses:replies_reviewed",
        "Replies published in the period (urgent ones apart) approved before publication",
    ),
    (
        "Replying within agreed response times",
        "agreed_response_times",
        "responses.within_target_share",
        "Messages from the public answered within the account's agreed response time",
    ),
    (
        "Using standard responses",
        "standard_responses",
        "responses.standard_response_share",
        "Replies published in the period that started from a standard response",
    ),
    (
        "Blocking members of the public",
        "blocked_anyone",
        "blocking:accounts_blocking",
        "Open accounts with a block recorded in the period",
    ),
]
QUESTIONS = [code for _, code, _, _ in PRACTICES]


def latest_questionnaire():
    """The newest questionnaire asking any of the practice questions and with answers counted."""
    if not apps.is_installed("surveys"):
        return None
    from surveys.models import Question, Questionnaire, Response, ResponseStatus

    asks = Question.objects.filter(questionnaire=OuterRef("pk"), code__in=QUESTIONS)
    answered = Response.objects.filter(questionnaire=OuterRef("pk"), status=ResponseStatus.SUBMITTED)
    return (
        Questionnaire.objects.filter(Exists(asks), Exists(answered))
        .order_by(F("opens_on").desc(nulls_last=True), "-created_at", "-pk")
        .first()
    )


def _said(report, code: str) -> Figure:
    if report is None:  # no questionnaire with answers, or no surveys app
        return Figure(None, None, None)
    from surveys.report import ALL

    question = report.group(ALL).question(code)
    if question is None:
        return Figure(None, None, None)
    yes = next((o for o in question.options if o.code == "yes"), None)
    count = yes.count if yes else 0
    return Figure(count, question.base, share(count, question.base))


def _did(dashboard: Dashboard, key: str) -> Figure:
    if ":" in key:
        section_code, name = key.split(":")
        section = next((s for s in dashboard.sections if s.code == section_code), None)
        if section is None or name not in section.extra:
            return Figure(None, None, None)
        count, base = section.extra[name]
        return Figure(count, base, share(count, base))
    indicator = dashboard.indicators().get(key)
    if indicator is None:
        return Figure(None, None, None)
    return Figure(indicator.count, indicator.base, indicator.value)


def said_vs_did(dashboard: Dashboard) -> tuple[object | None, list[Comparison]]:
    """The questionnaire used (or None) and one comparison per practice."""
    questionnaire = latest_questionnaire()
    report = None
    if questionnaire is not None:
        from surveys.selectors import questionnaire_report

        report = questionnaire_report(questionnaire, texts=False)
    return questionnaire, [
        Comparison(practice, code, measure, _said(report, code), _did(dashboard, key))
        for practice, code, key, measure in PRACTICES
    ]


def accounts_blocking(period, area) -> tuple[int, int]:
    """(open accounts with a block starting in the period, open accounts): one query."""
    from accounts_registry.models import Account
    from blocking.models import Block

    accounts = Account.objects.open()
    if area is not None:
        accounts = accounts.filter(service_area=area)
    blocked = Block.objects.filter(period.days("blocked_on"), account=OuterRef("pk"))
    found = accounts.aggregate(base=Count("pk"), blocking=Count("pk", filter=Exists(blocked)))
    return found["blocking"], found["base"]
