"""The outbox: an email someone must act on is a row written in the same transaction as the action
that caused it. A task delivers pending rows, so neither Redis nor the mail server being down can
fail the action or lose the message: it goes out when they are back."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        # Its body is never stored: a fresh reset link is written into it each time it is sent.
        PASSWORD_RESET = "password_reset", "Password reset"

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
    body = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.MESSAGE)
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
            ),
            # Comms' home page counts failed emails and the outbox lists them newest first.
            models.Index(fields=["created_at"], condition=models.Q(status="failed"), name="outbox_failed"),
            # The retention job: sent emails whose body is still kept, by when they went.
            models.Index(
                fields=["sent_at"],
                condition=models.Q(status="sent") & ~models.Q(body=""),
                name="outbox_sent_body_kept",
            ),
            # The reset-email limit: a person's recent reset emails.
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(kind="password_reset"),
                name="outbox_password_resets",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"


# The daily digest's tables live with the digest (notifications/digest.py); imported here so Django
# finds them.
from notifications.digest import EmailPreference, HeldEmail  # noqa: E402, F401
