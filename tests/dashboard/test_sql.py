"""The working hours counted in SQL agree with content_review.working_hours for awkward pairs."""

import datetime
import random

import pytest
from django.db.models import F

from content_review.models import InboundMessage
from content_review.working_hours import WorkingCalendar, working_hours_between
from dashboard.indicators import Hours
from dashboard.sql import Percentile, WorkingHoursBetween
from tests.factories import AccountFactory, InboundMessageFactory

UTC = datetime.UTC


@pytest.mark.django_db
def test_working_hours_in_sql_equal_the_python_calendar():
    account = AccountFactory()
    rng = random.Random(14)
    start = datetime.datetime(2026, 3, 20, tzinfo=UTC)  # spans the clock change and Easter 2026
    pairs = []
    for _ in range(40):
        received = start + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        replied = received + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 12))
        pairs.append((received, replied))
    for received, replied in pairs:
        InboundMessageFactory(account=account, received_at=received, replied_at=replied)
    calendar = WorkingCalendar.from_settings()
    rows = InboundMessage.objects.annotate(
        worked=WorkingHoursBetween(F("received_at"), F("replied_at"), calendar)
    ).values_list("received_at", "replied_at", "worked")
    for received, replied, worked in rows:
        assert worked == pytest.approx(working_hours_between(received, replied, calendar), abs=1e-6)


@pytest.mark.django_db
def test_percentile_is_postgresql_percentile_cont():
    account = AccountFactory()
    moment = datetime.datetime(2026, 6, 1, 9, tzinfo=UTC)
    for minutes in (60, 120, 600):
        InboundMessageFactory(
            account=account, received_at=moment, replied_at=moment + datetime.timedelta(minutes=minutes)
        )
    took = Hours(F("received_at"), F("replied_at"))
    found = InboundMessage.objects.aggregate(p50=Percentile(took, 0.5), p90=Percentile(took, 0.9))
    assert found == {"p50": pytest.approx(2.0), "p90": pytest.approx(2 + 0.8 * 8)}
    with pytest.raises(ValueError):
        Percentile(F("pk"), 1.5)
