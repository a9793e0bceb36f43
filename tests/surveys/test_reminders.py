"""Reminders before the closing date, on a frozen clock: through the outbox, once per invitation.

The questionnaire is loaded before it opens; the scheduled sweep that follows its dates runs before
each reminder run, as beat runs both jobs."""

import datetime

import pytest
import time_machine
from django.test import override_settings

from core.contributions import beat_schedule
from notifications.models import Notification
from surveys.models import Invitation
from surveys.services import invitations_remind, questionnaires_follow_dates
from surveys.tasks import send_survey_reminders
from tests.factories import PersonFactory
from tests.surveys.helpers import invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db
CLOSES = datetime.date(2026, 3, 20)


def at(day: int, hour: int = 8):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def questionnaire():
    with time_machine.travel(datetime.datetime(2026, 2, 20, tzinfo=datetime.UTC)):
        return make_questionnaire(opens_on=datetime.date(2026, 3, 1), closes_on=CLOSES)


def remind() -> int:
    questionnaires_follow_dates()
    return invitations_remind()


@pytest.fixture
def invitees(questionnaire):
    people = [PersonFactory(roles=["Head of Service"]) for _ in range(4)]
    return [invite(questionnaire, person) for person in people]


def reminded() -> set[int]:
    return set(
        Notification.objects.filter(subject__startswith="Reminder").values_list("recipient_id", flat=True)
    )


def test_only_those_who_have_not_sent_their_answers_are_reminded_three_days_before_closing(
    questionnaire, invitees
):
    sent, started, _, _ = invitees
    respond(questionnaire, {"uses": "no"}, invitation=sent)
    respond(questionnaire, {"uses": "yes"}, invitation=started, submitted=False)

    with at(16):  # four days before: too early
        assert remind() == 0
    with at(17):
        assert remind() == 3
    assert reminded() == {i.person_id for i in invitees[1:]}  # part-way through counts as not answered
    message = Notification.objects.get(recipient=started.person)
    assert message.subject == "Reminder: please answer Social media pulse by 20 March 2026"
    assert "your saved answers are waiting for you" in message.body
    assert "http://127.0.0.1:8000/surveys/" in message.body


def test_a_reminder_is_never_sent_twice(questionnaire, invitees):
    with at(17):
        questionnaires_follow_dates()
        assert send_survey_reminders() == 4
        assert send_survey_reminders() == 0
    with at(19):
        assert send_survey_reminders() == 0
    assert Notification.objects.count() == 4
    assert not Invitation.objects.filter(reminded_at__isnull=True).exists()


def test_an_invitation_claimed_by_another_worker_is_skipped(questionnaire, invitees):
    # Another worker claimed this one between our listing and our update.
    Invitation.objects.filter(pk=invitees[0].pk).update(
        reminded_at=datetime.datetime(2026, 3, 17, 7, 59, tzinfo=datetime.UTC)
    )
    with at(17):
        assert remind() == 3
    assert invitees[0].person_id not in reminded()


def test_nobody_is_reminded_after_the_closing_date_or_after_leaving(questionnaire, invitees):
    invitees[0].person.left_on = datetime.date(2026, 3, 10)
    invitees[0].person.is_active = False
    invitees[0].person.save()
    with at(20, 22):  # the closing day itself, late evening in London
        assert remind() == 3
    with at(21):
        assert remind() == 0
    assert invitees[0].person_id not in reminded()


@override_settings(SURVEY_REMINDER_DAYS_BEFORE_CLOSE=7)
def test_the_reminder_window_follows_the_setting(questionnaire, invitees):
    with at(13):
        assert remind() == 4


def test_a_reminder_is_not_sent_after_the_closing_date_even_before_the_sweep_closes_it(
    questionnaire, invitees
):
    with at(17, 0):
        questionnaires_follow_dates()
    with at(21):  # the sweep has not run today: still open, but the window has passed
        assert invitations_remind() == 0


def test_the_sweeps_are_scheduled():
    tasks = {entry["task"] for entry in beat_schedule().values()}
    assert {"surveys.tasks.send_survey_reminders", "surveys.tasks.follow_questionnaire_dates"} <= tasks
