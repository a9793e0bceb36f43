"""Reminders of missing or expiring training, once per course and period, never daily; the monthly
summary to Comms, once a month."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from notifications.models import Notification
from tests.factories import AccountFactory, CompletionFactory, PersonFactory
from training import services
from training.models import MonthlySummary

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day: D, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def reminders(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, subject="Social media training you need")
        .order_by("pk")
        .values_list("body", flat=True)
    )


@pytest.fixture
def officer(courses, service_area):
    person = PersonFactory(email="officer@x.gov.uk", first_name="Jo", service_area=service_area)
    AccountFactory(service_area=service_area, responsible_officer=person)
    return person


def test_missing_training_is_reminded_once_then_only_after_the_repeat_period(courses, officer, settings):
    settings.TRAINING_REMINDER_REPEAT_DAYS = 90
    CompletionFactory(person=officer, course=courses.block, completed_on=D(2026, 1, 1))
    with time_machine.travel(at(D(2026, 2, 1))):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0  # a second run the same day: nothing
    body = reminders(officer)[0]
    assert "Hello Jo," in body and "Still needed:\n- Responding to the public" in body
    assert "Dealing with unacceptable behaviour" not in body
    for day in (D(2026, 2, 2), D(2026, 3, 1), D(2026, 5, 1)):
        with time_machine.travel(at(day)):
            assert services.reminders_send() == 0  # never daily
    with time_machine.travel(at(D(2026, 5, 3))):
        assert services.reminders_send() == 1  # 90 days on
    assert len(reminders(officer)) == 2


def test_expiring_training_is_reminded_once_per_expiry(courses, officer):
    CompletionFactory(person=officer, course=courses.block, completed_on=D(2024, 3, 1))  # ends 2026-03-01
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2025, 12, 1))
    with time_machine.travel(at(D(2025, 12, 20))):
        assert services.reminders_send() == 0  # both valid, neither ending within 60 days
    with time_machine.travel(at(D(2026, 1, 15))):
        assert services.reminders_send() == 1
    with time_machine.travel(at(D(2026, 2, 20))):
        assert services.reminders_send() == 0
    [body] = reminders(officer)
    assert (
        "Runs out soon (book a refresher):\n- Dealing with unacceptable behaviour: counts until 28 February 2026"
        in body
    )

    CompletionFactory(person=officer, course=courses.block, completed_on=D(2026, 2, 25))  # the refresher
    with time_machine.travel(at(D(2027, 12, 30))):  # the refresher itself now ends within 60 days
        services.reminders_send()
    assert "counts until 24 February 2028" in reminders(officer)[-1]


def test_people_fully_trained_or_without_requirements_get_nothing(courses, officer):
    PersonFactory(email="nobody@x.gov.uk")
    CompletionFactory(person=officer, course=courses.block, completed_on=D(2026, 1, 1))
    CompletionFactory(person=officer, course=courses.respond, completed_on=D(2026, 1, 1))
    with time_machine.travel(at(D(2026, 2, 1))):
        assert services.reminders_send() == 0
    assert not Notification.objects.exists()


def test_the_monthly_summary_goes_to_comms_once_a_month(courses, people, officer):
    with time_machine.travel(at(D(2026, 12, 1), 6)):
        assert services.monthly_summary_send() is True
        assert services.monthly_summary_send() is False
    with time_machine.travel(at(D(2026, 12, 20))):
        assert services.monthly_summary_send() is False
    with time_machine.travel(at(D(2027, 1, 1))):
        assert services.monthly_summary_send() is True
    assert list(MonthlySummary.objects.order_by("month").values_list("month", flat=True)) == [
        D(2026, 11, 1),
        D(2026, 12, 1),
    ]
    sent = Notification.objects.filter(subject__startswith="Social media training:").order_by("pk")
    assert [(n.to_email, n.subject) for n in sent] == [
        ("comms@northfield.gov.uk", "Social media training: November 2026"),
        ("comms@northfield.gov.uk", "Social media training: December 2026"),
    ]
    assert "Fully trained: 0 of the 2 people whose work needs training." in sent[0].body
    assert "- Waste and Recycling: 0 of 2" in sent[0].body
