"""The one place training reads posts and replies (content_review): who drafts and who reviews.

content_review can be left out of the service (tests/core/test_app_removal.py); then nobody holds these
two responsibilities and nothing imports it. Nowhere else in training names content_review.

Who counts as drafting: the author of any draft (post or reply, whatever became of it) created in the
last TRAINING_AUTHOR_MONTHS months (12 by default) before the day asked about. Who counts as reviewing:
anyone named as a reviewer for an account or a service area, for as long as they are named."""

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from training.models import Responsibility as R


def drafting_since(day: date) -> datetime:
    start = day - relativedelta(months=settings.TRAINING_AUTHOR_MONTHS)
    return timezone.make_aware(datetime.combine(start, time.min))


def _author_reasons(rows: QuerySet) -> list[str]:
    from accounts_registry.models import Account
    from training.requirements import account_name

    names = sorted(account_name(a) for a in Account.objects.filter(pk__in=rows.values("account_id")))
    if not names:
        return []
    months = settings.TRAINING_AUTHOR_MONTHS
    return [f"drafted posts or replies for {', '.join(names)} in the last {months} months"]


def _reviewer_reasons(rows: QuerySet) -> list[str]:
    from training.requirements import account_name

    return [
        f"are a named reviewer for {account_name(a.account)}"
        if a.account_id
        else f"are a named reviewer for the {a.service_area} service area"
        for a in rows.select_related("account", "service_area").order_by("pk")
    ]


def content_sources() -> list:
    if not apps.is_installed("content_review"):
        return []
    from content_review.models import Draft, ReviewerAssignment
    from training.requirements import Source

    return [
        Source(
            R.AUTHOR,
            lambda day: Draft.objects.filter(created_at__gte=drafting_since(day)),
            "author",
            _author_reasons,
        ),
        Source(R.REVIEWER, lambda day: ReviewerAssignment.objects.all(), "person", _reviewer_reasons),
    ]
