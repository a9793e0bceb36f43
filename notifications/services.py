import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger(__name__)
WITHHELD = "(Not kept: this email contained a sign-in link.)"


def notification_queue(
    *, recipients: Iterable, subject: str, template: str, context: dict, sensitive: bool = False
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
        rows.append(
            Notification(recipient=person, to_email=email, subject=subject, body=body, sensitive=sensitive)
        )
    created = Notification.objects.bulk_create(rows)
    if created:
        transaction.on_commit(_request_delivery)
    return created


def _request_delivery() -> None:
    from notifications.tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception:
        # Broker unreachable: the rows are safe in the outbox and the periodic sweep sends them.
        logger.warning("Could not queue outbox delivery; the periodic sweep will send it", exc_info=True)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


def outbox_deliver(*, batch_size: int = 100) -> int:
    """Send due pending rows. Each row is claimed under a row lock with SKIP LOCKED, so two workers
    never send the same email; a failure reschedules the row with back-off. Returns how many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "pk")[:batch_size]
            )
            if not batch:
                return sent
            for row in batch:
                row.attempts += 1
                try:
                    send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to_email])
                except Exception as exc:
                    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                    row.next_attempt_at = timezone.now() + _retry_delay(row.attempts)
                    if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                        row.status = Notification.Status.FAILED
                    logger.warning("Email %s to %s failed: %s", row.pk, row.to_email, row.last_error)
                else:
                    row.status = Notification.Status.SENT
                    row.sent_at = timezone.now()
                    row.last_error = ""
                    if row.sensitive:
                        row.body = WITHHELD
                    sent += 1
                row.save(
                    update_fields=["attempts", "last_error", "next_attempt_at", "status", "sent_at", "body"]
                )
            if len(batch) < batch_size:
                return sent


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
