"""Reading the calendar: which drafts fall on which days for a person, and where an account's plan
has a gap longer than its agreed posting frequency."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts_registry.models import Account, AccountStatus, PostingFrequency
from content_review.models import D, Draft

# Planned (being written or reviewed, with a planned time), approved, and published: what a calendar
# shows. Rejected and withdrawn drafts are not going out.
ON_CALENDAR = [D.DRAFT, D.SUBMITTED, D.CHANGES_REQUESTED, D.APPROVED, D.PUBLISHED]
PLANNED = [D.DRAFT, D.SUBMITTED, D.CHANGES_REQUESTED]
# An approved post still unpublished this long after its planned time is late.
LATE_AFTER = timedelta(hours=1)


def calendar_drafts(user) -> QuerySet[Draft]:
    """The drafts on this person's calendar, each with `due`: when it went out if published, else
    when it is planned for. Only drafts the person may see (content_review's one answer)."""
    return (
        Draft.objects.visible_to(user)
        .filter(status__in=ON_CALENDAR)
        .annotate(due=Coalesce("published_at", "planned_for"))
        .filter(due__isnull=False)
        .select_related("account", "account__service_area", "author")
        .order_by("due", "pk")
    )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def between(drafts: QuerySet[Draft], first: date, last: date) -> QuerySet[Draft]:
    """Those due on the days first..last (local days, both included)."""
    return drafts.filter(due__gte=day_start(first), due__lt=day_start(last + timedelta(days=1)))


def frequency_days(frequency: str) -> int:
    """The longest an account may go without a post and still keep its agreed frequency."""
    return math.ceil(30 / PostingFrequency(frequency).posts_per_30_days)


@dataclass(frozen=True)
class Gap:
    account: Account
    first: date  # the first day with nothing planned
    last: date  # the last such day in the period looked at
    frequency_days: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


LOOK_BACK = timedelta(days=31)  # the longest agreed interval (monthly), so a post before the period counts


def gaps(user, first: date, last: date, accounts: QuerySet[Account] | None = None) -> list[Gap]:
    """Active accounts this person may see with a stretch in first..last (from today on: the past is
    not a plan) longer than their agreed posting frequency with nothing planned, approved or published.
    Two queries whatever the number of accounts or drafts."""
    first = max(first, timezone.localdate())
    if first > last:
        return []
    visible = Account.objects.visible_to(user).filter(status=AccountStatus.ACTIVE)
    if accounts is not None:
        visible = visible.filter(pk__in=accounts.values("pk"))
    visible = list(visible.select_related("service_area").order_by("display_name"))
    if not visible:
        return []
    # Any draft on the account counts, whoever may see it: the gap is a fact about the account.
    days_by_account: dict[int, list[date]] = {a.pk: [] for a in visible}
    dues = (
        Draft.objects.filter(account__in=[a.pk for a in visible], status__in=ON_CALENDAR)
        .annotate(due=Coalesce("published_at", "planned_for"))
        .filter(due__gte=day_start(first) - LOOK_BACK, due__lt=day_start(last + timedelta(days=1)))
        .values_list("account_id", F("due"))
    )
    for account_id, due in dues:
        days_by_account[account_id].append(timezone.localdate(due))
    found = []
    for account in visible:
        allowed = frequency_days(account.posting_frequency)
        before = [d for d in days_by_account[account.pk] if d < first]
        inside = sorted({d for d in days_by_account[account.pk] if d >= first})
        # Each stretch runs from the day after a post (or the period's start) to the day before the next.
        start = max(before) + timedelta(days=1) if before else first
        for day in [*inside, last + timedelta(days=1)]:
            # Posts more than `allowed` days apart leave at least `allowed` empty days between them.
            if (day - start).days >= allowed:
                found.append(Gap(account, max(start, first), day - timedelta(days=1), allowed))
            start = max(start, day + timedelta(days=1))
    return found
