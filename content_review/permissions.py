"""Who may see and do what with posts, replies and messages from the public: the one answer views,
templates and services use.

Who sees a draft or a message: `Draft.objects.visible_to(user)`, `InboundMessage.objects.visible_to(user)`.
What a person may do next with one: `DRAFT_ACTIONS.for_record(draft, user)` and
`MESSAGE_ACTIONS.for_record(message, user)` (core.actions)."""

import rules
from django.db.models import Q
from django_fsm import can_proceed

from accounts_registry.models import OPEN_STATUSES
from content_review import chains
from content_review.models import (
    EDITABLE,
    D,
    Draft,
    InboundMessage,
    ReviewerAssignment,
)
from core.actions import Policy, Reason, Rule
from organisation.models import Role
from organisation.permissions import (
    can_read_everything,
    is_auditor,
    is_comms,
    is_head_of_service,
    is_officer,
    is_reviewer,
)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_draft_for(user, account) -> bool:
    """Comms for any open account; otherwise the account's responsible officer or deputy, while it is
    open. The same answer as models.accounts_drafted_by (the accounts the draft form offers)."""
    if not _signed_in(user) or account is None or account.status not in OPEN_STATUSES:
        return False
    return user.has_role(Role.COMMS) or user.pk in (account.responsible_officer_id, account.deputy_id)


def may_review_account(user, account) -> bool:
    """Comms always; otherwise people named as reviewers of the account or of its service area."""
    if not _signed_in(user) or account is None:
        return False
    if user.has_role(Role.COMMS):
        return True
    named = Q(account=account)
    if account.service_area_id:
        named |= Q(service_area_id=account.service_area_id)
    return ReviewerAssignment.objects.filter(named, person=user).exists()


def fetched_for(draft: Draft, user) -> Draft:
    """Mark a draft just fetched through `Draft.objects.visible_to(user)`: can_see_draft then answers
    from that fetch instead of asking the database the same question again. Only for the page
    being drawn: services fetch the draft afresh (unmarked) and so recheck against the database."""
    draft._visible_to = user.pk
    return draft


@rules.predicate
def can_see_draft(user, draft) -> bool:
    """Without a draft (the admin's list): whether they read every draft."""
    if draft is None:
        return can_read_everything(user)
    if user.pk is not None and getattr(draft, "_visible_to", None) == user.pk:
        return True
    return Draft.objects.visible_to(user).filter(pk=draft.pk).exists()


@rules.predicate
def can_see_message(user, message) -> bool:
    if message is None:
        return can_read_everything(user)
    return InboundMessage.objects.visible_to(user).filter(pk=message.pk).exists()


rules.add_perm("content_review.view_draft", can_see_draft)
rules.add_perm("content_review.view_inboundmessage", can_see_message)
rules.add_perm("content_review.urgent_publish", is_comms)
rules.add_perm("content_review.manage_standard_responses", is_comms)
rules.add_perm("content_review.manage_pre_election", is_comms)
rules.add_perm(
    "content_review.view_area",
    is_comms | is_auditor | is_head_of_service | is_officer | is_reviewer,
)
# The admin's read-only lists.
for model in (
    "revision",
    "draftevent",
    "messageevent",
    "standardresponse",
    "campaign",
    "approvalchain",
    "stepapproval",
    "preelectionperiod",
):
    rules.add_perm(f"content_review.view_{model}", can_read_everything)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"content_review.{action}_reviewerassignment", is_comms)


# Who sets approval chains: Comms any; a head of service for their own service area's accounts.


def chains_settable_by(user):
    """The accounts whose chain this person may set (Comms: all; heads of service: their area's)."""
    from accounts_registry.models import Account

    if not _signed_in(user):
        return Account.objects.none()
    if user.has_role(Role.COMMS):
        return Account.objects.all()
    if user.has_role(Role.HEAD_OF_SERVICE):
        return Account.objects.filter(service_area__head_of_service=user)
    return Account.objects.none()


