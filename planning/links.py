"""What planning adds to a draft's page: when an approved post is due out, that it is late, and that
it was approved after its planned time."""

from django.urls import reverse
from django.utils import timezone

from content_review.models import Campaign, D, DraftEvent
from core.contributions import Link
from core.templatetags.dates import govuk_datetime
from planning.selectors import LATE_AFTER


def approved_at(draft):
    """When the draft's latest approval was given (None if never)."""
    event = (
        DraftEvent.objects.filter(draft=draft, action=DraftEvent.Action.APPROVED)
        .order_by("-created_at", "-pk")
        .only("created_at")
        .first()
    )
    return event.created_at if event else None


def scheduled_time(draft, user) -> list[Link]:
    if not draft.planned_for or draft.status not in (D.APPROVED, D.PUBLISHED):
        return []
    week = reverse("planning:week") + f"?week={timezone.localdate(draft.planned_for):%Y-%m-%d}"
    links = []
    if draft.status == D.APPROVED:
        late = timezone.now() - draft.planned_for >= LATE_AFTER
        links.append(
            Link(
                f"Due out {govuk_datetime(draft.planned_for)}"
                + (": more than an hour ago, and not yet recorded as published" if late else ""),
                week,
                "See the week in the calendar.",
            )
        )
    at = approved_at(draft)
    if at and at > draft.planned_for:
        planned = govuk_datetime(draft.planned_for)
        links.append(
            Link(
                f"Approved on {govuk_datetime(at)}, after its planned time of {planned}",
                "",
                "It could not have gone out when planned.",
            )
        )
    return links


def campaign(draft, user) -> list[Link]:
    """The campaign a draft belongs to, on the draft's page."""
    if not draft.campaign_id:
        return []
    found = Campaign.objects.filter(pk=draft.campaign_id).only("name").first()
    if found is None:
        return []
    return [Link(f"Part of the campaign “{found.name}”", reverse("planning:campaign", args=[found.pk]))]
