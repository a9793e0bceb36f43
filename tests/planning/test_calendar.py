"""The calendar: only the drafts a person may see, its filters, gaps in the plan, and a bounded number
of queries whatever the month holds."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from content_review.models import D
from planning.selectors import gaps
from tests.factories import AccountFactory, DraftFactory
from tests.planning.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-11-16", 9)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def url(name: str) -> str:
    return reverse(f"planning:{name}")


def test_who_may_open_the_calendar(assert_statuses, accounts):
    for name in ("calendar", "month", "week"):
        assert_statuses(
            url(name),
            {
                "comms": 200,
                "officer": 200,
                "reviewer": 200,
                "head_of_service": 200,
                "auditor": 200,
                "councillor": 403,
                "outsider": 403,
            },
        )


def test_each_person_sees_only_the_drafts_they_may_see(clients, people, accounts):
    ours = DraftFactory(
        account=accounts["ours"], planned_for=at("2026-11-18"), text="Ours: bins on Wednesday"
    )
    theirs = DraftFactory(account=accounts["theirs"], planned_for=at("2026-11-18"), text="Theirs: story time")
    for persona, sees_ours, sees_theirs in [
        ("comms", True, True),
        ("auditor", True, True),
        ("officer", True, False),
        ("reviewer", True, False),
        ("head_of_service", True, False),
    ]:
        for name, query in [
            ("calendar", {}),
            ("month", {"month": "2026-11"}),
            ("week", {"week": "2026-11-18"}),
        ]:
            page = clients[persona].get(url(name), query).content.decode()
            assert (ours.text[:30] in page) is sees_ours, (persona, name)
            assert (theirs.text[:30] in page) is sees_theirs, (persona, name)
            if sees_ours:
                assert reverse("content:detail", args=[ours.pk]) in page


def test_the_list_groups_by_day_with_govuk_dates_and_24_hour_times(clients, accounts):
    DraftFactory(account=accounts["ours"], planned_for=at("2026-11-25", 17, 30), status=D.APPROVED)
    DraftFactory(account=accounts["ours"], planned_for=at("2026-11-25", 9, 5))
    DraftFactory(account=accounts["ours"], planned_for=at("2026-11-26", 14))
    page = clients["officer"].get(url("calendar")).content.decode()
    assert page.count("Wednesday 25 November 2026") == 1
    assert "Thursday 26 November 2026" in page
    assert "17:30" in page and "09:05" in page and "5:30 p.m." not in page
    assert page.index("09:05") < page.index("17:30") < page.index("Thursday 26 November 2026")


def test_what_is_on_the_calendar(clients, accounts):
    """Planned, approved and published drafts; not rejected or withdrawn ones, nor drafts with no time."""
    shown = {
        D.DRAFT: DraftFactory(account=accounts["ours"], planned_for=at("2026-11-20"), text="planned one"),
        D.APPROVED: DraftFactory(
            account=accounts["ours"], planned_for=at("2026-11-20"), status=D.APPROVED, text="approved one"
        ),
        D.PUBLISHED: DraftFactory(
            account=accounts["ours"], published_at=at("2026-11-20"), status=D.PUBLISHED, text="published one"
        ),
    }
    hidden = [
        DraftFactory(
            account=accounts["ours"], planned_for=at("2026-11-20"), status=D.REJECTED, text="rejected one"
        ),
        DraftFactory(
            account=accounts["ours"], planned_for=at("2026-11-20"), status=D.WITHDRAWN, text="withdrawn"
        ),
        DraftFactory(account=accounts["ours"], planned_for=None, text="no time yet"),
    ]
    page = clients["comms"].get(url("month"), {"month": "2026-11"}).content.decode()
    assert all(d.text in page for d in shown.values())
    assert not any(d.text in page for d in hidden)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"ours", "second", "theirs"}),
        ({"account": "ours"}, {"ours"}),
        ({"service_area": "other"}, {"theirs"}),
        ({"status": "approved"}, {"second"}),
    ],
)
def test_filters_narrow_the_calendar(clients, accounts, other_service_area, query, expected):
    DraftFactory(account=accounts["ours"], planned_for=at("2026-11-20"), text="post from ours")
    DraftFactory(
        account=accounts["second"], planned_for=at("2026-11-20"), status=D.APPROVED, text="post from second"
    )
    DraftFactory(account=accounts["theirs"], planned_for=at("2026-11-20"), text="post from theirs")
    if "account" in query:
        query = {"account": accounts[query["account"]].pk}
    if "service_area" in query:
        query = {"service_area": other_service_area.pk}
    for name in ("calendar", "month", "week"):
        page = clients["comms"].get(url(name), query).content.decode()
        assert {k for k in ("ours", "second", "theirs") if f"post from {k}" in page} == expected, name


@pytest.mark.parametrize(
    "query",
    [
        {"account": "99999999"},
        {"account": "x" * 5000},
        {"status": "nonsense"},
        {"month": "2026-13"},
        {"month": "99999-01"},
        {"week": "0001-01-01"},
        {"start": "not a date"},
        {"page": "-1"},
    ],
)
def test_bad_inputs_are_bounded_never_an_error(clients, accounts, query):
    for name in ("calendar", "month", "week"):
        assert clients["comms"].get(url(name), query).status_code == 200


def test_a_filter_the_person_may_not_use_finds_nothing(clients, accounts):
    DraftFactory(account=accounts["theirs"], planned_for=at("2026-11-20"), text="post from theirs")
    page = clients["officer"].get(url("calendar"), {"account": accounts["theirs"].pk}).content.decode()
    assert "post from theirs" not in page


def test_month_and_week_place_each_post_on_its_day(clients, accounts):
    DraftFactory(account=accounts["ours"], planned_for=at("2026-11-25", 23, 30), text="late evening post")
    page = clients["officer"].get(url("month"), {"month": "2026-11"}).content.decode()
    assert "November 2026" in page and "23:30" in page
    day = '{}<span class="govuk-visually-hidden"> November'
    cell = page[page.index(day.format(25)) : page.index(day.format(26))]
    assert "late evening post" in cell
    week = clients["officer"].get(url("week"), {"week": "2026-11-27"}).content.decode()
    assert "Week of 23 November 2026" in week
    row = week[week.index("Wednesday 25 November 2026") : week.index("Thursday 26 November 2026")]
    assert "late evening post" in row


def test_a_month_cell_shows_a_few_and_links_to_the_rest(clients, accounts):
    for minute in range(12):
        DraftFactory(account=accounts["ours"], planned_for=at("2026-11-20", 10, minute))
    page = clients["officer"].get(url("month"), {"month": "2026-11"}).content.decode()
    assert "and 4 more" in page and "start=2026-11-20" in page


# ---------------------------------------------------------------------------------------------------
# Gaps


def test_gaps_longer_than_the_agreed_frequency_stand_out(clients, people, accounts):
    accounts["ours"].posting_frequency = "weekly"
    accounts["ours"].save()
    accounts["second"].posting_frequency = "monthly"
    accounts["second"].save()
    # Weekly: posts on the 17th and the 20th, then nothing until the 30th (9 empty days).
    for day in ("2026-11-17", "2026-11-20", "2026-11-30"):
        DraftFactory(account=accounts["ours"], planned_for=at(day))
    DraftFactory(account=accounts["second"], planned_for=at("2026-11-18"))
    DraftFactory(account=accounts["second"], planned_for=at("2026-12-10"))  # 22 days: within a month
    found = gaps(people["officer"], datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert [(g.account.display_name, g.first, g.last) for g in found] == [
        ("Waste news", datetime.date(2026, 11, 21), datetime.date(2026, 11, 29))
    ]
    page = clients["officer"].get(url("month"), {"month": "2026-11"}).content.decode()
    assert "1 gap in the plan" in page
    assert "nothing planned from 21 November 2026 to 29 November 2026" in page
    assert "once a week" in page


def test_posts_exactly_at_the_agreed_frequency_leave_no_gap(people, accounts):
    accounts["ours"].posting_frequency = "weekly"
    accounts["ours"].save()
    for day in ("2026-11-16", "2026-11-23", "2026-11-30"):
        DraftFactory(account=accounts["ours"], planned_for=at(day))
    found = gaps(people["officer"], datetime.date(2026, 11, 16), datetime.date(2026, 11, 30))
    assert [g.account for g in found] == [accounts["second"]]  # the second account has nothing at all


def test_gaps_only_on_accounts_the_person_may_see_and_not_in_the_past(people, accounts):
    found = gaps(people["officer"], datetime.date(2026, 11, 1), datetime.date(2026, 12, 31))
    assert {g.account.display_name for g in found} == {"Waste news", "Recycling tips"}
    assert all(g.first == datetime.date(2026, 11, 16) for g in found)  # today, not the 1st
    assert gaps(people["officer"], datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)) == []
    assert "Library events" in {
        g.account.display_name
        for g in gaps(people["comms"], NOW.date(), NOW.date() + datetime.timedelta(days=30))
    }


def test_a_post_before_the_period_counts_and_so_does_one_after(people, accounts):
    accounts["ours"].posting_frequency = "monthly"
    accounts["ours"].save()
    only_ours = type(accounts["ours"]).objects.filter(pk=accounts["ours"].pk)
    december = (datetime.date(2026, 12, 1), datetime.date(2026, 12, 20))
    DraftFactory(account=accounts["ours"], planned_for=at("2026-12-24"))
    assert gaps(people["officer"], *december, only_ours) == []  # 1 to 23 December: 23 days
    DraftFactory(account=accounts["ours"], planned_for=at("2026-11-20"))
    found = gaps(people["officer"], *december, only_ours)  # 21 November to 23 December: 33 days
    assert [(g.first, g.last) for g in found] == [(datetime.date(2026, 12, 1), datetime.date(2026, 12, 23))]


def test_nothing_planned_at_all_is_a_gap_with_no_end(clients, people, accounts):
    page = clients["officer"].get(url("calendar")).content.decode()
    assert "Waste news (X (Twitter))</a>: nothing planned from 16 November 2026 on" in page


# ---------------------------------------------------------------------------------------------------
# Queries


def _fill(accounts, n: int, month: str = "2026-11") -> None:
    for i in range(n):
        account = list(accounts.values())[i % 3]
        status = [D.DRAFT, D.SUBMITTED, D.APPROVED, D.PUBLISHED][i % 4]
        when = at(f"{month}-{1 + i % 28:02d}", 8 + i % 10)
        DraftFactory(
            account=account,
            status=status,
            planned_for=when,
            published_at=when if status == D.PUBLISHED else None,
        )
    AccountFactory(
        service_area=accounts["ours"].service_area, responsible_officer=accounts["ours"].responsible_officer
    )


@pytest.mark.parametrize("persona", ["comms", "officer", "head_of_service"])
@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("calendar", {"start": "2026-11-01"}),
        ("month", {"month": "2026-11"}),
        ("week", {"week": "2026-11-16"}),
    ],
)
def test_queries_do_not_grow_with_the_month(clients, accounts, assert_flat_queries, persona, name, query):
    _fill(accounts, 6)
    assert_flat_queries(
        lambda: clients[persona].get(url(name), query), lambda: _fill(accounts, 60), at_most=18
    )
