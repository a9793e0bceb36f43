"""Reminders before the closing date, on a frozen clock: through the outbox, once per invitation."""

import datetime

import pytest
import time_machine
from django.test import override_settings

from core.contributions import beat_schedule
from notifications.models import Notification
from surveys.models import Invitation
from surveys.services import invitations_remind
from surveys.tasks import send_survey_reminders
from tests.factories import PersonFactory
from tests.surveys.helpers import invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db
CLOSES = datetime.date(2026, 3, 20)


def at(day: int, hour: int = 8):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def questionnaire():
    return make_questionnaire(opens_on=datetime.date(2026, 3, 1), closes_on=CLOSES)


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
        assert invitations_remind() == 0
    with at(17):
        assert invitations_remind() == 3
    assert reminded() == {i.person_id for i in invitees[1:]}  # part-way through counts as not answered
    message = Notification.objects.get(recipient=started.person)
    assert message.subject == "Reminder: please answer Social media pulse by 20 March 2026"
    assert "your saved answers are waiting for you" in message.body
    assert "http://127.0.0.1:8000/surveys/" in message.body


def test_a_reminder_is_never_sent_twice(questionnaire, invitees):
    with at(17):
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
        assert invitations_remind() == 3
    assert invitees[0].person_id not in reminded()


def test_nobody_is_reminded_after_the_closing_date_or_after_leaving(questionnaire, invitees):
    invitees[0].person.left_on = datetime.date(2026, 3, 10)
    invitees[0].person.is_active = False
    invitees[0].person.save()
    with at(21):
        assert invitations_remind() == 0
    with at(20, 22):  # the closing day itself, late evening in London
        assert invitations_remind() == 3
    assert invitees[0].person_id not in reminded()


@override_settings(SURVEY_REMINDER_DAYS_BEFORE_CLOSE=7)
def test_the_reminder_window_follows_the_setting(questionnaire, invitees):
    with at(13):
        assert invitations_remind() == 4


def test_the_sweep_is_scheduled():
    tasks = {entry["task"] for entry in beat_schedule().values()}
    assert "surveys.tasks.send_survey_reminders" in tasks