def chain_setter_refusal(user, *, account=None, service_area=None, campaign=None) -> Reason:
    if not _signed_in(user):
        return "Sign in first."
    if user.has_role(Role.COMMS):
        return None
    if (
        account is not None
        and user.has_role(Role.HEAD_OF_SERVICE)
        and account.service_area_id
        and account.service_area.head_of_service_id == user.pk
    ):
        return None
    return (
        "Only the Communications team sets approval chains; a head of service sets them for the accounts "
        "of their own service area."
    )


@rules.predicate
def may_see_chains(user) -> bool:
    return _signed_in(user) and user.has_role(Role.COMMS, Role.HEAD_OF_SERVICE)


rules.add_perm("content_review.manage_chains", may_see_chains)


# What may this person do next with this draft.

STANDING = {
    D.DRAFT: "still being written",
    D.SUBMITTED: "waiting for review",
    D.CHANGES_REQUESTED: "sent back for changes",
    D.APPROVED: "approved",
    D.PUBLISHED: "published",
    D.REJECTED: "rejected",
    D.WITHDRAWN: "withdrawn",
}


def _standing(draft: Draft) -> str:
    return f"This {draft.get_kind_display().lower()} is {STANDING[draft.status]}"


def _move(transition: str):
    """A `when` for a transition, worded for drafts: "This post is published, so it cannot be
    withdrawn now"."""

    def when(draft: Draft) -> Reason:
        if can_proceed(getattr(draft, transition)):
            return None
        return f"{_standing(draft)}, so it cannot be {Draft.MOVE_WORDS[transition]} now."

    return when


def _being_written(what: str):
    def when(draft: Draft) -> Reason:
        if draft.status in EDITABLE:
            return None
        return f"{_standing(draft)}: {what} only while it is being written or after changes are asked for."

    return when


def _waiting_for_review(draft: Draft) -> Reason:
    if draft.status == D.SUBMITTED:
        return None
    return f"{_standing(draft)}, so there is nothing to review now."


def _can_submit(draft: Draft) -> Reason:
    if reason := _move("submit")(draft):
        return reason
    if not chains.needs_review(draft.account):
        return "Posts on this account do not need review: record the publication instead."
    return None


def _can_publish(draft: Draft) -> Reason:
    if draft.status == D.APPROVED or (draft.status == D.DRAFT and not chains.needs_review(draft.account)):
        return None
    if draft.status in EDITABLE:
        return "This account needs every post reviewed: send it for review first."
    return f"{_standing(draft)}, so it cannot be recorded as published now."


def _needs_post_review(draft: Draft) -> Reason:
    if not draft.urgent:
        return "Only a post published urgently is reviewed after publication."
    if draft.post_reviewed_at:
        return f"This post was already reviewed after publication by {draft.post_reviewed_by}."
    return None


def _author(doing: str):
    def who(user, draft: Draft) -> Reason:
        if draft.author_id != user.pk:
            return f"Only the author, {draft.author}, can {doing}."
        if not may_draft_for(user, draft.account):
            return f"You no longer draft for {draft.account.display_name}, so you cannot {doing}."
        return None

    return who


def _author_or_comms(doing: str):
    def who(user, draft: Draft) -> Reason:
        if draft.author_id == user.pk or user.has_role(Role.COMMS):
            return None
        return f"Only the author or the Communications team can {doing}."

    return who


def _reviewer(user, draft: Draft) -> Reason:
    if draft.author_id == user.pk:
        return "Authors never approve their own drafts: someone else must review it."
    if draft.chain_steps and draft.status == D.SUBMITTED:
        return _chain_reviewer(user, draft)
    if may_review_account(user, draft.account):
        return None
    return (
        f"Only the Communications team and the reviewers named for {draft.account.display_name} "
        "review its drafts."
    )


def _chain_reviewer(user, draft: Draft) -> Reason:
    """Under a chain: one of the group of the step waiting, who has approved no other step of it."""
    approvals = chains.approvals_of(draft)
    if any(a.approved_by_id == user.pk for a in approvals):
        return "You have already approved a step of this draft: someone else must approve the next one."
    waiting = chains.current_step(draft, approvals)
    if waiting is None:
        return None
    position, step = waiting
    if chains.in_group(user, step, draft):
        return None
    return f"Step {position} of this draft's approval chain is for: {step['label']}."


