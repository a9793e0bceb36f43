"""Every change to drafts, messages and standard responses goes through these functions."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import can_proceed

from accounts_registry.models import Account
from accounts_registry.services import account_note_activity
from content_review.checks import Finding, ImageInfo, check_text
from content_review.models import (
    D,
    Draft,
    DraftEvent,
    DraftImage,
    DraftKind,
    InboundMessage,
    ReviewerAssignment,
    Revision,
    StandardResponse,
)
from content_review.permissions import may_draft_for
from content_review.selectors import unfilled_placeholders
from content_review.working_hours import WorkingCalendar, add_working_hours
from core.uploads import IMAGES, check_upload
from notifications.services import notification_queue
from organisation.models import Role, User

A = DraftEvent.Action


# ---------------------------------------------------------------------------------------------------
# Checks


def draft_findings(draft: Draft) -> list[Finding]:
    images = [ImageInfo(name=i.image.name, alt_text=i.alt_text) for i in draft.images.all()]
    return text_findings(draft.text, draft.account.platform, images)


def text_findings(text: str, platform: str, images=()) -> list[Finding]:
    """The pre-publication checks, plus one of ours: a standard response's placeholder left unfilled."""
    findings = check_text(text, platform, images=images)
    for match in unfilled_placeholders(text):
        start = text.find(match)
        findings.append(
            Finding(
                "standard_response.placeholder",
                "block",
                start,
                start + len(match),
                f"Replace the placeholder {match} with the real words.",
            )
        )
    return findings


def _blocking(findings) -> list:
    return [f for f in findings if (f["severity"] if isinstance(f, dict) else f.severity) == "block"]


# ---------------------------------------------------------------------------------------------------
# Inbound messages


def inbound_record(
    *, by: User, account: Account, sender_handle: str, text: str, received_at: datetime, link: str = ""
) -> InboundMessage:
    """An officer records a message from the public; it is due within the account's agreed
    response time, counted in working hours from when it was received."""
    if not may_draft_for(by, account):
        raise PermissionDenied("You can record messages only for accounts you look after.")
    if received_at > timezone.now():
        raise ValidationError({"received_at": "The time it was received cannot be in the future."})
    due = add_working_hours(received_at, account.response_time_hours, WorkingCalendar.from_settings())
    return InboundMessage.objects.create(
        account=account,
        sender_handle=sender_handle.strip(),
        text=text,
        received_at=received_at,
        link=link,
        recorded_by=by,
        due_at=due,
    )


def inbound_close(*, message: InboundMessage, by: User, reason: str) -> InboundMessage:
    """No reply is needed (spam, answered elsewhere). Says why."""
    if not may_draft_for(by, message.account):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say why no reply is needed."})
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        if not locked.is_open:
            raise ValidationError("This message is already replied to or closed.")
        locked.closed_at, locked.closed_reason = timezone.now(), reason.strip()
        locked.save(update_fields=["closed_at", "closed_reason"])
    return locked


