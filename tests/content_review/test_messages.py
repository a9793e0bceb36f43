"""Messages from the public: "No reply needed" with a reason (the clock stops, reported as such),
"Hide" (recorded who, when, why; still listed, marked Hidden), each in the message's own log and its
history; other apps' links on the message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from content_review import services
from content_review.models import InboundMessage, MessageEvent, NoReplyReason
from core import contributions
from core.actions import Refused
from core.contributions import Link
from core.history import history_for
from notifications.models import Notification
from tests.factories import AccountFactory, InboundMessageFactory

pytestmark = pytest.mark.django_db
M = MessageEvent.Action
SEES = {"comms": 200, "officer": 200, "auditor": 200, "head_of_service": 200, "reviewer": 404}
HIDDEN = {"councillor": 404, "outsider": 404}


def url(name: str, *args) -> str:
    return reverse(f"content:{name}", args=args)


@pytest.fixture
def message(people, service_area):
    account = AccountFactory(
        display_name="Northfield Bins", service_area=service_area, responsible_officer=people["officer"]
    )
    return InboundMessageFactory(
        account=account, sender_handle="@spammer", due_at=timezone.now() + datetime.timedelta(minutes=30)
    )


def reloaded(message) -> InboundMessage:
    return InboundMessage.objects.get(pk=message.pk)


def test_no_reply_needed_stops_the_clock_and_records_who_when_and_why(people, message):
    done = services.inbound_no_reply_needed(
        message=message, by=people["officer"], reason_code=NoReplyReason.SPAM
    )

    message = reloaded(message)
    assert (message.closed_by, message.closed_code, message.state) == (
        people["officer"],
        "spam",
        "no_reply_needed",
    )
    assert message.closed_at == done.closed_at and not message.is_open
    assert services.inbound_sweep(now=timezone.now() + datetime.timedelta(hours=2)) == {
        "warned": 0,
        "breached": 0,
    }
    assert not Notification.objects.exists() and message.breached_at is None
    [event] = message.events.all()
    assert (event.action, event.actor, event.reason_code) == (M.NO_REPLY_NEEDED, people["officer"], "spam")
    assert list(InboundMessage.objects.no_reply_needed()) == [message]
    assert any(
        "No reply needed since" in str(c.field) for entry in history_for(message) for c in entry.changes
    )


def test_another_reason_needs_words_and_the_reason_must_be_one_of_the_list(people, message):
    with pytest.raises(ValidationError) as caught:
        services.inbound_no_reply_needed(message=message, by=people["officer"], reason_code="other")
    assert set(caught.value.message_dict) == {"details"}
    with pytest.raises(ValidationError):
        services.inbound_no_reply_needed(message=message, by=people["officer"], reason_code="bored")
    assert reloaded(message).is_open

    services.inbound_no_reply_needed(
        message=message, by=people["comms"], reason_code="other", details="They were asking another council."
    )
    assert reloaded(message).closed_reason == "They were asking another council."


def test_a_message_answered_already_cannot_be_closed_again_and_says_why(people, message):
    services.inbound_no_reply_needed(message=message, by=people["officer"], reason_code="answered_elsewhere")
    with pytest.raises(ValidationError, match="already answered elsewhere"):
        services.inbound_no_reply_needed(message=message, by=people["comms"], reason_code="spam")
    with pytest.raises(Refused, match="responsible officer or deputy"):
        services.inbound_no_reply_needed(
            message=InboundMessageFactory(account=message.account), by=people["reviewer"], reason_code="spam"
        )


def test_hiding_records_who_when_and_why_and_the_message_stays_listed(clients, people, message):
    services.inbound_hide(message=message, by=people["comms"], reason="Abusive language about staff.")

    message = reloaded(message)
    assert (message.hidden_by, message.hidden_reason) == (people["comms"], "Abusive language about staff.")
    assert message.hidden_at is not None and message.is_open  # hidden is not answered
    [event] = message.events.all()
    assert (event.action, event.comment) == (M.HIDDEN, "Abusive language about staff.")
    for persona in ("officer", "comms", "auditor", "head_of_service"):
        inbox = clients[persona].get(url("inbox")).content.decode()
        assert "@spammer" in inbox and "Hidden</strong>" in inbox, persona
    hidden_only = clients["comms"].get(url("inbox"), {"due": "hidden"}).content.decode()
    assert "@spammer" in hidden_only
    with pytest.raises(ValidationError, match="already recorded as hidden"):
        services.inbound_hide(message=message, by=people["officer"], reason="Again.")
    with pytest.raises(ValidationError):
        services.inbound_hide(
            message=InboundMessageFactory(account=message.account), by=people["officer"], reason=" "
        )


def test_the_message_log_is_append_only(people, message):
    services.inbound_hide(message=message, by=people["comms"], reason="Spam.")
    event = message.events.get()
    for sql in (
        f"UPDATE {MessageEvent._meta.db_table} SET comment = 'x' WHERE id = %s",
        f"DELETE FROM {MessageEvent._meta.db_table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


def test_the_pages_for_no_reply_and_hide(assert_statuses, clients, people, message):
    drafters = {**SEES, **HIDDEN, "auditor": 403, "head_of_service": 403}
    assert_statuses(url("message", message.pk), {**SEES, **HIDDEN})
    assert_statuses(url("no_reply", message.pk), drafters)
    assert_statuses(url("hide", message.pk), drafters)
    refused = clients["head_of_service"].get(url("hide", message.pk)).content.decode()
    assert "Northfield Bins&#x27;s responsible officer or deputy, or the Communications team" in refused

    clients["officer"].post(url("hide", message.pk), {"reason": "Spam link."})
    page = clients["officer"].post(url("no_reply", message.pk), {"reason_code": "spam"})
    assert page.status_code == 302 and page["Location"] == url("message", message.pk)
    shown = clients["auditor"].get(url("message", message.pk)).content.decode()
    for words in ("No reply needed", "Spam or advertising", "Hidden on the platform", "Spam link."):
        assert words in shown, words
    inbox = clients["auditor"].get(url("inbox"), {"due": "no_reply"}).content.decode()
    assert "@spammer" in inbox and "No reply needed" in inbox


def test_no_reply_needed_without_a_reason_keeps_the_page_and_says_why(clients, message):
    page = clients["officer"].post(url("no_reply", message.pk), {"reason_code": "other", "details": ""})
    assert page.status_code == 200 and "Say why no reply is needed." in page.content.decode()
    assert reloaded(message).is_open


def test_other_apps_add_links_to_a_message_in_the_inbox_and_on_its_pages(
    clients, people, message, monkeypatch
):
    monkeypatch.setattr(contributions, "_record_links", {})
    contributions.add_record_links(
        "content_review.inboundmessage",
        lambda record, user: (
            [Link("Refer the sender", f"/refer/{record.pk}/")] if user.has_role("Officer") else []
        ),
    )
    for page in (url("inbox"), url("reply", message.pk), url("message", message.pk)):
        assert (
            f'href="/refer/{message.pk}/">Refer the sender' in clients["officer"].get(page).content.decode()
        ), page
    assert "Refer the sender" not in clients["comms"].get(url("message", message.pk)).content.decode()
