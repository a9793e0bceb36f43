"""Issue 9, item 7 (a 403 logs a full traceback) and "personal data in logs": a refusal is one line,
and no reset token, email body or resident's text reaches the logs."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_queue, outbox_deliver

pytestmark = pytest.mark.django_db


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(clients, caplog):
    with caplog.at_level(logging.DEBUG):
        assert clients["outsider"].get(reverse("people:list")).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /people/"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_refused_admin_filter_is_logged_without_a_traceback(clients, caplog):
    with caplog.at_level(logging.DEBUG):
        response = clients["comms"].get("/admin/notifications/notification/?body__contains=x")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name.startswith("django.security")]
    assert records and all(r.exc_info is None for r in records)
    assert "Traceback" not in caplog.text


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1)
def test_no_reset_token_email_body_or_residents_text_in_the_logs(client, people, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("password_reset"), {"email": "officer@northfield.gov.uk"})
        notification_queue(
            recipients=[people["comms"]],
            subject="Reply overdue: @jo_resident on Northfield Bins",
            template="content_review/email/overdue.txt",
            context={"message": {"text": "My neighbour at 4 Elm Road shouts at me"}},
        )
        assert outbox_deliver() == 0  # the mail server refuses both
        Notification.objects.update(next_attempt_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            assert outbox_deliver() == 2
        reset = next(m for m in mail.outbox if m.to == ["officer@northfield.gov.uk"])
        link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", reset.body).group(1)
        token = link.rstrip("/").rsplit("/", 1)[1]
        client.get(link + "mangled-by-a-mail-client/")  # a 404, logged with its path
        client.get(link, follow=True)
    assert "Email" in caplog.text and "failed" in caplog.text  # the failures were logged...
    assert "Not Found: /accounts/reset/" in caplog.text  # ...and the 404...
    for secret in (token, "Someone asked to reset", "@jo_resident", "Elm Road"):  # ...without these
        assert secret not in caplog.text, secret


def test_gunicorns_access_log_leaves_the_token_out():
    from gunicorn.config import Config

    from config.gunicorn import RedactingLogger

    class Response:
        status, sent, headers = "200 OK", 10, []

    path = "/accounts/reset/MQ/cjv2pd-4f9a0b1c2d3e4f5a6b7c/"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    atoms = RedactingLogger(Config()).atoms(Response(), {}, environ, datetime.timedelta(seconds=1))
    assert atoms["r"] == "GET /accounts/reset/MQ/[token removed]/ HTTP/1.1"
    assert "cjv2pd" not in " ".join(str(v) for v in atoms.values())
