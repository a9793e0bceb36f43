"""Personal data in posts, replies and messages from the public: how long it is kept, how Comms remove
it on request, and what is held about one member of the public (core.contributions: retention and
subject_access). Everything leaves through core.redaction, audit trail and workflow logs included.

What the response-time figures count stays: when a message was received, was due, was replied to or
closed, and on which account. Who sent it and what they and the reply said go."""

from django.db import transaction
from django.db.models import Q, QuerySet

from content_review.models import Draft, DraftEvent, InboundMessage, MessageEvent, Revision
from content_review.permissions import DRAFT_ACTIONS, MESSAGE_ACTIONS
from core.contributions import Found, RetentionRule
from core.models import Redaction
from core.redaction import MARKER, Copy, redact
from core.templatetags.dates import govuk_datetime
from notifications.models import Notification
from organisation.models import User

MESSAGE_FIELDS = ["sender_handle", "link", "text", "closed_reason", "hidden_reason"]
DRAFT_FIELDS = ["text"]


def _draft_copies(draft: Draft) -> list[Copy]:
    return [
        Copy(Revision.objects.filter(draft=draft), ["text", "image_alt_texts"]),
        Copy(DraftEvent.objects.filter(draft=draft), ["comment"]),
    ]


def _outbox(secrets: list[str]) -> Copy:
    """Emails still held in the outbox (unsent, or sent and not yet forgotten) that quote the data."""
    quoting = Q(pk__in=[])
    for secret in secrets:
        quoting |= Q(subject__contains=secret) | Q(body__contains=secret)
    return Copy(Notification.objects.filter(quoting), ["subject", "body"])


def message_anonymise(
    message: InboundMessage, *, rule: str, reason: str = "Its retention period ended.", by=None
) -> int:
    """The message's sender and words, its log's comments, the replies drafted to it (every revision)
    and the emails that named the sender."""
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        secrets = [
            value for value in (locked.sender_handle, locked.text, locked.link) if value and value != MARKER
        ]
        done = redact(
            record=locked,
            fields=MESSAGE_FIELDS,
            secrets=None,
            copies=[Copy(MessageEvent.objects.filter(message=locked), ["comment"]), _outbox(secrets)],
            kind="the sender's handle, link and words",
            rule=rule,
            reason=reason,
            by=by,
        )
        rows = done.rows if done else 0
        for draft in Draft.objects.filter(inbound_message=locked).order_by("pk"):
            replied = redact(
                record=draft,
                fields=[*DRAFT_FIELDS, "published_url"],
                secrets=None,
                copies=_draft_copies(draft),
                kind="a reply to a member of the public",
                rule=rule,
                reason=reason,
                by=by,
            )
            rows += replied.rows if replied else 0
    return rows


def messages_due(cutoff) -> QuerySet:
    """Messages replied to or closed before the cutoff that still name their sender."""
    ended = Q(replied_at__lt=cutoff) | Q(closed_at__lt=cutoff)
    return InboundMessage.objects.filter(ended).exclude(sender_handle=MARKER)


def hidden_due(cutoff) -> QuerySet:
    return InboundMessage.objects.filter(hidden_at__lt=cutoff).exclude(sender_handle=MARKER)


RETENTION = [
    RetentionRule(
        code="inbound",
        label="Messages from the public, and the replies drafted to them",
        after="after the message was replied to or needed no reply",
        reason=(
            "Long enough to answer a complaint about how the council replied; the response-time "
            "figures keep only the times."
        ),
        default_months=24,
        due=messages_due,
        anonymise=lambda message: message_anonymise(message, rule="inbound"),
    ),
    RetentionRule(
        code="hidden",
        label="Messages the council hid",
        after="after the message was hidden",
        reason=(
            "Long enough to answer a complaint about the hiding; the council does not need the words after."
        ),
        default_months=12,
        due=hidden_due,
        anonymise=lambda message: message_anonymise(message, rule="hidden"),
    ),
]


# ---------------------------------------------------------------------------------------------------
# Redaction on request (Comms only: DRAFT_ACTIONS / MESSAGE_ACTIONS "redact")


def draft_redact(*, draft: Draft, by: User, secret: str, kind: str, reason: str) -> Redaction | None:
    """Remove one piece of personal data from a draft: its text, every revision, its log's comments,
    its audit trail, and emails still in the outbox that quote it."""
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        DRAFT_ACTIONS.recheck("redact", locked, by)
        return redact(
            record=locked,
            fields=DRAFT_FIELDS,
            secrets=[secret],
            copies=[*_draft_copies(locked), _outbox([secret])],
            kind=kind,
            rule="request",
            reason=reason,
            by=by,
        )


def message_redact(
    *, message: InboundMessage, by: User, secret: str, kind: str, reason: str
) -> Redaction | None:
    """Remove one piece of personal data from a message from the public, its log and its trail."""
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        MESSAGE_ACTIONS.recheck("redact", locked, by)
        return redact(
            record=locked,
            fields=MESSAGE_FIELDS,
            secrets=[secret],
            copies=[Copy(MessageEvent.objects.filter(message=locked), ["comment"]), _outbox([secret])],
            kind=kind,
            rule="request",
            reason=reason,
            by=by,
        )


# ---------------------------------------------------------------------------------------------------
# Subject access


def subject_access(handle: str, platform: str | None) -> list[Found]:
    wanted = handle.strip().lstrip("@")
    if not wanted or wanted == MARKER:
        return []
    messages = (
        InboundMessage.objects.filter(Q(sender_handle__iexact=wanted) | Q(sender_handle__iexact=f"@{wanted}"))
        .select_related("account")
        .prefetch_related("replies")
        .order_by("received_at")
    )
    if platform:
        messages = messages.filter(account__platform=platform)
    if not messages:
        return []
    section = Found("Messages to the council and its replies")
    for m in messages:
        section.items.append(
            {
                "Message": str(m.pk),
                "Council account": str(m.account),
                "From": m.sender_handle,
                "Link": m.link,
                "Received": govuk_datetime(m.received_at),
                "What they said": m.text,
                "Replied": govuk_datetime(m.replied_at) if m.replied_at else "",
                "No reply needed because": m.closed_reason,
                "Hidden because": m.hidden_reason,
            }
        )
        for reply in m.replies.all():
            section.items.append(
                {
                    "Reply": str(reply.pk),
                    "To message": str(m.pk),
                    "Status": reply.get_status_display(),
                    "Text": reply.text,
                    "Published at": reply.published_url,
                }
            )
    return [section]
