"""Issue 9, item 1: a password reset link signs in as its owner, so it is never stored where the
outbox's readers (Comms, through the admin) could read it: the row keeps only who asked, and the
delivery writes a fresh link each time it sends."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_retry, outbox_deliver

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)")


def ask_for_reset(client, email="reviewer@northfield.gov.uk"):
    assert client.post(reverse("password_reset"), {"email": email}).status_code == 302


def stored_text(row: Notification) -> str:
    return " ".join(str(getattr(row, f.attname)) for f in Notification._meta.concrete_fields)


def use_link(client, body: str, new_password: str) -> int:
    form_page = client.get(LINK.search(body).group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    return done.status_code


def test_a_waiting_reset_email_keeps_no_link(client, people):
    ask_for_reset(client)  # no on_commit here: the row waits in the outbox, as with Redis down
    row = Notification.objects.get()
    assert row.status == Notification.Status.PENDING
    assert "/accounts/reset/" not in stored_text(row)
    assert row.body == ""


def test_the_link_is_written_when_the_email_is_sent_and_works(client, people):
    ask_for_reset(client)
    assert outbox_deliver() == 1
    row = Notification.objects.get()
    assert "/accounts/reset/" not in stored_text(row)
    assert use_link(client, mail.outbox[0].body, "a-long-new-passphrase-42") == 302
    people["reviewer"].refresh_from_db()
    assert people["reviewer"].check_password("a-long-new-passphrase-42")


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1, OUTBOX_MAX_ATTEMPTS=1
)
def test_a_failed_reset_email_keeps_no_link_and_try_again_sends_a_fresh_working_one(client, people):
    ask_for_reset(client)
    outbox_deliver()
    row = Notification.objects.get()
    assert row.status == Notification.Status.FAILED
    assert "/accounts/reset/" not in stored_text(row)
    notification_retry(notification=row)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert outbox_deliver() == 1
    assert use_link(client, mail.outbox[0].body, "another-long-passphrase-7") == 302


def test_a_reset_email_for_someone_who_has_since_left_is_not_sent(client, people):
    ask_for_reset(client)
    people["reviewer"].is_active = False
    people["reviewer"].save()
    assert outbox_deliver() == 0
    row = Notification.objects.get()
    assert row.status == Notification.Status.FAILED and "can no longer sign in" in row.last_error
    assert mail.outbox == []


def test_reset_emails_stay_limited_to_three_an_hour(client, people):
    for _ in range(5):
        ask_for_reset(client)
    assert Notification.objects.filter(recipient=people["reviewer"]).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_migration_erases_the_links_that_were_kept(people):
    executor = MigrationExecutor(connection)
    executor.migrate([("notifications", "0003_notification_sensitive")])
    old = executor.loader.project_state([("notifications", "0003_notification_sensitive")]).apps
    OldNotification = old.get_model("notifications", "Notification")
    OldNotification.objects.create(
        recipient_id=people["officer"].pk,
        to_email="officer@northfield.gov.uk",
        subject="Reset your password",
        body="open http://127.0.0.1:8000/accounts/reset/Mw/abc-123/",
        sensitive=True,
        status="failed",
    )
    OldNotification.objects.create(to_email="x@northfield.gov.uk", subject="Hello", body="Kept")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    reset, other = Notification.objects.order_by("pk")
    assert (reset.kind, reset.body) == (Notification.Kind.PASSWORD_RESET, "")
    assert (other.kind, other.body) == (Notification.Kind.MESSAGE, "Kept")


def test_someone_who_has_not_chosen_a_password_yet_can_ask_for_a_link(client, db):
    # The HR import, the admin and create_comms_user make people without a password.
    from tests.factories import PersonFactory

    new = PersonFactory(email="new.starter@northfield.gov.uk", password=None)
    new.set_unusable_password()
    new.save()
    ask_for_reset(client, "new.starter@northfield.gov.uk")
    assert outbox_deliver() == 1
    assert use_link(client, mail.outbox[0].body, "my-first-long-passphrase") == 302
