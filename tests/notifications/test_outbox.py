"""The outbox: notifications are written with the action and delivered by a task, so neither a
broker outage nor a mail-server outage can fail the action or lose the email."""

import datetime

import kombu.pools
import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings

from config.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notification_queue, notification_retry, outbox_deliver

pytestmark = pytest.mark.django_db

TEMPLATE = "registration/password_reset_email.txt"


def reset_broker_connections():
    """Celery caches broker connections and producers; drop them so a new broker_url takes effect."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def queue(person, **kwargs):
    return notification_queue(
        recipients=[person], subject="Please act", template=TEMPLATE, context={}, **kwargs
    )


def test_a_notification_is_written_in_the_same_transaction_as_the_action(people):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(people["officer"])
        raise RuntimeError("the action failed")
    assert not Notification.objects.exists()


def test_with_no_broker_the_email_goes_out_when_the_action_commits(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue(people["officer"])
    assert Notification.objects.get().status == Notification.Status.SENT
    assert mail.outbox[0].to == ["officer@northfield.gov.uk"]


def test_when_redis_is_down_the_action_still_succeeds_and_the_sweep_sends_it_later(
    people, django_capture_on_commit_callbacks, caplog
):
    # A real broker connection to a port where nothing listens: the queueing fails, fast.
    old = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    reset_broker_connections()
    celery_app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            queue(people["officer"])
    finally:
        celery_app.conf.update(broker_url=old[0], task_always_eager=old[1])
        reset_broker_connections()
    assert "Could not queue outbox delivery" in caplog.text
    assert "Connection refused" in caplog.text  # the broker really was unreachable
    row = Notification.objects.get()
    assert row.status == Notification.Status.PENDING
    assert mail.outbox == []
    assert outbox_deliver() == 1  # what the periodic task does once Redis is back
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1, EMAIL_TIMEOUT=2)
def test_when_the_mail_server_is_down_the_row_waits_and_is_retried_with_back_off(people):
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC), tick=False):
        queue(people["officer"])
        assert outbox_deliver() == 0
        row = Notification.objects.get()
        assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)
        assert "ConnectionRefused" in row.last_error
        assert row.next_attempt_at == datetime.datetime(2026, 11, 25, 9, 2, tzinfo=datetime.UTC)
        assert outbox_deliver() == 0  # not due yet: nothing tried
        assert Notification.objects.get().attempts == 1
    with (
        time_machine.travel(datetime.datetime(2026, 11, 25, 9, 5, tzinfo=datetime.UTC), tick=False),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        assert outbox_deliver() == 1
    assert Notification.objects.get().status == Notification.Status.SENT


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1, OUTBOX_MAX_ATTEMPTS=2
)
def test_after_the_last_attempt_the_row_is_marked_failed_and_comms_can_retry_it(people):
    queue(people["officer"])
    outbox_deliver()
    Notification.objects.update(next_attempt_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    outbox_deliver()
    row = Notification.objects.get()
    assert row.status == Notification.Status.FAILED
    notification_retry(notification=row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 0)


def test_a_delivered_row_is_never_sent_twice(people):
    queue(people["officer"])
    assert outbox_deliver() == 1
    assert outbox_deliver() == 0
    assert len(mail.outbox) == 1


def test_comms_see_failed_emails_on_their_home_page(clients, people):
    queue(people["officer"])
    Notification.objects.update(status=Notification.Status.FAILED)
    assert "email could not be sent" in clients["comms"].get("/").content.decode()
    assert "email could not be sent" not in clients["officer"].get("/").content.decode()
