"""A small council whose every dashboard figure is worked out by hand in the tests' names and comments.

The clock is frozen at Monday 15 June 2026, 12:00 UTC (13:00 in London, British Summer Time); the
period is May and June 2026. Working hours are 09:00-17:00 London time, Monday to Friday."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from content_review.models import DraftEvent, Revision
from dashboard.indicators import Period
from tests.blocking.factories import BlockFactory, ReferralFactory
from tests.factories import (
    AccountFactory,
    DraftFactory,
    InboundMessageFactory,
    PersonFactory,
    StandardResponseFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)
PERIOD = Period(datetime.date(2026, 5, 1), datetime.date(2026, 6, 30))


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _decide(draft, action, submitted, decided, number=1):
    revision = Revision.objects.create(
        draft=draft, number=number, text=draft.text, submitted_by=draft.author, submitted_at=submitted
    )
    DraftEvent.objects.create(
        draft=draft,
        revision=revision,
        actor=draft.account.responsible_officer,
        action=action,
        created_at=decided,
    )


@pytest.fixture
def council(frozen, service_area, other_service_area):
    """Accounts: A1 (X, waste, active, deputy, two-factor, 1 post in 30 days against weekly: below),
    A2 (Facebook, waste, dormant, officer left, no deputy, no two-factor), A3 (X, waste, closed),
    A4 (X, libraries, active, two-factor). Open: A1, A2, A4."""
    left = PersonFactory(service_area=service_area, left_on=datetime.date(2026, 3, 1))
    a1 = AccountFactory(
        service_area=service_area,
        deputy=PersonFactory(service_area=service_area),
        two_factor_enabled=True,
        posting_frequency="weekly",
        posts_last_30_days=1,
    )
    a2 = AccountFactory(
        platform="facebook", service_area=service_area, status="dormant", responsible_officer=left
    )
    AccountFactory(service_area=service_area, status="closed")
    a4 = AccountFactory(service_area=other_service_area, two_factor_enabled=True)

    # Messages on A1 (waste). Working hours worked out by hand.
    m1 = InboundMessageFactory(  # Mon 10:00 → Mon 14:00: 4 working hours, on time
        account=a1,
        received_at=london(2026, 6, 1, 10),
        due_at=london(2026, 6, 2, 17),
        replied_at=london(2026, 6, 1, 14),
    )
    InboundMessageFactory(  # Mon 16:00 → Tue 11:00: 1 + 2 = 3 working hours, on time
        account=a1,
        received_at=london(2026, 6, 1, 16),
        due_at=london(2026, 6, 3, 16),
        replied_at=london(2026, 6, 2, 11),
    )
    InboundMessageFactory(  # Fri 16:00 → Tue 10:00: 1 + 8 + 1 = 10 working hours, late (a breach)
        account=a1,
        received_at=london(2026, 6, 5, 16),
        due_at=london(2026, 6, 8, 17),
        breached_at=london(2026, 6, 8, 17),
        replied_at=london(2026, 6, 9, 10),
    )
    InboundMessageFactory(  # still open after its due time: late, a breach
        account=a1,
        received_at=london(2026, 6, 10, 10),
        due_at=london(2026, 6, 11, 10),
        breached_at=london(2026, 6, 11, 10),
    )
    InboundMessageFactory(  # no reply needed: spam
        account=a4,
        received_at=london(2026, 6, 10, 11),
        due_at=london(2026, 6, 11, 11),
        closed_at=london(2026, 6, 10, 12),
        closed_code="spam",
    )
    InboundMessageFactory(  # open, not yet due: not judged
        account=a4, received_at=london(2026, 6, 15, 9), due_at=london(2026, 6, 16, 17)
    )
    InboundMessageFactory(  # before the period
        account=a1, received_at=london(2026, 4, 1, 10), due_at=london(2026, 4, 2, 10)
    )

    # Drafts. P1 (May, approved), P2 (June, published without review), P3 (June, urgent, reviewed
    # after), R1 (June, reply to m1 from a standard response, sent back once then approved), P0 (April).
    published = {"status": "published"}
    p1 = DraftFactory(account=a1, published_at=london(2026, 5, 10, 11), **published)
    _decide(p1, "approved", london(2026, 5, 9, 10), london(2026, 5, 9, 14))  # 4 hours
    DraftFactory(account=a1, published_at=london(2026, 6, 2, 10), **published)
    DraftFactory(
        account=a4,
        urgent=True,
        post_reviewed_at=london(2026, 6, 3, 12),
        post_reviewed_by=a4.responsible_officer,
        published_at=london(2026, 6, 3, 10),
        **published,
    )
    r1 = DraftFactory(
        account=a1,
        inbound_message=m1,
        standard_response=StandardResponseFactory(),
        published_at=london(2026, 6, 1, 14),
        **published,
    )
    _decide(r1, "changes_requested", london(2026, 5, 31, 9), london(2026, 5, 31, 19))  # 10 hours
    _decide(r1, "approved", london(2026, 6, 1, 12), london(2026, 6, 1, 13), number=2)  # 1 hour
    DraftFactory(account=a1, published_at=london(2026, 4, 20, 10), **published)
    DraftFactory(account=a1)  # a draft, never published

    # Blocking: two referrals in the period (waste, libraries), one before; blocks in May (reason) and
    # June (a blank reason), and one from January overdue for review.
    ReferralFactory(account=a1, created_at=london(2026, 5, 3, 10))
    ReferralFactory(account=a4, created_at=london(2026, 6, 3, 10))
    ReferralFactory(account=a1, created_at=london(2026, 4, 3, 10))
    BlockFactory(account=a1, blocked_on=datetime.date(2026, 5, 20))
    BlockFactory(account=a4, blocked_on=datetime.date(2026, 6, 1), reason="  ")
    BlockFactory(account=a1, blocked_on=datetime.date(2026, 1, 5), review_on=datetime.date(2026, 6, 1))
    return SimpleNamespace(a1=a1, a2=a2, a4=a4, m1=m1, p1=p1, r1=r1)
