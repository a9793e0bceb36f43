"""Planning's writes: a person's calendar feed, and the hourly sweep that flags late posts."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from content_review.models import D, Draft
from notifications.services import notification_queue
from organisation.models import Role, User
from planning.models import CalendarFeed, LateNotice, new_token
from planning.selectors import LATE_AFTER

# ---------------------------------------------------------------------------------------------------
# The calendar feed


def feed_create(*, person: User) -> CalendarFeed:
    """A new private address for the person's feed (also "regenerate": the old address stops working)."""
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.select_for_update().get_or_create(person=person)
        feed.token, feed.created_at, feed.revoked_at = new_token(), timezone.now(), None
        feed.save()
    return feed


def feed_revoke(*, person: User) -> CalendarFeed | None:
    """Stop the person's feed: its address gives 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
        if feed is not None and feed.token:
            feed.token, feed.revoked_at = None, timezone.now()
            feed.save()
    return feed


def feed_owner(token: str) -> User | None:
    """Whose live feed this token opens (None: no such feed, or revoked)."""
    if not token or len(token) > CalendarFeed._meta.get_field("token").max_length:
        return None
    feed = CalendarFeed.objects.filter(token=token).select_related("person").first()
    return feed.person if feed else None


# ---------------------------------------------------------------------------------------------------
# Late posts


def late_drafts(now: datetime | None = None):
    """Approved posts still unpublished an hour after their planned time."""
    now = now or timezone.now()
    return Draft.objects.filter(status=D.APPROVED, planned_for__lt=now - LATE_AFTER)


def _comms() -> list[User]:
    return list(User.objects.current().with_role(Role.COMMS).filter(is_active=True))


BATCH = 500  # late posts emailed about in one run; the next run takes the rest


def late_posts_flag(*, now: datetime | None = None) -> int:
    """The hourly sweep: one email per late post, once, to its author and Comms. Each draft is claimed
    by inserting its LateNotice (unique on the draft) in the same transaction as the emails, so two
    workers never send twice and a failure leaves it to the next run. Returns how many were flagged."""
    now = now or timezone.now()
    pending = late_drafts(now).exclude(pk__in=LateNotice.objects.values("draft_id"))
    comms = None
    flagged = 0
    for draft in pending.select_related("account", "author").order_by("planned_for")[:BATCH]:
        comms = _comms() if comms is None else comms
        try:
            with transaction.atomic():
                LateNotice.objects.create(draft_id=draft.pk, planned_for=draft.planned_for, sent_at=now)
                recipients = [draft.author, *(p for p in comms if p.pk != draft.author_id)]
                notification_queue(
                    recipients=recipients,
                    subject=f"Not yet published: {draft}",
                    template="planning/email/late.txt",
                    context={"draft": draft},
                )
        except IntegrityError:
            continue  # another worker claimed it first
        flagged += 1
    return flagged
