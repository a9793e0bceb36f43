"""Who may do what in planning. The calendar and its feed: whoever may see posts and replies
(content_review.view_area); which drafts each person sees is content_review's one answer.

Campaigns: everyone who may see posts and replies sees the campaigns (each sees only the drafts in it
they may see); Comms and those who draft or review make them; the owner and Comms change them and
choose their posts; only Comms set the owner and approve a campaign's posts together."""

import rules

from content_review.models import Campaign
from core.actions import Policy, Reason, Rule
from organisation.models import Role
from organisation.permissions import is_comms, is_head_of_service, is_officer, is_reviewer

VIEW = "content_review.view_area"


def campaigns_visible_to(user):
    if not (user and user.is_authenticated and user.is_active and user.has_perm(VIEW)):
        return Campaign.objects.none()
    return Campaign.objects.all()


def _owner_or_comms(doing: str):
    def who(user, campaign: Campaign) -> Reason:
        if campaign.owner_id == user.pk or user.has_role(Role.COMMS):
            return None
        return f"Only the campaign's owner or the Communications team can {doing}."

    return who


def _comms(user, campaign: Campaign) -> Reason:
    if user.has_role(Role.COMMS):
        return None
    return "Only the Communications team approves a campaign's posts together."


CAMPAIGN_ACTIONS = Policy(
    Rule("edit", "Change the campaign", "planning:campaign_edit", who=_owner_or_comms("change it")),
    Rule("posts", "Choose its posts", "planning:campaign_posts", who=_owner_or_comms("choose its posts")),
    Rule("approve", "Approve its posts together", "planning:campaign_approve", who=_comms, style="primary"),
)

rules.add_perm(
    "planning.add_campaign",
    is_comms | is_head_of_service | is_officer | is_reviewer,
)
rules.add_perm("planning.set_campaign_owner", is_comms)
