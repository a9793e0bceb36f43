"""Faults (issue 9): Redis stopped and started again, a mail server that refuses, a worker killed
half-way through its work. Nothing is lost and nothing is done twice. The servers are our own
(tests/security/conftest.py): a private redis-server and a small SMTP server on free ports."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts_registry import services as registry_services
from accounts_registry.models import Account, AccountStatusChange, ImportStatus
from notifications import services as outbox
from notifications.models import Notification
from notifications.services import notification_queue, outbox_deliver
from tests.accounts_registry.test_import_export import apply, bins, csv_file, preview, recycles
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "registration/password_reset_email.txt"


class WorkerKilled(BaseException):
    """What a SIGKILL or the out-of-memory killer looks like from inside: nothing catches it."""


def queue(*people) -> list[Notification]:
    return notification_queue(recipients=people, subject="Please act", template=TEMPLATE, context={})


# Mail refused


def test_mail_refused_the_email_waits_is_retried_and_then_sent_once(people, mail_server):
    [row] = queue(people["officer"])

    assert outbox_deliver() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)
    assert row.last_error.startswith("SMTPRecipientsRefused") and row.next_attempt_at > timezone.now()
    assert mail_server.received == []

    assert outbox_deliver() == 0  # not due yet: not tried again at once
    mail_server.refusing = False
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert outbox_deliver() == 1
        assert outbox_deliver() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert outbox_deliver() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Notification.Status.SENT, 2, "")
    assert mail_server.received == [people["officer"].email]


def test_mail_refused_for_good_the_email_is_marked_failed_and_kept(people, mail_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    [row] = queue(people["officer"])
    for hours in range(3):
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=5 * hours)):
            outbox_deliver()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 3)
    assert row.body and row.to_email == people["officer"].email  # kept, for Comms to try again


# A worker killed half-way


def test_a_delivery_killed_half_way_sends_each_email_once(people, monkeypatch):
    """Before, the whole batch was one transaction: the two emails sent before the kill were still
    pending afterwards, and the next run sent them again."""
    recipients = [PersonFactory() for _ in range(5)]
    queue(*recipients)
    real_send_mail, calls = outbox.send_mail, []

    def send_mail_then_die(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise WorkerKilled
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(outbox, "send_mail", send_mail_then_die)
    with pytest.raises(WorkerKilled):
        outbox_deliver()
    assert [m.to for m in mail.outbox] == [[recipients[0].email], [recipients[1].email]]
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 2

    monkeypatch.setattr(outbox, "send_mail", real_send_mail)
    assert outbox_deliver() == 3
    assert outbox_deliver() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in recipients)


def test_a_register_import_killed_half_way_saves_nothing_and_its_rerun_saves_once(
    people, service_area, monkeypatch
):
    upload = preview(people, csv_file(bins(), recycles()))
    real_finish = registry_services._finish

    def die(*args, **kwargs):
        raise WorkerKilled  # after every account is written, before the import is marked applied

    monkeypatch.setattr(registry_services, "_finish", die)
    with pytest.raises(WorkerKilled):
        apply(people, upload)
    assert not Account.objects.exists() and not AccountStatusChange.objects.exists()
    upload.refresh_from_db()
    assert upload.status == ImportStatus.PENDING

    monkeypatch.setattr(registry_services, "_finish", real_finish)
    assert apply(people, upload).new == 2
    assert Account.objects.count() == 2 and AccountStatusChange.objects.count() == 2
    with pytest.raises(Exception, match="already"):
        apply(people, upload)
    assert Account.objects.count() == 2


# Redis stopped, then started again


def test_with_redis_stopped_the_action_succeeds_and_after_restart_the_email_goes_once(
    people, celery_on, django_capture_on_commit_callbacks, caplog
):
    celery_on.stop()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = queue(people["officer"])  # asks for delivery after the response: the broker is down
    outbox._queue_delivery()
    assert "Could not queue outbox delivery" in caplog.text
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING  # safe in the outbox

    celery_on.start()
    outbox._queue_delivery()  # reaches the broker again (a worker would run the delivery)
    assert outbox_deliver() == 1  # what the worker, or the periodic sweep, does
    assert outbox_deliver() == 0
    assert [m.to for m in mail.outbox] == [[people["officer"].email]]
