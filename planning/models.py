"""Planning's own records: each person's private calendar feed, and the late-post emails already sent.

Neither refers to content_review's tables by a foreign key, so content_review stays an app that can be
left out (planning then adds nothing: see apps.py)."""

import secrets

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone

from core.history import append_only


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


# The token is the feed's only lock: it is kept out of the audit trail, which Comms and auditors read.
@pghistory.track(exclude=["token"])
class CalendarFeed(models.Model):
    """A person's private iCalendar address. Revoking it clears the token: the old address then gives
    404; making a new one gives a new token."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(token__isnull=True) | models.Q(revoked_at__isnull=True),
                name="feed_revoked_has_no_token",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"

    @property
    def is_live(self) -> bool:
        return bool(self.token)


@append_only
class LateNotice(models.Model):
    """An approved post still unpublished an hour after its planned time was emailed about, once: the
    unique draft id is the claim two workers cannot both make. A plain id, not a foreign key, so that
    content_review's migrations need nothing from planning's."""

    draft_id = models.PositiveBigIntegerField(unique=True)
    planned_for = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Late-post email about draft {self.draft_id}"
