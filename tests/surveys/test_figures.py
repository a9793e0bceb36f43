"""The report's figures counted in PostgreSQL (surveys.figures) are exactly those the report computed
in Python before, for any valid answers: that code is kept below as the reference. Any stored value
at all leaves the report standing, counted as not valid exactly when surveys.answers.is_valid says
so. And the cached counts follow every change that alters a figure."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import answers as A
from surveys.figures import count, figures_changed, tallies_for
from surveys.models import QuestionType as T
from surveys.models import Response, ResponseStatus
from surveys.report import (
    ALL,
    GROUP_LABELS,
    TWO_DP,
    GroupResult,
    OptionResult,
    QuestionResult,
    Report,
    _ratio,
    build_report,
    percent,
    report_json,
)
from surveys.selectors import questionnaire_report, questionnaire_spec
from surveys.services import response_void
from tests.surveys.helpers import make_questionnaire, respond

pytestmark = pytest.mark.django_db


# The report as it was computed before: every answer loaded into Python (surveys/report.py at eff0b78).


def reference_report(spec, responses, invited) -> Report:
    groups = []
    for key in [*spec.audiences, ALL]:
        members = [answers for audience, answers in responses if key in (ALL, audience)]
        if key == ALL:
            invited_count = sum(invited.get(a, 0) for a in spec.audiences) or None
        else:
            invited_count = invited.get(key) or None
        questions = [
            reference_question(q, [answers.get(q.code) for answers in members])
            for q in spec.questions
            if key == ALL or q.asked_of(key)
        ]
        groups.append(
            GroupResult(
                key=key,
                label=GROUP_LABELS[key],
                responses=len(members),
                invited=invited_count,
                response_rate=percent(len(members), invited_count) if invited_count else None,
                questions=questions,
            )
        )
    return Report(slug=spec.slug, title=spec.title, groups=groups)


def reference_question(question, values) -> QuestionResult:
    given = [v for v in values if v not in (None, "", [], {})]
    result = QuestionResult(code=question.code, text=question.text, type=question.type, base=len(given))
    if question.type in (T.YES_NO, T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
        for option in question.options:
            count_ = sum(1 for v in given if (option.code in v if isinstance(v, list) else v == option.code))
            result.options.append(
                OptionResult(option.code, option.label, count=count_, percent=percent(count_, result.base))
            )
    elif question.type == T.RANKING:
        n = len(question.options)
        result.max_score = n
        for option in question.options:
            weights = [n + 1 - ranks[option.code] for ranks in given if option.code in ranks]
            result.options.append(
                OptionResult(
                    option.code,
                    option.label,
                    ranked_by=len(weights),
                    weighted_average=_ratio(sum(weights), len(weights), TWO_DP),
                    weighted_average_all=_ratio(sum(weights), result.base, TWO_DP),
                )
            )
    elif question.type == T.NUMBER:
        result.mean = _ratio(sum(Decimal(str(v)) for v in given), len(given), TWO_DP)
    else:
        result.texts = sorted((str(v) for v in given), key=str.casefold)
    return result


# Valid answers to the pulse questionnaire, as the answering pages and the import store them.

CHOICE = st.sampled_from(["yes", "no"])
OFTEN = st.sampled_from(["daily", "weekly", "monthly"])
PLATFORMS = st.lists(st.sampled_from(["x", "facebook", "youtube"]), min_size=1, unique=True).map(
    lambda chosen: [code for code in ("x", "facebook", "youtube") if code in chosen]
)
RANKS = st.permutations(["a", "b", "c"]).flatmap(
    lambda order: st.integers(1, 3).map(
        lambda k: {code: rank for rank, code in enumerate(order[:k], start=1)}
    )
)
NUMBER = st.one_of(
    st.integers(-1000, 1000),
    st.decimals(-1000, 1000, places=2).map(lambda d: int(d) if d == int(d) else float(d)),
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=20).filter(
    str.strip
)
VALID = {
    "uses": CHOICE,
    "platforms": PLATFORMS,
    "often": OFTEN,
    "reviews": CHOICE,
    "rank": RANKS,
    "accounts": NUMBER,
    "comments": TEXT.map(str.strip),
}


@st.composite
def valid_response(draw):
    audience = draw(st.sampled_from(["officer", "councillor"]))
    answers = {code: draw(value) for code, value in VALID.items() if draw(st.booleans())}
    if audience == "councillor":
        answers.pop("reviews", None)  # asked of officers only
    return audience, answers


# Anything JSON can hold (jsonb refuses NUL in text, and NaN).
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(10**400)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c", "z"]), inner),
    max_leaves=6,
)


@pytest.fixture
def pulse():
    return make_questionnaire()


def _store(questionnaire, responses) -> None:
    when = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30))
    Response.objects.bulk_create(
        Response(
            questionnaire=questionnaire,
            respondent=f"r{n}@x.test",
            audience=audience,
            answers=answers,
            status=ResponseStatus.SUBMITTED,
            submitted_at=when,
        )
        for n, (audience, answers) in enumerate(responses)
    )
    figures_changed(questionnaire.pk)  # as the services do
    questionnaire.refresh_from_db(fields=["figures_version"])


def _texts(report: Report) -> list:
    return [(g.key, q.code, q.texts) for g in report.groups for q in g.questions]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    responses=st.lists(valid_response(), max_size=25),
    invited=st.fixed_dictionaries({"officer": st.integers(0, 40)}),
)
def test_the_figures_are_exactly_the_python_reports_for_any_valid_answers(pulse, responses, invited):
    spec = questionnaire_spec(pulse)
    for question in spec.questions:
        for _, answers in responses:
            if question.code in answers:
                assert A.is_valid(question, answers[question.code]), (question.code, answers)
    with transaction.atomic():
        _store(pulse, responses)
        counted = build_report(spec, tallies_for(pulse, spec, texts=True), invited)
        transaction.set_rollback(True)
    expected = reference_report(spec, responses, invited)
    assert report_json(counted) == report_json(expected)
    assert _texts(counted) == _texts(expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=st.lists(st.dictionaries(st.sampled_from(list(VALID)), JSON), min_size=1, max_size=8))
def test_any_stored_value_is_counted_or_counted_as_not_valid_never_a_failure(pulse, stored):
    spec = questionnaire_spec(pulse)
    with transaction.atomic():
        _store(pulse, [("officer", answers) for answers in stored])
        tallies = count(pulse.pk, spec)
        transaction.set_rollback(True)
    for question in spec.questions:
        given_ = [answers[question.code] for answers in stored if question.code in answers]
        tally = tallies["officer"].questions[question.code]
        valid = sum(A.is_valid(question, v) for v in given_)
        assert (tally.base, tally.invalid) == (valid, len(given_) - valid), (question.code, given_)


def test_the_demo_figures_come_out_of_sql_exactly_as_before():
    """The 2018 run's every figure, from the database and from the reference (see also test_demo)."""
    from organisation.demo import create_demo_council
    from surveys.demo import SLUG_2018, create_demo_surveys
    from surveys.models import Questionnaire
    from surveys.selectors import invited_per_audience

    create_demo_council()
    create_demo_surveys()
    questionnaire = Questionnaire.objects.get(slug=SLUG_2018)
    spec = questionnaire_spec(questionnaire)
    responses = list(questionnaire.responses.counted().values_list("audience", "answers"))
    expected = reference_report(spec, responses, invited_per_audience(questionnaire))
    assert report_json(questionnaire_report(questionnaire)) == report_json(expected)


