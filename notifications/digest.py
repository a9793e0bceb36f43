"""A daily digest instead of an email each time, for those who choose it.

An email that can wait a day (a draft to review, a decision on yours) goes through `queue_or_digest`:
people who chose the digest have it held back here; everyone else gets it at once, through the outbox.
A daily job (`send_digests`) turns each person's held emails into one outbox email, once. Emails that
cannot wait (a reply about to be overdue, a sign-in link) never come here: they use the outbox directly.
"""

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.services import notification_queue


class EmailPreference(models.Model):
    """How a person gets the emails that can wait: each at once (no row, the default), or a daily digest."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Send each email at once"
        DAILY = "daily", "Send me one email a day, listing them"

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="email_preference"
    )
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "notifications"

    def __str__(self) -> str:
        return f"{self.person}: {self.get_frequency_display()}"


class HeldEmail(models.Model):
    """An email kept back for its recipient's next daily digest; gone once the digest is in the outbox
    (which keeps, and in time purges, what was sent)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "notifications"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} (held for {self.recipient})"


def takes_digest(people: Iterable) -> set[int]:
    ids = [p.pk for p in people if not isinstance(p, str)]
    return set(
        EmailPreference.objects.filter(person__in=ids, frequency=EmailPreference.Frequency.DAILY).values_list(
            "person_id", flat=True
        )
    )


def queue_or_digest(*, recipients: Iterable, subject: str, template: str, context: dict) -> None:
    """`notification_queue` for an email that can wait a day: held for the digest of those who chose one."""
    recipients = list(recipients)
    daily = takes_digest(recipients)
    held = [p for p in recipients if not isinstance(p, str) and p.pk in daily]
    HeldEmail.objects.bulk_create(
        HeldEmail(
            recipient=person,
            subject=subject[:200],
            body=render_to_string(
                template, {**context, "recipient": person, "site_url": settings.SITE_URL, "in_digest": True}
            ),
        )
        for person in held
    )
    now = [p for p in recipients if p not in held]
    if now:
        notification_queue(recipients=now, subject=subject, template=template, context=context)


def preference_set(*, person, frequency: str) -> EmailPreference:
    preference, _ = EmailPreference.objects.update_or_create(person=person, defaults={"frequency": frequency})
    return preference


def digests_send() -> int:
    """Each person's held emails become one outbox email. Rows are claimed under a row lock with SKIP
    LOCKED and deleted in the same transaction as the digest is written, so two workers (or a rerun)
    never send one twice. Returns how many digests were written."""
    sent = 0
    for person_id in list(
        HeldEmail.objects.order_by("recipient").values_list("recipient", flat=True).distinct()
    ):
        with transaction.atomic():
            held = list(
                HeldEmail.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=person_id)
                .select_related("recipient")
            )
            if not held:
                continue
            emails = f"{len(held)} email{'s' if len(held) != 1 else ''}"
            notification_queue(
                recipients=[held[0].recipient],
                subject=f"Your daily summary: {emails} from {settings.SERVICE_NAME}",
                template="notifications/email/digest.txt",
                context={"held": held},
            )
            HeldEmail.objects.filter(pk__in=[h.pk for h in held]).delete()
            sent += 1
    return sent


@shared_task
def send_digests() -> int:
    return digests_send()
