"""Comms remove a piece of personal data from a draft (every revision, the audit trail, its comments,
emails still in the outbox) or a message from the public, with a reason the history shows. Nobody else
can, and the button is shown exactly to those who can (tests/core/test_shown_equals_allowed.py)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from content_review import services as content
from content_review.models import Draft, Revision
from core.models import Redaction
from core.redaction import MARKER
from notifications.models import Notification
from tests.privacy.conftest import at, everywhere

pytestmark = pytest.mark.django_db

PHONE = "07700 900461"


@pytest.fixture
def draft(people, account, time_machine, settings):
    """A draft with the phone number in three revisions (sent back twice), a comment and an email.
    The checks let it through: it was wrongly listed as a council number at the time."""
    settings.CONTENT_CHECK_COUNCIL_PHONE_NUMBERS = (PHONE,)
    time_machine.move_to(at("2026-03-02"), tick=False)
    officer, comms = people["officer"], people["comms"]
    draft = content.draft_create(by=officer, account=account, text=f"Call Jo on {PHONE} about the bins.")
    for n in (1, 2):
        content.draft_submit(draft=draft, by=officer)
        content.draft_request_changes(
            draft=draft, by=comms, revision_number=n, comment=f"Take out {PHONE}, it is personal."
        )
        draft = Draft.objects.get(pk=draft.pk)
        content.draft_update(
            draft=draft,
            by=officer,
            version=draft.version,
            text=f"Call Jo (v{n + 1}) on {PHONE} about the bins.",
        )
    content.draft_submit(draft=draft, by=officer)
    Notification.objects.create(to_email="x@example.test", subject="A draft", body=f"It says {PHONE}.")
    return Draft.objects.get(pk=draft.pk)


def test_a_phone_number_in_three_revisions_leaves_everything(draft, people, clients):
    assert Revision.objects.filter(draft=draft, text__contains=PHONE).count() == 3
    assert everywhere(PHONE)
    url = reverse("content:redact", args=[draft.pk])
    response = clients["comms"].post(
        url, {"removed_text": PHONE, "kind": "a phone number", "reason": "The resident asked us to."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert everywhere(PHONE) == []
    assert Draft.objects.get(pk=draft.pk).text.endswith(f"on {MARKER} about the bins.")
    redaction = Redaction.objects.get()
    assert (redaction.by, redaction.rule, redaction.kind) == (people["comms"], "request", "a phone number")
    assert redaction.rows >= 3 + 1 + 2 + 1  # revisions, the draft, comments, the email (and the trail)
    page = clients["comms"].get(reverse("content:detail", args=[draft.pk])).content.decode()
    assert "Personal data removed" in page and "The resident asked us to." in page
    assert escape(str(people["comms"])) in page


def test_text_that_is_not_there_is_refused_on_the_form(draft, clients):
    url = reverse("content:redact", args=[draft.pk])
    response = clients["comms"].post(
        url, {"removed_text": "01234 567890", "kind": "a phone number", "reason": "Asked."}
    )
    assert response.status_code == 200
    assert "not in it" in response.content.decode()
    assert not Redaction.objects.exists()


def test_only_comms_may_redact(draft, assert_statuses):
    url = reverse("content:redact", args=[draft.pk])
    # The officer (its author) and the reviewer see the draft but may not; others do not see it at all.
    assert_statuses(
        url,
        {
            "anonymous": 302,
            "comms": 200,
            "officer": 403,
            "reviewer": 404,
            "head_of_service": 403,
            "councillor": 404,
            "auditor": 403,
            "outsider": 404,
        },
    )


def test_a_message_from_the_public(people, account, clients):
    message = content.inbound_record(
        by=people["officer"],
        account=account,
        sender_handle="@jo",
        text="I live at 12 Acacia Avenue, please come.",
        received_at=at("2026-03-02", 8),
    )
    url = reverse("content:message_redact", args=[message.pk])
    assert clients["officer"].get(url).status_code == 403
    response = clients["comms"].post(
        url, {"removed_text": "12 Acacia Avenue", "kind": "a postal address", "reason": "Asked."}
    )
    assert response.status_code == 302
    assert everywhere("Acacia") == []
    page = clients["comms"].get(reverse("content:message", args=[message.pk])).content.decode()
    assert "Personal data removed" in page
