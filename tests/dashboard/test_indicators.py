"""Each indicator against the value worked out by hand on the council in conftest.py."""

import datetime
from decimal import Decimal

import pytest

from dashboard.indicators import Period, compute
from tests.dashboard.conftest import PERIOD
from tests.factories import (
    AccountFactory,
    CompletionFactory,
    CourseFactory,
    PersonFactory,
    TrainingRequestFactory,
)
from training.models import Course, Requirement
from training.models import Responsibility as R

MAY, JUNE = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)


@pytest.fixture
def figures(council):
    return compute(PERIOD).indicators()


@pytest.fixture
def waste(council, service_area):
    return compute(PERIOD, service_area).indicators()


def value(figures, name):
    return figures[name].value


# --- register -----------------------------------------------------------------------------------


def test_register_accounts_by_platform_and_status(figures):
    assert value(figures, "register.accounts_by_platform_and_status") == {
        "x": {"active": 2, "closed": 1},
        "facebook": {"dormant": 1},
    }


def test_register_officer_in_post_share_is_two_of_three_open_accounts(figures, waste):
    assert (
        figures["register.officer_in_post_share"].count,
        figures["register.officer_in_post_share"].base,
    ) == (2, 3)
    assert value(figures, "register.officer_in_post_share") == Decimal("66.7")
    assert value(waste, "register.officer_in_post_share") == Decimal("50.0")


def test_register_deputy_share_is_one_of_three(figures):
    assert value(figures, "register.deputy_share") == Decimal("33.3")


def test_register_two_factor_share_is_two_of_three(figures, waste):
    assert value(figures, "register.two_factor_share") == Decimal("66.7")
    assert value(waste, "register.two_factor_share") == Decimal("50.0")


def test_register_dormant_and_below_agreed_frequency(figures, waste):
    assert value(figures, "register.dormant") == 1
    assert value(figures, "register.below_agreed_frequency") == 1
    assert value(figures, "register.open_accounts") == 3
    assert value(waste, "register.open_accounts") == 2


# --- review -------------------------------------------------------------------------------------


def test_review_published_posts_and_replies(figures, waste):
    assert value(figures, "review.published_posts") == 3
    assert value(figures, "review.published_replies") == 1
    assert figures["review.published_posts"].trend == [(MAY, 1), (JUNE, 2)]
    assert value(waste, "review.published_posts") == 2  # the urgent post was on the libraries' account


def test_review_approved_before_publication_share_urgent_apart(figures):
    indicator = figures["review.approved_before_publication_share"]
    assert (indicator.count, indicator.base, indicator.value) == (2, 3, Decimal("66.7"))
    assert indicator.trend == [(MAY, Decimal("100.0")), (JUNE, Decimal("50.0"))]


def test_review_urgent_published_and_reviewed_after(figures, waste):
    assert value(figures, "review.urgent_published") == 1
    assert value(figures, "review.urgent_reviewed_after_share") == Decimal("100.0")
    assert value(waste, "review.urgent_reviewed_after_share") is None  # no base: null


def test_review_approved_during_pre_election_counts_the_one_may_post_so_marked(council):
    from content_review.models import Draft

    assert value(compute(PERIOD).indicators(), "review.approved_during_pre_election") == 0
    # P1, published on 10 May, was approved while a pre-election period covered its account; the April
    # post so marked is outside the period.
    marked = Draft.objects.filter(status="published", published_at__month__in=[4, 5])
    assert marked.update(approved_during_pre_election=True) == 2
    indicator = compute(PERIOD).indicators()["review.approved_during_pre_election"]
    assert indicator.value == 1
    assert indicator.trend == [(MAY, 1), (JUNE, 0)]


def test_review_median_hours_to_decision_of_4_10_and_1(figures):
    assert value(figures, "review.median_hours_to_decision") == Decimal("4.00")
    assert figures["review.median_hours_to_decision"].trend == [
        (MAY, Decimal("7.00")),
        (JUNE, Decimal("1.00")),
    ]


def test_review_sent_back_share_is_one_decision_in_three(figures):
    assert value(figures, "review.sent_back_share") == Decimal("33.3")
    assert figures["review.sent_back_share"].trend == [(MAY, Decimal("50.0")), (JUNE, Decimal("0.0"))]


# --- responses ----------------------------------------------------------------------------------


