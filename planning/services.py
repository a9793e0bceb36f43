"""Planning's writes: a person's calendar feed, and the hourly sweep that flags late posts."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from content_review.models import Campaign, D, Draft
from content_review.services import draft_approve
from core.actions import Refused
from notifications.services import notification_queue
from organisation.models import Role, User
from planning.models import CalendarFeed, LateNotice, new_token
from planning.permissions import CAMPAIGN_ACTIONS
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
    feed = CalendarFeed.objects.filter(token=token, person__is_active=True).select_related("person").first()
    return feed.person if feed else None


# ---------------------------------------------------------------------------------------------------
# Late posts


def late_drafts(now: datetime | None = None):
    """Approved posts still unpublished an hour after their planned time."""
    now = now or timezone.now()
    return Draft.objects.filter(status=D.APPROVED, planned_for__lte=now - LATE_AFTER)


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


# ---------------------------------------------------------------------------------------------------
# Campaigns


def campaign_save(*, by: User, data: dict, campaign: Campaign | None = None) -> Campaign:
    """Make or change a campaign. Only Comms set the owner (a campaign someone else makes is theirs)."""
    with transaction.atomic():
        if campaign is None:
            if not by.has_perm("planning.add_campaign"):
                raise Refused("Your role does not let you make campaigns.")
            campaign = Campaign(owner=by)
        else:
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            CAMPAIGN_ACTIONS.recheck("edit", campaign, by)
        if "owner" in data and data["owner"] is not None:
            if not by.has_perm("planning.set_campaign_owner"):
                raise Refused("Only the Communications team chooses a campaign's owner.")
            campaign.owner = data["owner"]
        for name in ("name", "description", "starts_on", "ends_on", "service_area"):
            setattr(campaign, name, data.get(name, getattr(campaign, name)))
        campaign.full_clean()
        campaign.save()
    return campaign


def campaign_set_posts(*, by: User, campaign: Campaign, chosen: set[int], offered: set[int]) -> int:
    """Of the drafts offered on the page, put the chosen ones in the campaign and take the rest out.
    Only drafts the person may see; returns how many are in it now among those offered."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        CAMPAIGN_ACTIONS.recheck("posts", locked, by)
        visible = Draft.objects.visible_to(by).filter(pk__in=offered)
        visible.filter(pk__in=chosen & offered).exclude(campaign=locked).update(campaign=locked)
        visible.filter(campaign=locked).exclude(pk__in=chosen).update(campaign=None)
        return visible.filter(campaign=locked).count()


@dataclass(frozen=True)
class Outcome:
    draft: Draft
    approved: bool
    reason: str = ""


def _words(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict") and "acknowledged" in exc.error_dict:
        return "It has warnings to consider one by one: review it on its own page."
    return " ".join(exc.messages)


def campaign_drafts_to_approve(*, by: User, campaign: Campaign):
    """The campaign's drafts waiting for review that the person may see, with the latest revision."""
    return (
        Draft.objects.visible_to(by)
        .filter(campaign=campaign, status=D.SUBMITTED)
        .select_related("account", "author")
        .order_by("planned_for", "pk")
    )


def campaign_approve_together(*, by: User, campaign: Campaign, revisions: dict[int, int]) -> list[Outcome]:
    """Comms approve the campaign's waiting drafts one by one through content review's own approval,
    so each is checked and recorded per draft as if approved on its own page; each refusal is kept
    with its reason and the others go ahead."""
    CAMPAIGN_ACTIONS.require("approve", campaign, by)
    outcomes = []
    for draft in campaign_drafts_to_approve(by=by, campaign=campaign).filter(pk__in=revisions):
        try:
            draft_approve(draft=draft, by=by, revision_number=revisions[draft.pk])
        except Refused as exc:
            outcomes.append(Outcome(draft, False, exc.reason))
        except PermissionDenied as exc:
            outcomes.append(Outcome(draft, False, str(exc) or "You may not approve it."))
        except ValidationError as exc:
            outcomes.append(Outcome(draft, False, _words(exc)))
        else:
            outcomes.append(Outcome(draft, True))
    return outcomes
