"""Courses and requirement rules of the training tests, whatever the data migration seeded: three
courses, and who needs which."""

from types import SimpleNamespace

import pytest

from tests.factories import CourseFactory
from training.models import Course, Requirement
from training.models import Responsibility as R

RULES = {
    R.RESPONSIBLE: ["BLOCK", "RESPOND"],
    R.DEPUTY: ["RESPOND"],
    R.AUTHOR: ["RESPOND"],
    R.REVIEWER: ["REVIEW"],
    R.COMMS: ["BLOCK"],
    R.COUNCILLOR: ["BLOCK"],
}


@pytest.fixture
def courses(db):
    """BLOCK (valid two years), RESPOND (one year) and REVIEW (never expires), and RULES."""
    Requirement.objects.all().delete()
    Course.objects.all().delete()
    made = SimpleNamespace(
        block=CourseFactory(code="BLOCK", title="Dealing with unacceptable behaviour", validity_months=24),
        respond=CourseFactory(code="RESPOND", title="Responding to the public", validity_months=12),
        review=CourseFactory(code="REVIEW", title="Reviewing content", validity_months=None),
    )
    by_code = {c.code: c for c in vars(made).values()}
    for responsibility, codes in RULES.items():
        for code in codes:
            Requirement.objects.create(responsibility=responsibility, course=by_code[code])
    return made