def test_responses_within_target_share_two_of_four_judged(figures):
    indicator = figures["responses.within_target_share"]
    assert (indicator.count, indicator.base, indicator.value) == (2, 4, Decimal("50.0"))
    assert indicator.trend == [(MAY, None), (JUNE, Decimal("50.0"))]


def test_responses_median_working_hours_of_4_3_and_10(figures):
    assert value(figures, "responses.median_working_hours") == Decimal("4.00")


def test_responses_p90_working_hours_interpolated(figures):
    # percentile_cont over 3, 4, 10: 4 + 0.8 * (10 - 4)
    assert value(figures, "responses.p90_working_hours") == Decimal("8.80")


def test_responses_breaches_kept_after_the_late_reply(figures):
    assert value(figures, "responses.breaches") == 2


def test_responses_no_reply_by_reason(figures):
    assert value(figures, "responses.no_reply_by_reason") == {
        "spam": 1,
        "abuse": 0,
        "answered_elsewhere": 0,
        "not_for_council": 0,
        "other": 0,
    }
    assert value(figures, "responses.no_reply_needed") == 1


def test_a_message_closed_without_a_reason_counts_as_other(council):
    from tests.dashboard.conftest import london
    from tests.factories import InboundMessageFactory

    InboundMessageFactory(
        account=council.a4,
        received_at=london(2026, 6, 11, 11),
        due_at=london(2026, 6, 12, 11),
        closed_at=london(2026, 6, 11, 12),
        closed_code="",
    )
    found = compute(PERIOD).indicators()
    assert value(found, "responses.no_reply_by_reason")["other"] == 1
    assert value(found, "responses.no_reply_needed") == 2


def test_responses_standard_response_share(figures):
    assert value(figures, "responses.standard_response_share") == Decimal("100.0")


# --- blocking -----------------------------------------------------------------------------------


def test_blocking_referrals_and_blocks(figures, waste):
    assert value(figures, "blocking.referrals") == 2
    assert value(figures, "blocking.blocks") == 2
    assert value(waste, "blocking.referrals") == 1
    assert figures["blocking.blocks"].trend == [(MAY, 1), (JUNE, 1)]


def test_blocking_blocks_with_reason_share_one_of_two(figures):
    assert value(figures, "blocking.blocks_with_reason_share") == Decimal("50.0")


def test_blocking_overdue_for_review(figures, waste):
    assert value(figures, "blocking.overdue_for_review") == 1
    assert value(waste, "blocking.overdue_for_review") == 1


# --- training -----------------------------------------------------------------------------------


@pytest.fixture
def trained(frozen, service_area):
    """One rule: a responsible officer needs RESPOND. Two open accounts' officers, one trained."""
    Requirement.objects.all().delete()
    Course.objects.all().delete()
    respond = CourseFactory(code="RESPOND", title="Responding to the public", validity_months=12)
    Requirement.objects.create(responsibility=R.RESPONSIBLE, course=respond)
    done = AccountFactory(service_area=service_area)
    AccountFactory(service_area=service_area)
    CompletionFactory(
        person=done.responsible_officer, course=respond, completed_on=datetime.date(2026, 5, 20)
    )
    asker = PersonFactory(service_area=service_area)
    TrainingRequestFactory(
        requester=asker, course=respond, created_at=datetime.datetime(2026, 5, 2, tzinfo=datetime.UTC)
    )
    TrainingRequestFactory(  # waited through May only
        requester=asker,
        course=CourseFactory(code="BLOCK", title="Blocking"),
        status="scheduled",
        created_at=datetime.datetime(2026, 5, 3, tzinfo=datetime.UTC),
        decided_at=datetime.datetime(2026, 6, 3, tzinfo=datetime.UTC),
    )


def test_training_fully_trained_share_one_of_two(trained):
    figures = compute(PERIOD).indicators()
    assert value(figures, "training.fully_trained_share") == Decimal("50.0")
    # At the end of May the completion (20 May) already counted; nothing before it in April.
    assert figures["training.fully_trained_share"].trend == [(MAY, Decimal("50.0")), (JUNE, Decimal("50.0"))]
    assert compute(Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))).indicators()[
        "training.fully_trained_share"
    ].value == Decimal("0.0")


def test_training_requests_waiting(trained):
    figures = compute(PERIOD).indicators()
    assert value(figures, "training.requests_waiting") == 1
    assert figures["training.requests_waiting"].trend == [(MAY, 2), (JUNE, 1)]
