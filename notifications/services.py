import logging
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.after_response import call_after_response
from notifications.models import Notification

logger = logging.getLogger(__name__)
SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length


def email_subject(text: str) -> str:
    """One line, whatever people typed into the names and texts it is built from: line breaks,
    tabs and other control characters become single spaces (a line break in a header is refused
    by the mail library, which would stop the email for good), cut to fit with an ellipsis."""
    flat = "".join(" " if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c for c in str(text))
    flat = " ".join(flat.split())
    if len(flat) > SUBJECT_MAX_LENGTH:
        flat = flat[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return flat


def notification_queue(
    *, recipients: Iterable, subject: str, template: str, context: dict
) -> list[Notification]:
    """Write one outbox row per recipient (a person, or a bare email address) in the caller's
    transaction, and ask for delivery once that transaction commits."""
    rows = []
    for recipient in recipients:
        person = None if isinstance(recipient, str) else recipient
        email = recipient if person is None else person.email
        if not email:
            continue
        body = render_to_string(template, {**context, "recipient": person, "site_url": settings.SITE_URL})
        rows.append(Notification(recipient=person, to_email=email, subject=email_subject(subject), body=body))
    created = Notification.objects.bulk_create(rows)
    if created:
        transaction.on_commit(_request_delivery)
    return created


def password_reset_queue(*, person) -> Notification:
    """A password reset email for the person. The row keeps no link: the delivery writes a fresh
    one each time it sends (so a failed or retried row sends a working link), and nothing that
    signs in as them is ever stored where the outbox's readers could find it."""
    row = Notification.objects.create(
        recipient=person,
        to_email=person.email,
        subject=f"Reset your password for {settings.SERVICE_NAME}",
        kind=Notification.Kind.PASSWORD_RESET,
    )
    transaction.on_commit(_request_delivery)
    return row


def _password_reset_body(person) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return render_to_string(
        "registration/password_reset_email.txt",
        {"user": person, "reset_url": settings.SITE_URL + path, "service_name": settings.SERVICE_NAME},
    )


def _request_delivery() -> None:
    # After the response, never inside it: with Redis down queueing takes seconds.
    call_after_response(_queue_delivery)


def _queue_delivery() -> None:
    from notifications.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception:
        # Broker unreachable: the rows are safe in the outbox and the periodic sweep sends them.
        logger.warning("Could not queue outbox delivery; the periodic sweep will send it", exc_info=True)


class Undeliverable(Exception):
    """Trying again would not help."""


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def outbox_deliver(*, limit: int = 10_000) -> int:
    """Send due pending rows. Each row is claimed under a row lock with SKIP LOCKED, so two workers
    never send the same email; a failure reschedules the row with back-off. Returns how many were sent
    (at most `limit` rows are tried in one run; the periodic sweep takes the rest).

    One transaction per email: a worker killed half-way through a batch (a deploy, the out-of-memory
    killer) has committed every email it sent, so the next run sends only the rest. (With one
    transaction per batch, every email sent before the kill went again.) At worst the one email in
    flight at the moment of the kill is sent twice."""
    sent = 0
    for _ in range(limit):
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if row is None:
                return sent
            row.attempts += 1
            try:
                _send(row)
            except Exception as exc:
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                row.next_attempt_at = timezone.now() + _retry_delay(row.attempts)
                if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS or isinstance(exc, Undeliverable):
                    row.status = Notification.Status.FAILED
                # The error's text can quote the subject or the body: it stays in the outbox row.
                logger.warning("Email %s failed (%s); see the outbox", row.pk, type(exc).__name__)
            else:
                row.status = Notification.Status.SENT
                row.sent_at = timezone.now()
                row.last_error = ""
                sent += 1
            row.save(update_fields=["attempts", "last_error", "next_attempt_at", "status", "sent_at"])
    return sent


def _send(row: Notification) -> None:
    body = row.body
    if row.kind == Notification.Kind.PASSWORD_RESET:
        person = row.recipient
        if person is None or not person.is_active:
            raise Undeliverable("This person can no longer sign in, so no reset link was sent.")
        body = _password_reset_body(person)  # kept only in this function, never saved
    # Rows written before subjects were flattened (or by hand) are flattened as they go.
    send_mail(email_subject(row.subject), body, settings.DEFAULT_FROM_EMAIL, [row.to_email])


def notification_retry(*, notification: Notification) -> None:
    """Comms asks for a message that was given up on to be tried again."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=notification.pk)
        if row.status != Notification.Status.FAILED:
            return
        row.status = Notification.Status.PENDING
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(_request_delivery)


def outbox_forget_sent_bodies(*, now: datetime | None = None) -> int:
    """Sent emails keep their body SENT_EMAIL_RETENTION_DAYS (to answer "what did it say?"), then only
    who, when and the subject. Returns how many bodies were erased."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SENT_EMAIL_RETENTION_DAYS)
    # Served by the partial index outbox_sent_body_kept: only rows still holding a body are read.
    return (
        Notification.objects.filter(status=Notification.Status.SENT, sent_at__lt=cutoff)
        .exclude(body="")
        .update(body="")
    )