def _commenter(user, draft: Draft) -> Reason:
    if user.has_role(Role.AUDITOR) and not user.has_role(Role.COMMS):
        return "Auditors read the trail; they do not add to it."
    if not can_see_draft(user, draft):
        return "You can comment only on drafts you can see."
    return None


def _post_reviewer(user, draft: Draft) -> Reason:
    if draft.chain_steps:
        last = draft.chain_steps[-1]
        if draft.author_id == user.pk:
            return "Someone other than the person who published it must review it."
        if chains.in_group(user, last, draft):
            return None
        return f"The last step of this account's approval chain reviews urgent posts: {last['label']}."
    if not user.has_role(Role.COMMS):
        return "Only the Communications team reviews urgent posts after publication."
    if draft.author_id == user.pk:
        return "Someone other than the person who published it must review it."
    return None


def _comms_only(doing: str):
    def who(user, record) -> Reason:
        return None if user.has_role(Role.COMMS) else f"Only the Communications team can {doing}."

    return who


DRAFT_ACTIONS = Policy(
    Rule(
        "submit",
        "Send for review",
        "content:submit",
        when=_can_submit,
        who=_author("send it for review"),
        style="primary",
        post=True,
    ),
    Rule(
        "edit",
        "Edit the draft",
        "content:edit",
        when=_being_written("it can be edited"),
        who=_author("edit it"),
    ),
    Rule("decide", "Review it", "content:decide", when=_waiting_for_review, who=_reviewer, style="primary"),
    Rule(
        "publish",
        "Record the publication",
        "content:publish",
        when=_can_publish,
        who=_author_or_comms("record its publication"),
        style="primary",
    ),
    Rule(
        "post_review",
        "Record that I have reviewed it",
        "content:post_review",
        when=_needs_post_review,
        who=_post_reviewer,
        style="primary",
        post=True,
    ),
    Rule(
        "image",
        "Add image",
        "content:image",
        when=_being_written("images can be changed"),
        who=_author("change its images"),
        post=True,
    ),
    Rule("comment", "Add comment", "content:comment", who=_commenter, post=True),
    Rule(
        "withdraw",
        "Withdraw this draft",
        "content:withdraw",
        when=_move("withdraw"),
        who=_author_or_comms("withdraw it"),
        style="link",
    ),
    Rule(
        "redact",
        "Remove personal data",
        "content:redact",
        who=_comms_only("remove personal data from a draft"),
        style="warning",
    ),
)


# What may this person do next with this message from the public.


def _message_open(message: InboundMessage) -> Reason:
    account = message.account
    if account.status not in OPEN_STATUSES:
        return (
            f"{account.display_name} is {account.get_status_display().lower()}: nothing more is posted on it."
        )
    if message.replied_at:
        return "This message has been replied to."
    if message.closed_at:
        return f"This message needs no reply ({message.get_closed_code_display().lower()})."
    return None


def _not_hidden(message: InboundMessage) -> Reason:
    if message.hidden_at:
        return f"This message was already recorded as hidden, by {message.hidden_by}."
    return None


def _runs_account(doing: str):
    def who(user, message: InboundMessage) -> Reason:
        if may_draft_for(user, message.account):
            return None
        return (
            f"Only {message.account.display_name}'s responsible officer or deputy, or the Communications "
            f"team, can {doing}."
        )

    return who


def _account_of(message: InboundMessage) -> int:
    return message.account_id


def _everyone(record) -> None:
    return None


MESSAGE_ACTIONS = Policy(
    Rule(
        "reply",
        "Draft a reply",
        "content:reply",
        when=_message_open,
        who=_runs_account("reply to it"),
        same_for=_account_of,
        style="primary",
    ),
    Rule(
        "no_reply",
        "No reply needed",
        "content:no_reply",
        when=_message_open,
        who=_runs_account("decide that it needs no reply"),
        same_for=_account_of,
    ),
    Rule(
        "hide",
        "Record that it was hidden",
        "content:hide",
        when=_not_hidden,
        who=_runs_account("record that it was hidden"),
        same_for=_account_of,
    ),
    Rule(
        "redact",
        "Remove personal data",
        "content:message_redact",
        who=_comms_only("remove personal data from a message"),
        same_for=_everyone,
        style="warning",
    ),
)
