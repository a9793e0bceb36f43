"""Validity and expiry on a frozen clock, and the compliance report's exact JSON."""

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.factories import AccountFactory, CompletionFactory, PersonFactory, ServiceAreaFactory
from training import requirements

pytestmark = pytest.mark.django_db
D = datetime.date


def state(person, day: D) -> dict:
    """The person's training on the day, asked both ways: annotated by with_training() and drawn
    from their pairs by training_of() (the compliance page's rows, needs_of); both must agree."""
    fields = ("required_codes", "valid_codes", "expiring_codes", "missing_codes", "fully_trained")
    row = requirements.with_training(type(person).objects.filter(pk=person.pk), day).values(*fields).get()
    drawn = requirements.training_of([person.pk], day)[person.pk]
    assert {f: getattr(drawn, f) for f in fields} == row
    return {k: row[k] for k in ("valid_codes", "expiring_codes", "missing_codes")} | {
        "full": row["fully_trained"]
    }


@pytest.fixture
def officer(courses, service_area):
    """Needs BLOCK (valid 24 months) and RESPOND (12 months); REVIEW never expires but is not needed."""
    person = PersonFactory(email="officer@x.gov.uk", service_area=service_area)
    AccountFactory(service_area=service_area, responsible_officer=person)
    return person


def test_a_completion_counts_from_its_day_until_its_validity_ends(courses, officer):
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2025, 3, 1))
    assert state(officer, D(2025, 2, 28))["missing_codes"] == ["BLOCK", "RESPOND"]  # not yet done
    assert state(officer, D(2025, 3, 1))["valid_codes"] == ["RESPOND"]  # valid on its day
    assert state(officer, D(2026, 2, 28))["valid_codes"] == ["RESPOND"]  # the last day it counts
    assert state(officer, D(2026, 3, 1))["valid_codes"] == []  # twelve months on: a refresher is due
    assert state(officer, D(2026, 3, 1))["missing_codes"] == ["BLOCK", "RESPOND"]


def test_expiring_means_valid_and_ending_within_sixty_days(courses, officer):
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2025, 3, 1))  # ends 2026-03-01
    assert state(officer, D(2025, 12, 30))["expiring_codes"] == []  # stops counting in 61 days: not yet
    assert state(officer, D(2025, 12, 31))["expiring_codes"] == ["RESPOND"]  # in 60 days
    assert state(officer, D(2026, 2, 28))["expiring_codes"] == ["RESPOND"]
    assert state(officer, D(2026, 3, 1))["expiring_codes"] == []  # ended: missing, not expiring


def test_a_refresher_done_early_stops_it_expiring(courses, officer):
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2025, 3, 1))
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2026, 1, 15))
    assert state(officer, D(2026, 2, 1))["expiring_codes"] == []


def test_fully_trained_when_every_required_course_is_valid(courses, officer):
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2025, 6, 1))
    CompletionFactory(person=officer, course=courses.block, completed_on=D(2024, 7, 1))
    assert state(officer, D(2025, 6, 1))["full"] is True
    assert state(officer, D(2026, 7, 1))["full"] is False  # BLOCK ran out on 1 July 2026


def test_a_course_that_never_expires_stays_valid(courses, people, service_area):
    from tests.factories import ReviewerAssignmentFactory

    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    CompletionFactory(person=people["reviewer"], course=courses.review, completed_on=D(2001, 1, 1))
    assert state(people["reviewer"], D(2040, 1, 1)) == {
        "valid_codes": ["REVIEW"],
        "expiring_codes": [],
        "missing_codes": [],
        "full": True,
    }


def report(*args) -> dict:
    out = StringIO()
    call_command("training_compliance", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC))
def test_the_compliance_command_prints_exactly_the_agreed_shape(courses, people, service_area):
    libraries = ServiceAreaFactory(name="Libraries", code="libraries")
    a = PersonFactory(email="a@x.gov.uk", service_area=service_area)
    b = PersonFactory(email="b@x.gov.uk", service_area=libraries)
    AccountFactory(service_area=service_area, responsible_officer=a, deputy=b)
    CompletionFactory(
        person=a, course=courses.block, completed_on=D(2025, 1, 10)
    )  # ends 2027-01-10: expiring
    CompletionFactory(person=a, course=courses.respond, completed_on=D(2026, 6, 1))
    CompletionFactory(person=b, course=courses.respond, completed_on=D(2025, 1, 1))  # ended 2026-01-01
    PersonFactory(email="nobody@x.gov.uk", service_area=service_area)  # no requirement: not listed

    assert report() == {
        "as_of": "2026-11-25",
        "people": {
            "a@x.gov.uk": {
                "required": ["BLOCK", "RESPOND"],
                "valid": ["BLOCK", "RESPOND"],
                "expiring": ["BLOCK"],
                "missing": [],
            },
            "b@x.gov.uk": {"required": ["RESPOND"], "valid": [], "expiring": [], "missing": ["RESPOND"]},
            "comms@northfield.gov.uk": {
                "required": ["BLOCK"],
                "valid": [],
                "expiring": [],
                "missing": ["BLOCK"],
            },
        },
        "service_areas": {
            "Libraries": {"people": 1, "fully_trained": 0},
            "Waste and Recycling": {"people": 2, "fully_trained": 1},
        },
        "overall": {"people": 3, "fully_trained": 1},
    }
    earlier = report("--as-of", "2025-12-01")
    assert earlier["as_of"] == "2025-12-01"
    assert earlier["people"]["a@x.gov.uk"] == {
        "required": ["BLOCK", "RESPOND"],
        "valid": ["BLOCK"],
        "expiring": [],
        "missing": ["RESPOND"],
    }
    assert earlier["people"]["b@x.gov.uk"]["expiring"] == ["RESPOND"]


def test_a_bad_as_of_date_is_refused(courses):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        report("--as-of", "25/11/2026")
