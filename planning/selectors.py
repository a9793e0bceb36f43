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
    last: date | None  # the last such day; None: nothing is planned after it as far as we look
    frequency_days: int


LOOK = timedelta(days=31)  # the longest agreed interval (monthly): a post this far either side counts


def gaps(user, first: date, last: date, accounts: QuerySet[Account] | None = None) -> list[Gap]:
    """Active accounts this person may see with a stretch overlapping first..last (from today on: the
    past is not a plan) longer than their agreed posting frequency with nothing planned, approved or
    published, soonest first. A stretch runs from the day after a post to the day before the next, so
    posts a month either side of the period count. Two queries whatever the number of accounts or drafts."""
    first = max(first, timezone.localdate())
    if first > last:
        return []
    visible = Account.objects.visible_to(user).filter(status=AccountStatus.ACTIVE)
    if accounts is not None:
        visible = visible.filter(pk__in=accounts.values("pk"))
    visible = list(visible.select_related("service_area").order_by("display_name", "pk"))
    if not visible:
        return []
    # Any draft on the account counts, whoever may see it: the gap is a fact about the account.
    days_by_account: dict[int, set[date]] = {a.pk: set() for a in visible}
    dues = (
        Draft.objects.filter(account__in=[a.pk for a in visible], status__in=ON_CALENDAR)
        .annotate(due=Coalesce("published_at", "planned_for"))
        .filter(due__gte=day_start(first) - LOOK, due__lt=day_start(last + timedelta(days=1)) + LOOK)
        .values_list("account_id", F("due"))
    )
    for account_id, due in dues:
        days_by_account[account_id].add(timezone.localdate(due))
    horizon = last + LOOK
    found = []
    for account in visible:
        allowed = frequency_days(account.posting_frequency)
        days = sorted(days_by_account[account.pk])
        before = [d for d in days if d < first]
        start = before[-1] + timedelta(days=1) if before else first
        for day in [*(d for d in days if d >= first), None]:
            end = day or horizon + timedelta(days=1)
            # Posts more than `allowed` days apart leave at least `allowed` empty days between them.
            if start <= last and (end - start).days >= allowed:
                found.append(
                    Gap(account, max(start, first), day - timedelta(days=1) if day else None, allowed)
                )
            if day is None:
                break
            start = max(start, day + timedelta(days=1))
    return sorted(found, key=lambda g: (g.first, g.account.display_name))
