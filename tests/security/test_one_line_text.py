"""Issue 9, item 3: a line break in what people type must never stop emails. Every subject goes
through one function that flattens it to one line; display names and sender handles refuse control
characters on the form and in the import."""

import datetime

import pytest
import tablib
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts_registry import services as register
from accounts_registry.models import Account
from accounts_registry.services import ImportRejected
from content_review import services
from content_review.models import InboundMessage
from notifications.models import Notification
from notifications.services import notification_retry, outbox_deliver
from tests.factories import AccountFactory, DraftFactory, InboundMessageFactory

pytestmark = pytest.mark.django_db
HOSTILE_HANDLE = "jo\r\nBcc: x@y"


def assert_every_email_went():
    assert outbox_deliver() > 0
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.bcc == [] and message.to != ["x@y"]


@pytest.fixture
def account(people, service_area):
    # Written before the forms refused it (factories skip validation), as existing data may be.
    return AccountFactory(
        display_name="Northfield\nBins", service_area=service_area, responsible_officer=people["officer"]
    )


def test_a_draft_with_a_line_break_in_its_first_words_is_sent_for_review(people, account):
    draft = DraftFactory(account=account, author=people["officer"], text="Bins\nare collected as normal.")
    services.draft_submit(draft=draft, by=people["officer"])
    assert_every_email_went()
    assert any(
        "Please review: Post for Northfield Bins: Bins are collected" in m.subject for m in mail.outbox
    )


def test_a_hostile_sender_handle_does_not_stop_the_due_and_overdue_emails(people, account):
    InboundMessageFactory(
        account=account, sender_handle=HOSTILE_HANDLE, due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.inbound_sweep()["breached"] == 1
    assert_every_email_went()
    assert "Reply overdue: jo Bcc: x@y on Northfield Bins" in [m.subject for m in mail.outbox]


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1, OUTBOX_MAX_ATTEMPTS=1
)
def test_try_again_sends_an_email_that_failed_because_of_its_subject(people):
    row = Notification.objects.create(
        recipient=people["comms"], to_email="comms@northfield.gov.uk", subject="Reply overdue: jo\r\nBcc: x@y"
    )
    outbox_deliver()
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    notification_retry(notification=row)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert outbox_deliver() == 1
    assert mail.outbox[0].subject == "Reply overdue: jo Bcc: x@y"


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Line one\nline two", "Line one line two"),
        ("  tabs\tand\r\n\r\nbreaks  ", "tabs and breaks"),
        ("nul\x00and bell\x07", "nul and bell"),
        ("separators\u2028and\u2029more\x85", "separators and more"),
        ("a" * 300, "a" * 199 + "…"),
    ],
)
def test_subjects_are_one_line_and_fit_the_outbox(text, subject):
    from notifications.services import email_subject

    assert email_subject(text) == subject


def test_the_inbound_form_refuses_a_handle_with_a_line_break(clients, people, account):
    page = clients["officer"].post(
        reverse("content:inbound_new"),
        {
            "account": account.pk,
            "sender_handle": HOSTILE_HANDLE,
            "text": "Hello",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert page.status_code == 200
    assert "without line breaks" in page.content.decode()
    assert not InboundMessage.objects.exists()


def test_the_account_form_refuses_a_display_name_with_a_line_break(clients, people, service_area):
    data = {
        "platform": "x",
        "handle": "@NorthfieldParks",
        "display_name": "Northfield\nParks",
        "kind": "service",
        "service_area": service_area.pk,
        "purpose": "Events in the parks.",
        "audience": "Families in the borough",
        "responsible_officer": people["officer"].pk,
        "posting_frequency": "weekly",
        "credentials_location": "Council password manager",
    }
    page = clients["officer"].post(reverse("accounts:request"), data)
    assert page.status_code == 200
    assert "without line breaks" in page.content.decode()
    assert not Account.objects.filter(handle__iexact="NorthfieldParks").exists()


def test_the_account_import_refuses_a_display_name_with_a_line_break(people, service_area):
    dataset = tablib.Dataset(
        headers=[
            "platform",
            "handle",
            "display_name",
            "kind",
            "service_area",
            "purpose",
            "audience",
            "responsible_officer",
            "posting_frequency",
            "review_required",
            "response_time_hours",
        ]
    )
    dataset.append(
        [
            "x",
            "@NorthfieldParks",
            "Northfield\r\nParks",
            "service",
            "waste",
            "Events",
            "Residents",
            "officer@northfield.gov.uk",
            "weekly",
            "yes",
            "8",
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        register.accounts_import_preview(
            by=people["comms"], file_name="accounts.csv", content=dataset.export("csv").encode()
        )
    assert "without line breaks" in " ".join(str(p) for p in rejected.value.problems)
    assert not Account.objects.filter(handle__iexact="NorthfieldParks").exists()