# The cache: the counts are kept, and every change that alters a figure finds new ones.


def test_the_counts_are_cached_under_the_figures_version_and_each_change_finds_new_ones(
    pulse, people, django_assert_num_queries
):
    first = respond(pulse, {"uses": "yes"}, respondent="a@x.test")
    spec = questionnaire_spec(pulse)

    def tallies():
        pulse.refresh_from_db(fields=["figures_version"])  # as a request loads it
        return tallies_for(pulse, spec, texts=False)["officer"]

    assert tallies().responses == 1
    with django_assert_num_queries(0):  # nothing is counted: the figures come from the cache
        assert tallies_for(pulse, spec, texts=False)["officer"].responses == 1
    respond(pulse, {"uses": "no"}, respondent="b@x.test")
    assert tallies().responses == 2
    response_void(response=first, by=people["comms"], reason="A test.")
    assert tallies().questions["uses"].counts == {"yes": 0, "no": 1}
    respond(pulse, {"uses": "yes"}, respondent="c@x.test", submitted=False)  # in progress: not counted
    assert tallies().responses == 1


def test_a_version_rolled_back_is_never_given_again(pulse):
    """Figures cached inside a transaction that rolled back are never found under a later version."""
    with transaction.atomic():
        figures_changed(pulse.pk)
        pulse.refresh_from_db(fields=["figures_version"])
        rolled_back = pulse.figures_version
        transaction.set_rollback(True)
    figures_changed(pulse.pk)
    pulse.refresh_from_db(fields=["figures_version"])
    assert pulse.figures_version > rolled_back


def test_free_text_is_never_cached_and_read_only_for_comms(clients, pulse):
    from django.core.cache import cache

    for i in range(6):
        respond(pulse, {"uses": "no", "comments": f"Private note {i}"}, respondent=f"r{i}@x.test")
    clients["comms"].get(reverse("surveys:report", args=[pulse.slug]))
    cached = list(cache._cache.values())  # LocMemCache's pickled entries
    assert cached and not any(b"Private note" in pickled for pickled in cached)
    auditor = clients["auditor"].get(reverse("surveys:report", args=[pulse.slug])).content.decode()
    assert "Private note" not in auditor
