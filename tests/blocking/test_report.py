"""The report safe to publish: the exact JSON layout, figures counted in the database, imported blocks
by their blocked_on, no personal data anywhere in it."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocking.models import Category, Referral
from blocking.report import blocking_report
from tests.blocking.factories import BlockFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def when(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00")


@pytest.fixture
def cases(people, account, other_account, time_machine):
    time_machine.move_to(when("2026-11-25"), tick=False)
    ReferralFactory(
        account=account, categories=["spam"], created_at=when("2026-09-03"), person_handle="@Secret_Sam"
    )
    ReferralFactory(
        account=account,
        categories=["abuse", "threats"],
        created_at=when("2026-10-10"),
        status="decided",
        outcome="block",
        decision_reason="Threats.",
        decided_at=when("2026-10-11"),
    )
    ReferralFactory(account=other_account, categories=["spam"], created_at=when("2026-10-20"))
    BlockFactory(account=account, categories=["abuse", "threats"], blocked_on=datetime.date(2026, 10, 11))
    # An imported block, counted by when it was blocked, and lifted in the period.
    BlockFactory(
        account=other_account,
        categories=["off_topic"],
        source="imported",
        blocked_on=datetime.date(2025, 2, 1),
        lifted_on=datetime.date(2026, 10, 1),
        status="lifted",
        created_at=when("2026-11-01"),
    )
    BlockFactory(
        account=other_account,
        categories=["spam"],
        blocked_on=datetime.date(2026, 11, 2),
        person_handle="@Secret_Sam",
    )


def zero() -> dict:
    return {"referrals": 0, "blocks": 0}


def test_the_json_layout_and_figures(cases):
    out = StringIO()
    call_command("blocking_report", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert list(report) == [
        "from",
        "to",
        "referrals",
        "blocks",
        "lifted",
        "by_category",
        "by_account",
        "by_month",
    ]
    by_category = {code: zero() for code in Category.values}
    by_category.update(
        abuse={"referrals": 1, "blocks": 1},
        threats={"referrals": 1, "blocks": 1},
        spam={"referrals": 2, "blocks": 1},
        off_topic={"referrals": 0, "blocks": 1},
    )
    assert report == {
        "from": None,
        "to": "2026-11-25",
        "referrals": 3,
        "blocks": 3,
        "lifted": 1,
        "by_category": by_category,
        "by_account": {
            "Northfield Bins": {"referrals": 2, "blocks": 1},
            "Northfield Libraries": {"referrals": 1, "blocks": 2},
        },
        "by_month": {
            "2025-02": {"referrals": 0, "blocks": 1},
            "2026-09": {"referrals": 1, "blocks": 0},
            "2026-10": {"referrals": 2, "blocks": 1},
            "2026-11": {"referrals": 0, "blocks": 1},
        },
    }
    assert "Secret_Sam" not in out.getvalue() and "secret_sam" not in out.getvalue().lower()


def test_a_period(cases):
    out = StringIO()
    call_command(
        "blocking_report", "--format", "json", "--from", "2026-10-01", "--to", "2026-10-31", stdout=out
    )
    report = json.loads(out.getvalue())
    assert (report["from"], report["to"], report["referrals"], report["blocks"], report["lifted"]) == (
        "2026-10-01",
        "2026-10-31",
        2,
        1,
        1,
    )
    assert list(report["by_month"]) == ["2026-10"]
    with pytest.raises(CommandError, match="--from must not be after --to"):
        call_command("blocking_report", "--from", "2026-11-01", "--to", "2026-10-01")
    with pytest.raises(CommandError, match="must be a date"):
        call_command("blocking_report", "--from", "yesterday")


def test_figures_are_counted_in_a_fixed_number_of_queries(cases, account):
    with CaptureQueriesContext(connection) as small:
        blocking_report()
    for n in range(10):
        ReferralFactory(account=account, categories=["spam", "abuse"], person_handle=f"@more{n}")
        BlockFactory(account=account, person_handle=f"@more{n}")
    with CaptureQueriesContext(connection) as large:
        report = blocking_report()
    assert len(small) == len(large) <= 8
    assert report.referrals == 13


def test_decisions_by_outcome_are_on_the_page_and_in_the_downloads(cases, clients):
    page = clients["auditor"].get(reverse("blocking:report"))
    html = page.content.decode()
    assert page.status_code == 200 and "October 2026" in html and "Secret_Sam" not in html
    csv = clients["auditor"].get(reverse("blocking:report_csv") + "?date_from=2026-10-01&date_to=2026-10-31")
    body = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Decision,Block,1," in body and "Council account,Northfield Bins,1,1" in body
    assert "Secret_Sam" not in body
    xlsx = clients["comms"].get(reverse("blocking:report_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_bad_period_on_the_page_says_why(cases, clients):
    page = clients["comms"].get(reverse("blocking:report") + "?date_from=2026-11-01&date_to=2026-10-01")
    assert (
        page.status_code == 200 and "The end of the period must be after its start." in page.content.decode()
    )
    assert clients["comms"].get(reverse("blocking:report_csv") + "?date_from=x").status_code == 404


def test_referrals_counted_include_withdrawn_ones(cases, account):
    ReferralFactory(account=account, status="withdrawn", created_at=when("2026-11-20"))
    assert blocking_report().referrals == Referral.objects.count() == 4
