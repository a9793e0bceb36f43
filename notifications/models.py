"""The outbox: an email someone must act on is a row written in the same transaction as the action
that caused it. A task delivers pending rows, so neither Redis nor the mail server being down can
fail the action or lose the message: it goes out when they are back."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # A sign-in (password reset) link: never shown in the admin, and blanked once sent.
    sensitive = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The delivery sweep: pending rows whose next attempt is due, oldest first.
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(status="pending"), name="outbox_pending_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"


# The daily digest's tables live with the digest (notifications/digest.py); imported here so Django
# finds them.
from notifications.digest import EmailPreference, HeldEmail  # noqa: E402, F401
