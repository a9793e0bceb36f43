import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import AccountFactory, ReviewerAssignmentFactory

LONDON = ZoneInfo("Europe/London")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A London time on a day written 2026-11-25."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute), LONDON)


@pytest.fixture
def accounts(people, service_area, other_service_area):
    """Two accounts the officer runs in their service area (the reviewer reviews that area), and one
    in another service area nobody but Comms and auditors sees."""
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    ours = AccountFactory(
        service_area=service_area, responsible_officer=people["officer"], display_name="Waste news"
    )
    second = AccountFactory(
        service_area=service_area, responsible_officer=people["officer"], display_name="Recycling tips"
    )
    theirs = AccountFactory(service_area=other_service_area, display_name="Library events")
    return {"ours": ours, "second": second, "theirs": theirs}
