"""Personal data in logs and sessions: the sign-in log, expired sessions and the bodies of sent emails
are purged after a configurable period by a scheduled job, using indexes rather than reading whole
tables (issue 16 found the failed-email count on the Comms home page scanning the outbox)."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import current_app
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.contributions import beat_schedule
from notifications.models import Notification
from notifications.tasks import forget_sent_email_bodies
from organisation.tasks import purge_sign_in_records

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def email(status: str, sent_days_ago: int | None, body: str = "Please review the draft."):
    sent_at = days_ago(sent_days_ago) if sent_days_ago is not None else None
    return Notification.objects.create(
        to_email="a@northfield.gov.uk", subject="Hello", body=body, status=status, sent_at=sent_at
    )


def test_sent_email_bodies_are_forgotten_after_the_retention_period():
    old, recent = email("sent", 31), email("sent", 29)
    failed, pending = email("failed", None), email("pending", None)
    assert forget_sent_email_bodies.apply().get() == 1
    old.refresh_from_db()
    assert (old.body, old.subject, old.status) == ("", "Hello", "sent")  # who, when and what about stay
    for row in (recent, failed, pending):  # not sent yet, or not for long: the body is still needed
        row.refresh_from_db()
        assert row.body == "Please review the draft."
    with override_settings(SENT_EMAIL_RETENTION_DAYS=7):
        assert forget_sent_email_bodies.apply().get() == 1


def sign_in_record(model, days: int, **fields):
    row = model.objects.create(username="officer@northfield.gov.uk", ip_address="203.0.113.9", **fields)
    model.objects.filter(pk=row.pk).update(attempt_time=days_ago(days))  # auto_now_add on create
    return row


def session(expires_in_days: int) -> str:
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.set_expiry(datetime.timedelta(days=expires_in_days) if expires_in_days > 0 else -1)
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=NOW + datetime.timedelta(days=expires_in_days)
    )
    return store.session_key


def test_the_sign_in_log_and_expired_sessions_are_purged():
    for model, extra in (
        (AccessLog, {"user_agent": "Firefox"}),
        (AccessFailureLog, {"user_agent": "Firefox"}),
        (AccessAttempt, {"user_agent": "Firefox", "failures_since_start": 1}),
    ):
        sign_in_record(model, 91, **extra)
        sign_in_record(model, 89, **{**extra, "user_agent": "Edge"})
    expired, live = session(-1), session(1)
    deleted = purge_sign_in_records.apply().get()
    assert deleted == {
        "axes.AccessLog": 1,
        "axes.AccessFailureLog": 1,
        "axes.AccessAttempt": 1,
        "sessions": 1,
    }
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert model.objects.count() == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live] != [expired]
    with override_settings(SIGN_IN_LOG_RETENTION_DAYS=30):
        assert purge_sign_in_records.apply().get()["axes.AccessLog"] == 1


def test_both_jobs_are_scheduled_daily():
    current_app.loader.import_default_modules()
    scheduled = {entry["task"]: entry["schedule"] for entry in beat_schedule().values()}
    for task in ("notifications.tasks.forget_sent_email_bodies", "organisation.tasks.purge_sign_in_records"):
        assert scheduled[task] == 60 * 60 * 24
        assert task in current_app.tasks


def plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # would the planner have an index to use?
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_purges_and_the_failed_count_use_indexes():
    failed = Notification.objects.filter(status=Notification.Status.FAILED)
    assert "outbox_failed" in plan(*failed.values("pk").query.sql_with_params())
    forget = Notification.objects.filter(status="sent", sent_at__lt=NOW).exclude(body="")
    assert "outbox_sent_body_kept" in plan(*forget.values("pk").query.sql_with_params())
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        query = model.objects.filter(attempt_time__lt=NOW).values("pk").query.sql_with_params()
        assert f"{model._meta.db_table}_attempt_time" in plan(*query), model
