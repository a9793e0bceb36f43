"""Who may draft, review, publish and read what. Views, templates and services all ask here."""

import rules
from django.db.models import Q

from organisation.permissions import can_read_everything, is_auditor, is_comms, is_head_of_service


def may_draft_for(user, account) -> bool:
    """Comms for any account; otherwise the account's responsible officer, deputy, or named author."""
    if not (user and user.is_authenticated and user.is_active) or account is None or account.is_closed:
        return False
    if user.has_role("Communications"):
        return True
    return user.pk in (account.responsible_officer_id, account.deputy_id)


def may_review_account(user, account) -> bool:
    """Comms always; otherwise people named as reviewers of the account or of its service area."""
    if not (user and user.is_authenticated and user.is_active) or account is None:
        return False
    if user.has_role("Communications"):
        return True
    from content_review.models import ReviewerAssignment

    return ReviewerAssignment.objects.filter(
        Q(account=account) | Q(service_area_id=account.service_area_id, service_area__isnull=False),
        person=user,
    ).exists()


@rules.predicate
def is_author(user, draft) -> bool:
    return draft is not None and draft.author_id == user.pk


@rules.predicate
def can_draft_for_account(user, draft) -> bool:
    return draft is not None and may_draft_for(user, draft.account)


@rules.predicate
def reviews_its_account(user, draft) -> bool:
    return draft is not None and may_review_account(user, draft.account)


@rules.predicate
def heads_its_area(user, draft) -> bool:
    return (
        draft is not None
        and draft.account.service_area_id is not None
        and (
            draft.account.service_area_id == user.service_area_id
            or draft.account.service_area.head_of_service_id == user.pk
        )
    )


can_see_draft = (
    can_read_everything
    | is_author
    | can_draft_for_account
    | reviews_its_account
    | (is_head_of_service & heads_its_area)
)
rules.add_perm("content_review.view_draft", can_see_draft)
rules.add_perm("content_review.change_draft", is_author & can_draft_for_account)
# Never their own draft: an author cannot approve, return or reject what they wrote.
rules.add_perm("content_review.review_draft", reviews_its_account & ~is_author)
rules.add_perm("content_review.publish_draft", is_author | is_comms)
rules.add_perm("content_review.withdraw_draft", is_author | is_comms)
# Auditors read the trail; they do not write into it.
rules.add_perm("content_review.comment_draft", can_see_draft & ~(is_auditor & ~is_comms))
rules.add_perm("content_review.urgent_publish", is_comms)
rules.add_perm("content_review.post_review_draft", is_comms & ~is_author)
rules.add_perm("content_review.manage_standard_responses", is_comms)
rules.add_perm(
    "content_review.view_area",
    is_comms
    | is_auditor
    | is_head_of_service
    | rules.is_group_member("Officer")
    | rules.is_group_member("Reviewer"),
)
# The admin's read-only lists (view_draft above covers drafts).
for model in ("revision", "draftevent", "inboundmessage", "standardresponse"):
    rules.add_perm(f"content_review.view_{model}", can_read_everything)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"content_review.{action}_reviewerassignment", is_comms)