def inbound_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The scheduled sweep: warn before a reply is overdue, and record (and report) each breach once.
    Each message is claimed by a conditional UPDATE, so two workers never warn twice."""
    now = now or timezone.now()
    soon = now + settings.CONTENT_DUE_SOON
    counts = {"warned": 0, "breached": 0}
    for message in InboundMessage.objects.open().filter(
        warned_at__isnull=True, due_at__lte=soon, due_at__gt=now
    ):
        if InboundMessage.objects.filter(pk=message.pk, warned_at__isnull=True).update(warned_at=now):
            _tell_about_message(message, "due soon", "content_review/email/due_soon.txt")
            counts["warned"] += 1
    for message in InboundMessage.objects.open().filter(breached_at__isnull=True, due_at__lte=now):
        if InboundMessage.objects.filter(pk=message.pk, breached_at__isnull=True).update(breached_at=now):
            _tell_about_message(message, "overdue", "content_review/email/overdue.txt")
            counts["breached"] += 1
    return counts


def _tell_about_message(message: InboundMessage, what: str, template: str) -> None:
    draft = message.replies.exclude(status__in=[D.WITHDRAWN, D.REJECTED]).select_related("author").first()
    people = {message.account.responsible_officer, draft.author if draft else message.recorded_by}
    people |= set(_comms())
    notification_queue(
        recipients=sorted(people, key=lambda p: p.pk),
        subject=f"Reply {what}: {message.sender_handle} on {message.account.display_name}",
        template=template,
        context={"message": message, "draft": draft},
    )


def _comms():
    return User.objects.current().with_role(Role.COMMS).filter(is_active=True)


# ---------------------------------------------------------------------------------------------------
# Drafts


def draft_create(
    *,
    by: User,
    account: Account,
    text: str,
    inbound_message: InboundMessage | None = None,
    standard_response: StandardResponse | None = None,
    planned_for: datetime | None = None,
) -> Draft:
    if not may_draft_for(by, account):
        raise PermissionDenied("You can draft only for accounts you are assigned to.")
    if inbound_message is not None and inbound_message.account_id != account.pk:
        raise ValidationError("A reply must be drafted on the account the message came to.")
    if planned_for is not None and planned_for < timezone.now():
        raise ValidationError({"planned_for": "The planned publication time must be in the future."})
    if not text.strip():
        raise ValidationError({"text": "Write the text of the post."})
    return Draft.objects.create(
        kind=DraftKind.REPLY if inbound_message else DraftKind.POST,
        account=account,
        author=by,
        text=text,
        inbound_message=inbound_message,
        standard_response=standard_response,
        planned_for=planned_for,
    )


def draft_add_image(*, draft: Draft, by: User, image, alt_text: str) -> DraftImage:
    """An image for the draft; the checks block review until every image has alternative text."""
    with transaction.atomic():
        locked = _locked(draft)
        if not by.has_perm("content_review.change_draft", locked) or locked.status not in (
            D.DRAFT,
            D.CHANGES_REQUESTED,
        ):
            raise PermissionDenied("Images can be added only to a draft you are writing.")
        try:
            image = check_upload(image, kinds=IMAGES, max_bytes=settings.CONTENT_IMAGE_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError({"image": exc.messages}) from None
        return DraftImage.objects.create(draft=locked, image=image, alt_text=alt_text.strip())


def draft_remove_image(*, draft: Draft, by: User, image_pk: int) -> None:
    """Take an image off a draft that is still being written (the file goes too)."""
    with transaction.atomic():
        locked = _locked(draft)
        if not by.has_perm("content_review.change_draft", locked) or locked.status not in (
            D.DRAFT,
            D.CHANGES_REQUESTED,
        ):
            raise PermissionDenied("Images can be removed only from a draft you are writing.")
        image = locked.images.filter(pk=image_pk).first()
        if image is None:
            raise ValidationError("That image has already been removed.")
        stored = image.image
        image.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def _locked(draft: Draft) -> Draft:
    return Draft.objects.select_for_update().select_related("account", "author").get(pk=draft.pk)


def draft_update(
    *, draft: Draft, by: User, version: int, text: str, planned_for: datetime | None = None
) -> Draft:
    """Only the author edits, and only while it is a draft or sent back: a submitted revision is fixed."""
    with transaction.atomic():
        locked = _locked(draft)
        if not by.has_perm("content_review.change_draft", locked):
            raise PermissionDenied("Only the author can edit this draft.")
        if locked.status not in (D.DRAFT, D.CHANGES_REQUESTED):
            raise ValidationError(
                f"This draft is {locked.get_status_display().lower()}: it cannot be edited now."
            )
        if locked.version != version:
            raise ValidationError(
                "This draft changed since you opened it. Reload it and make your change again."
            )
        if not text.strip():
            raise ValidationError({"text": "Write the text of the post."})
        locked.text, locked.planned_for, locked.version = text, planned_for, locked.version + 1
        locked.save(update_fields=["text", "planned_for", "version", "updated_at"])
    return locked


def _move(locked: Draft, name: str) -> None:
    move = getattr(locked, name)
    if not can_proceed(move):
        raise ValidationError(
            f"This draft is {locked.get_status_display().lower()}, so that cannot be done now. "
            "Someone may have just acted on it: reload the page."
        )
    move()


def _reviewers_of(draft: Draft) -> list[User]:
    assigned = Q(account=draft.account)
    if draft.account.service_area_id:
        assigned |= Q(service_area=draft.account.service_area_id)
    named = User.objects.filter(
        is_active=True,
        left_on__isnull=True,
        pk__in=ReviewerAssignment.objects.filter(assigned).values("person"),
    )
    people = {p for p in [*named, *_comms()] if p.pk != draft.author_id}
    return sorted(people, key=lambda p: p.pk)


def draft_submit(*, draft: Draft, by: User) -> Revision:
    """Send for review. The exact text (and images' alt text) is kept as a new revision with the
    checks' findings; blocking findings must be fixed first. Reviewers are told."""
    with transaction.atomic():
        locked = _locked(draft)
        if locked.author_id != by.pk:
            raise PermissionDenied("Only the author can send the draft for review.")
        if not locked.account.review_required:
            raise ValidationError("Posts on this account do not need review: record the publication instead.")
        findings = [f.as_dict() for f in draft_findings(locked)]
        if blocking := _blocking(findings):
            raise ValidationError([f["message"] for f in blocking])
        _move(locked, "submit")
        number = (locked.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = Revision.objects.create(
            draft=locked,
            number=number,
            text=locked.text,
            findings=findings,
            submitted_by=by,
            image_alt_texts=[i.alt_text for i in locked.images.all()],
        )
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        DraftEvent.objects.create(draft=locked, revision=revision, actor=by, action=A.SUBMITTED)
        notification_queue(
            recipients=_reviewers_of(locked),
            subject=f"Please review: {locked}",
            template="content_review/email/submitted.txt",
            context={"draft": locked},
        )
    return revision


def _decide(
    draft: Draft,
    by: User,
    revision_number: int,
    action: str,
    comment: str = "",
    acknowledged: list[str] | None = None,
) -> DraftEvent:
    with transaction.atomic():
        locked = _locked(draft)
        if locked.author_id == by.pk:  # also enforced by the rule; said twice because it matters most
            raise PermissionDenied("Nobody reviews their own draft.")
        if not by.has_perm("content_review.review_draft", locked):
            raise PermissionDenied("You cannot review this draft.")
        latest = locked.revisions.order_by("-number").first()
        if latest is None or latest.number != revision_number:
            raise ValidationError(
                "A newer revision has been submitted since you opened this page: review the latest one."
            )
        _move(
            locked,
            {A.APPROVED: "approve", A.CHANGES_REQUESTED: "request_changes", A.REJECTED: "reject"}[action],
        )
        if action == A.APPROVED:
            if _blocking(latest.findings):
                raise ValidationError("This revision has problems that block approval.")
            warnings = sorted({f["code"] for f in latest.findings if f["severity"] == "warn"})
            missing = set(warnings) - set(acknowledged or [])
            if missing:
                raise ValidationError(
                    {"acknowledged": "Confirm you have considered each warning before approving."}
                )
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        try:
            with transaction.atomic():
                event = DraftEvent.objects.create(
                    draft=locked,
                    revision=latest,
                    actor=by,
                    action=action,
                    comment=comment,
                    acknowledged=sorted(acknowledged or []),
                )
        except IntegrityError as exc:  # the row lock makes this unreachable; the constraint is the backstop
            raise ValidationError("Someone else has just decided on this revision.") from exc
        notification_queue(
            recipients=[locked.author],
            subject=f"{event.get_action_display()}: {locked}",
            template="content_review/email/decided.txt",
            context={"draft": locked, "event": event},
        )
    return event


def draft_approve(*, draft: Draft, by: User, revision_number: int, acknowledged: list[str] | None = None):
    """Approve the latest revision. Never the author's own; blocking findings cannot be approved;
    every warning must be acknowledged."""
    return _decide(draft, by, revision_number, A.APPROVED, acknowledged=acknowledged)


def draft_request_changes(*, draft: Draft, by: User, revision_number: int, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change."})
    return _decide(draft, by, revision_number, A.CHANGES_REQUESTED, comment.strip())


def draft_reject(*, draft: Draft, by: User, revision_number: int, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": "Say why it is rejected."})
    return _decide(draft, by, revision_number, A.REJECTED, comment.strip())


def draft_withdraw(*, draft: Draft, by: User, comment: str = "") -> Draft:
    with transaction.atomic():
        locked = _locked(draft)
        if not by.has_perm("content_review.withdraw_draft", locked):
            raise PermissionDenied
        _move(locked, "withdraw")
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        DraftEvent.objects.create(draft=locked, actor=by, action=A.WITHDRAWN, comment=comment)
    return locked


def draft_comment(*, draft: Draft, by: User, comment: str) -> DraftEvent:
    if not by.has_perm("content_review.comment_draft", draft):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": "Write a comment."})
    return DraftEvent.objects.create(
        draft=draft, revision=draft.latest_revision, actor=by, action=A.COMMENTED, comment=comment.strip()
    )


def draft_publish(*, draft: Draft, by: User, published_url: str, published_at: datetime) -> Draft:
    """Whoever posted it records where and when. An approved draft, or a draft on an account that
    needs no review. It counts as the account's latest activity; a reply closes its message."""
    if published_at > timezone.now():
        raise ValidationError({"published_at": "The publication time cannot be in the future."})
    with transaction.atomic():
        locked = _locked(draft)
        if not by.has_perm("content_review.publish_draft", locked):
            raise PermissionDenied
        if locked.status == D.DRAFT and locked.account.review_required:
            raise ValidationError("This account needs every post reviewed: send it for review first.")
        if locked.status == D.DRAFT and _blocking([f.as_dict() for f in draft_findings(locked)]):
            raise ValidationError("Fix the problems the checks found before publishing.")
        _move(locked, "publish")
        _record_publication(locked, by, published_url, published_at, A.PUBLISHED)
    return locked


def draft_publish_urgent(
    *, by: User, account: Account, text: str, published_url: str, published_at: datetime, reason: str
) -> Draft:
    """The emergency path: a Comms member publishes first (out of hours, say) and the post is
    reviewed afterwards by someone else. Clearly marked and reported."""
    if not by.has_perm("content_review.urgent_publish") or not may_draft_for(by, account):
        raise PermissionDenied("Only the Communications team can publish urgently, on an open account.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why this could not wait for review."})
    if published_at > timezone.now():
        raise ValidationError({"published_at": "The publication time cannot be in the future."})
    with transaction.atomic():
        draft = Draft.objects.create(kind=DraftKind.POST, account=account, author=by, text=text, urgent=True)
        draft.publish()
        revision = Revision.objects.create(
            draft=draft,
            number=1,
            text=text,
            submitted_by=by,
            findings=[f.as_dict() for f in draft_findings(draft)],
        )
        DraftEvent.objects.create(
            draft=draft, revision=revision, actor=by, action=A.URGENT_PUBLISHED, comment=reason.strip()
        )
        _record_publication(draft, by, published_url, published_at, None)
        notification_queue(
            recipients=[p for p in _comms() if p.pk != by.pk],
            subject=f"Urgent post published before review: {draft}",
            template="content_review/email/urgent.txt",
            context={"draft": draft, "reason": reason},
        )
    return draft


def draft_post_review(*, draft: Draft, by: User, comment: str = "") -> Draft:
    """Another Comms member reviews an urgent post after it went out."""
    with transaction.atomic():
        locked = _locked(draft)
        if not locked.urgent or locked.post_reviewed_at:
            raise ValidationError("This post does not need a review after publication.")
        if locked.author_id == by.pk or not by.has_perm("content_review.post_review_draft", locked):
            raise PermissionDenied("Someone other than the person who published it must review it.")
        locked.post_reviewed_by, locked.post_reviewed_at = by, timezone.now()
        locked.save(update_fields=["post_reviewed_by", "post_reviewed_at", "updated_at"])
        DraftEvent.objects.create(draft=locked, actor=by, action=A.POST_REVIEWED, comment=comment)
    return locked


def _record_publication(locked: Draft, by: User, url: str, at: datetime, action) -> None:
    locked.published_url, locked.published_at, locked.published_by = url, at, by
    locked.version += 1
    locked.save(
        update_fields=["status", "published_url", "published_at", "published_by", "version", "updated_at"]
    )
    if action:
        DraftEvent.objects.create(draft=locked, revision=locked.latest_revision, actor=by, action=action)
    account_note_activity(account=locked.account, at=at)
    if locked.inbound_message_id:
        InboundMessage.objects.filter(pk=locked.inbound_message_id, replied_at__isnull=True).update(
            replied_at=at
        )


# ---------------------------------------------------------------------------------------------------
# Standard responses


def standard_response_save(
    *, by: User, response: StandardResponse | None = None, **fields
) -> StandardResponse:
    if not by.has_perm("content_review.manage_standard_responses"):
        raise PermissionDenied("Only the Communications team manages standard responses.")
    response = response or StandardResponse(owner=fields.pop("owner", by))
    for name, value in fields.items():
        setattr(response, name, value)
    response.full_clean()
    response.save()
    return response
