"""Every change to drafts, messages and standard responses goes through these functions."""

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from accounts_registry.models import Account
from accounts_registry.platforms import rules_for
from accounts_registry.services import account_note_activity
from content_review import chains
from content_review.checks import Finding, ImageInfo, check_text, pre_election_findings
from content_review.links import publication_link_problem
from content_review.models import (
    MAX_CHAIN_STEPS,
    ApprovalChain,
    ApprovalStep,
    ApprovalStepPerson,
    Candidate,
    D,
    Draft,
    DraftEvent,
    DraftImage,
    DraftKind,
    InboundMessage,
    MessageEvent,
    NoReplyReason,
    PoliticalParty,
    PreElectionPeriod,
    ReviewerAssignment,
    Revision,
    StandardResponse,
    StepApproval,
    StepRole,
    text_limit,
)
from content_review.permissions import DRAFT_ACTIONS, MESSAGE_ACTIONS, chain_setter_refusal, may_draft_for
from content_review.selectors import unfilled_placeholders
from content_review.working_hours import WorkingCalendar, add_working_hours
from core.actions import Refused
from core.uploads import IMAGES, check_upload
from core.workflow import move, moving
from notifications.digest import queue_or_digest
from notifications.services import notification_queue
from organisation.models import Role, User

A = DraftEvent.Action
M = MessageEvent.Action
MAX_STEP_PEOPLE = 20
MAX_LIST_NAMES = 500


# ---------------------------------------------------------------------------------------------------
# Checks


def draft_findings(draft: Draft) -> list[Finding]:
    images = [ImageInfo(name=i.image.name, alt_text=i.alt_text) for i in draft.images.all()]
    return account_text_findings(draft.text, draft.account, images)


def account_text_findings(text: str, account: Account, images=()) -> list[Finding]:
    """The checks for text on this account: with the pre-election warnings while a period covers it."""
    findings = text_findings(text, account.platform, images)
    if chains.pre_election_period_for(account) is not None:
        findings += pre_election_findings(text, **chains.pre_election_names())
    return findings


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
# Bounds and one-time tokens


def _checked_text(text: str, account: Account, field: str = "text") -> str:
    """A draft's text: not empty, and not far beyond what its platform can publish."""
    if not text.strip():
        raise ValidationError({field: "Enter the text of the post."})
    limit = text_limit(account.platform)
    if len(text) > limit:
        rules = rules_for(account.platform)
        cap = f"{rules.name} takes {rules.character_limit:,}" if rules.character_limit else "The limit is"
        raise ValidationError(
            {field: f"The text is {len(text):,} characters long. {cap}; a draft can hold at most {limit:,}."}
        )
    return text


def _once(model: type[Model], token: UUID | None, create, **mine):
    """Create a record at most once per form: a second post of the same form (a double click) gives the
    record the first one made. `mine` says whose it must be, so a token never reveals another's."""
    if token is not None and (existing := model.objects.filter(create_token=token, **mine).first()):
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as exc:
        # The two posts arrived together: the unique token let one through; give the other its record.
        if token is None or not model.objects.filter(create_token=token).exists():
            raise
        if existing := model.objects.filter(create_token=token, **mine).first():
            return existing
        raise ValidationError(
            "This form has already been sent. Open the page again to start afresh."
        ) from exc


# ---------------------------------------------------------------------------------------------------
# Inbound messages


def inbound_record(
    *,
    by: User,
    account: Account,
    sender_handle: str,
    text: str,
    received_at: datetime,
    link: str = "",
    token: UUID | None = None,
) -> InboundMessage:
    """An officer records a message from the public; it is due within the account's agreed
    response time, counted in working hours from when it was received."""
    if not may_draft_for(by, account):
        raise PermissionDenied("You can record messages only for open accounts you look after.")
    if received_at > timezone.now():
        raise ValidationError({"received_at": "The time it was received cannot be in the future."})
    due = add_working_hours(received_at, account.response_time_hours, WorkingCalendar.from_settings())

    def create() -> InboundMessage:
        message = InboundMessage.objects.create(
            account=account,
            sender_handle=sender_handle.strip(),
            text=text,
            received_at=received_at,
            link=link,
            recorded_by=by,
            due_at=due,
            create_token=token,
        )
        MessageEvent.objects.create(message=message, actor=by, action=M.RECORDED)
        return message

    return _once(InboundMessage, token, create, recorded_by=by)


def _locked_message(message: InboundMessage) -> InboundMessage:
    return (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("account", "hidden_by")
        .get(pk=message.pk)
    )


def inbound_no_reply_needed(
    *, message: InboundMessage, by: User, reason_code: str, details: str = ""
) -> InboundMessage:
    """No reply is needed (spam, abuse, answered elsewhere…): the response-time clock stops, and the
    message is reported as needing no reply rather than as replied to or overdue."""
    if reason_code not in NoReplyReason.values:
        raise ValidationError({"reason_code": "Choose why no reply is needed."})
    details = details.strip()
    if reason_code == NoReplyReason.OTHER and not details:
        raise ValidationError({"details": "Say why no reply is needed."})
    with transaction.atomic():
        locked = _locked_message(message)
        MESSAGE_ACTIONS.recheck("no_reply", locked, by)
        locked.closed_at, locked.closed_by = timezone.now(), by
        locked.closed_code, locked.closed_reason = reason_code, details
        locked.save(update_fields=["closed_at", "closed_by", "closed_code", "closed_reason"])
        MessageEvent.objects.create(
            message=locked, actor=by, action=M.NO_REPLY_NEEDED, reason_code=reason_code, comment=details
        )
    return locked


def inbound_hide(*, message: InboundMessage, by: User, reason: str) -> InboundMessage:
    """The message was hidden on the platform: who, when and why are recorded. It stays listed, marked
    Hidden, and still needs a reply or a "no reply needed"."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why it was hidden."})
    with transaction.atomic():
        locked = _locked_message(message)
        MESSAGE_ACTIONS.recheck("hide", locked, by)
        locked.hidden_at, locked.hidden_by, locked.hidden_reason = timezone.now(), by, reason.strip()
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        MessageEvent.objects.create(message=locked, actor=by, action=M.HIDDEN, comment=reason.strip())
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
    token: UUID | None = None,
) -> Draft:
    """A new post, or a reply to a message. `token` is the form's: posting the same form twice gives
    the first draft back instead of a second one."""
    if not may_draft_for(by, account):
        raise PermissionDenied("You can draft only for open accounts you are assigned to.")
    if inbound_message is not None and inbound_message.account_id != account.pk:
        raise ValidationError("A reply must be drafted on the account the message came to.")
    if planned_for is not None and planned_for < timezone.now():
        raise ValidationError({"planned_for": "The planned publication time must be in the future."})
    _checked_text(text, account)

    def create() -> Draft:
        return Draft.objects.create(
            kind=DraftKind.REPLY if inbound_message else DraftKind.POST,
            account=account,
            author=by,
            text=text,
            inbound_message=inbound_message,
            standard_response=standard_response,
            planned_for=planned_for,
            create_token=token,
        )

    return _once(Draft, token, create, author=by)


def _locked(draft: Draft) -> Draft:
    return (
        Draft.objects.select_for_update(of=("self",))
        .select_related("account", "author", "post_reviewed_by")
        .get(pk=draft.pk)
    )


def draft_add_image(*, draft: Draft, by: User, image, alt_text: str) -> DraftImage:
    """An image for the draft; the checks block review until every image has alternative text."""
    with transaction.atomic():
        locked = _locked(draft)
        DRAFT_ACTIONS.recheck("image", locked, by)
        try:
            image = check_upload(image, kinds=IMAGES, max_bytes=settings.CONTENT_IMAGE_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError({"image": exc.messages}) from None
        return DraftImage.objects.create(draft=locked, image=image, alt_text=alt_text.strip())


def draft_remove_image(*, draft: Draft, by: User, image_pk: int) -> None:
    """Take an image off a draft that is still being written (the file goes too)."""
    with transaction.atomic():
        locked = _locked(draft)
        DRAFT_ACTIONS.recheck("image", locked, by)
        image = locked.images.filter(pk=image_pk).first()
        if image is None:
            raise ValidationError("That image has already been removed.")
        stored = image.image
        image.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def draft_update(
    *, draft: Draft, by: User, version: int, text: str, planned_for: datetime | None = None
) -> Draft:
    """Only the author edits, and only while it is a draft or sent back: a submitted revision is fixed."""
    with transaction.atomic():
        locked = _locked(draft)
        DRAFT_ACTIONS.recheck("edit", locked, by)
        if locked.version != version:
            raise ValidationError(
                "This draft changed since you opened it. Reload it and make your change again."
            )
        _checked_text(text, locked.account)
        locked.text, locked.planned_for, locked.version = text, planned_for, locked.version + 1
        locked.save(update_fields=["text", "planned_for", "version", "updated_at"])
    return locked


def _step_people(draft: Draft, step: dict) -> list[User]:
    """The people of one step's group, to tell them it is their turn. Never the author."""
    if StepRole.REVIEWERS in step["roles"]:
        people = set(_reviewers_of(draft, chain=False))
    else:
        people = set(User.objects.current().filter(is_active=True, pk__in=step["people"]))
    if StepRole.COMMS in step["roles"]:
        people |= set(_comms())
    area = draft.account.service_area
    if StepRole.HEAD_OF_SERVICE in step["roles"] and area and area.head_of_service_id:
        people.add(area.head_of_service)
    return sorted((p for p in people if p.pk != draft.author_id), key=lambda p: p.pk)


def _reviewers_of(draft: Draft, chain: bool = True) -> list[User]:
    """Who is asked to review: the first step's group under a chain; otherwise the reviewers named for
    the account or its service area; the Communications team only when nobody is named. Never the
    author."""
    if chain and draft.chain_steps:
        return _step_people(draft, draft.chain_steps[0])
    assigned = Q(account=draft.account)
    if draft.account.service_area_id:
        assigned |= Q(service_area=draft.account.service_area_id)
    named = User.objects.current().filter(
        is_active=True, pk__in=ReviewerAssignment.objects.filter(assigned).values("person")
    )
    people = [p for p in named if p.pk != draft.author_id] or [p for p in _comms() if p.pk != draft.author_id]
    return sorted(people, key=lambda p: p.pk)


def draft_submit(*, draft: Draft, by: User) -> Revision:
    """Send for review. The exact text (and images' alt text) is kept as a new revision with the
    checks' findings; blocking findings must be fixed first. Reviewers are told."""
    with moving(
        draft,
        "submit",
        by=by,
        policy=DRAFT_ACTIONS,
        log=DraftEvent,
        action=A.SUBMITTED,
        select_related=("account", "author"),
    ) as step:
        locked = step.record
        findings = [f.as_dict() for f in draft_findings(locked)]
        if blocking := _blocking(findings):
            raise ValidationError([f["message"] for f in blocking])
        number = (locked.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        locked.chain_name, locked.chain_steps = chains.steps_for(locked)
        step.event["revision"] = Revision.objects.create(
            draft=locked,
            number=number,
            text=locked.text,
            findings=findings,
            submitted_by=by,
            image_alt_texts=[i.alt_text for i in locked.images.all()],
        )
        queue_or_digest(
            recipients=_reviewers_of(locked),
            subject=f"Please review: {locked}",
            template="content_review/email/submitted.txt",
            context={"draft": locked},
        )
    return step.event["revision"]


DECISIONS = {A.APPROVED: "approve", A.CHANGES_REQUESTED: "request_changes", A.REJECTED: "reject"}


def _decide(
    draft: Draft,
    by: User,
    revision_number: int,
    action: str,
    comment: str = "",
    acknowledged: list[str] | None = None,
) -> DraftEvent:
    with transaction.atomic():
        try:
            with moving(
                draft,
                DECISIONS[action],
                by=by,
                policy=DRAFT_ACTIONS,
                rule="decide",
                log=DraftEvent,
                action=action,
                comment=comment,
                select_related=("account", "author"),
            ) as step:
                latest = step.record.revisions.order_by("-number").first()
                if latest is None or latest.number != revision_number:
                    raise ValidationError(
                        "A newer revision has been sent since you opened this page: review the latest one."
                    )
                if action == A.APPROVED:
                    _approvable(latest, acknowledged or [])
                    _approve_last_step(step.record, latest, by)
                step.event.update(revision=latest, acknowledged=sorted(acknowledged or []))
        except IntegrityError as exc:  # the row lock makes this unreachable; the constraint is the backstop
            raise ValidationError("Someone else has just decided on this revision.") from exc
        event = step.logged
        queue_or_digest(
            recipients=[step.record.author],
            subject=f"{event.get_action_display()}: {step.record}",
            template="content_review/email/decided.txt",
            context={"draft": step.record, "event": event},
        )
    return event


def _approvable(revision: Revision, acknowledged: list[str]) -> None:
    if _blocking(revision.findings):
        raise ValidationError("This revision has problems that block approval.")
    warnings = {f["code"] for f in revision.findings if f["severity"] == "warn"}
    if warnings - set(acknowledged):
        raise ValidationError({"acknowledged": "Confirm you have considered each warning before approving."})


def _approve_last_step(draft: Draft, revision: Revision, by: User) -> None:
    """The draft becomes approved: under a chain, its last step is recorded; approved while a
    pre-election period covers the account, it says so (the dashboard counts these)."""
    if draft.chain_steps:
        _record_step(draft, revision, by, len(draft.chain_steps))
    draft.approved_during_pre_election = chains.pre_election_period_for(draft.account) is not None


def _record_step(draft: Draft, revision: Revision, by: User, position: int) -> StepApproval:
    try:
        with transaction.atomic():
            return StepApproval.objects.create(
                draft=draft, revision=revision, position=position, approved_by=by
            )
    except IntegrityError as exc:  # the row lock makes this unreachable; the constraints are the backstop
        raise ValidationError(
            "This step has just been approved, or you have already approved a step."
        ) from exc


def draft_approve(*, draft: Draft, by: User, revision_number: int, acknowledged: list[str] | None = None):
    """Approve the latest revision, or under a chain the step waiting for it (the draft is approved
    after the last step). Never the author's own, nor two steps by one person; blocking findings
    cannot be approved; every warning must be acknowledged."""
    with transaction.atomic():
        locked = _locked(draft)
        waiting = chains.current_step(locked) if locked.status == D.SUBMITTED else None
        if waiting is None or waiting[0] == len(locked.chain_steps):
            return _decide(locked, by, revision_number, A.APPROVED, acknowledged=acknowledged)
        DRAFT_ACTIONS.recheck("decide", locked, by)
        position, waiting_step = waiting
        latest = locked.revisions.order_by("-number").first()
        if latest.number != revision_number:
            raise ValidationError(
                "A newer revision has been sent since you opened this page: review the latest one."
            )
        _approvable(latest, acknowledged or [])
        _record_step(locked, latest, by, position)
        event = DraftEvent.objects.create(
            draft=locked,
            revision=latest,
            actor=by,
            action=A.STEP_APPROVED,
            comment=f"Step {position} of {len(locked.chain_steps)}: {waiting_step['label']}",
            acknowledged=sorted(acknowledged or []),
        )
        locked.save(update_fields=["updated_at"])
        following = locked.chain_steps[position]
        queue_or_digest(
            recipients=[p for p in _step_people(locked, following) if p.pk != by.pk],
            subject=f"Please review: {locked}",
            template="content_review/email/submitted.txt",
            context={"draft": locked},
        )
    return event


def draft_request_changes(*, draft: Draft, by: User, revision_number: int, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change."})
    return _decide(draft, by, revision_number, A.CHANGES_REQUESTED, comment.strip())


def draft_reject(*, draft: Draft, by: User, revision_number: int, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": "Say why it is rejected."})
    return _decide(draft, by, revision_number, A.REJECTED, comment.strip())


def draft_withdraw(*, draft: Draft, by: User, comment: str = "") -> Draft:
    """The author (or Comms) stops it going out."""
    step = move(
        draft,
        "withdraw",
        by=by,
        policy=DRAFT_ACTIONS,
        log=DraftEvent,
        action=A.WITHDRAWN,
        comment=comment.strip(),
        select_related=("account", "author"),
    )
    return step.record


def draft_comment(*, draft: Draft, by: User, comment: str) -> DraftEvent:
    if not comment.strip():
        raise ValidationError({"comment": "Write a comment."})
    current = Draft.objects.select_related("account", "author").get(pk=draft.pk)
    DRAFT_ACTIONS.recheck("comment", current, by)
    return DraftEvent.objects.create(
        draft=current, revision=current.latest_revision, actor=by, action=A.COMMENTED, comment=comment.strip()
    )


def _check_publication(account: Account, url: str, at: datetime) -> None:
    if at > timezone.now():
        raise ValidationError({"published_at": "The publication time cannot be in the future."})
    if problem := publication_link_problem(url, account):
        raise ValidationError({"published_url": problem})


def draft_publish(*, draft: Draft, by: User, published_url: str, published_at: datetime) -> Draft:
    """Whoever posted it records where and when: a link on the account's platform, and on the account
    itself where its address says. An approved draft, or a draft on an account that needs no review.
    It counts as the account's latest activity; a reply closes its message."""
    _check_publication(draft.account, published_url, published_at)
    with transaction.atomic():
        with moving(
            draft,
            "publish",
            by=by,
            policy=DRAFT_ACTIONS,
            log=DraftEvent,
            action=A.PUBLISHED,
            select_related=("account", "author"),
        ) as step:
            locked = step.record
            if step.before == D.DRAFT and _blocking([f.as_dict() for f in draft_findings(locked)]):
                raise ValidationError("Fix the problems the checks found before publishing.")
            locked.published_url, locked.published_at, locked.published_by = published_url, published_at, by
            step.event["revision"] = locked.latest_revision
        _after_publication(step.record, by)
    return step.record


def draft_publish_urgent(
    *,
    by: User,
    account: Account,
    text: str,
    published_url: str,
    published_at: datetime,
    reason: str,
    token: UUID | None = None,
) -> Draft:
    """The emergency path: a Comms member publishes first (out of hours, say) and the post is
    reviewed afterwards by someone else. Clearly marked and reported."""
    if not by.has_perm("content_review.urgent_publish") or not may_draft_for(by, account):
        raise PermissionDenied("Only the Communications team can publish urgently, on an open account.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why this could not wait for review."})
    _check_publication(account, published_url, published_at)
    _checked_text(text, account)

    chain_name, chain_steps = chains.steps_for(Draft(account=account))

    def create() -> Draft:
        # Created published: it never was a draft anyone could review first. The chain's last step
        # reviews it afterwards.
        draft = Draft.objects.create(
            chain_name=chain_name,
            chain_steps=chain_steps,
            kind=DraftKind.POST,
            account=account,
            author=by,
            text=text,
            urgent=True,
            status=D.PUBLISHED,
            published_url=published_url,
            published_at=published_at,
            published_by=by,
            create_token=token,
        )
        revision = Revision.objects.create(
            draft=draft,
            number=1,
            text=text,
            submitted_by=by,
            findings=[f.as_dict() for f in draft_findings(draft)],
        )
        DraftEvent.objects.create(
            draft=draft,
            revision=revision,
            actor=by,
            action=A.URGENT_PUBLISHED,
            comment=reason.strip(),
            to_status=D.PUBLISHED,
        )
        _after_publication(draft, by)
        notification_queue(
            recipients=[p for p in _comms() if p.pk != by.pk],
            subject=f"Urgent post published before review: {draft}",
            template="content_review/email/urgent.txt",
            context={"draft": draft, "reason": reason},
        )
        return draft

    return _once(Draft, token, create, author=by)


def draft_post_review(*, draft: Draft, by: User, comment: str = "") -> Draft:
    """Another Comms member reviews an urgent post after it went out."""
    with transaction.atomic():
        locked = _locked(draft)
        DRAFT_ACTIONS.recheck("post_review", locked, by)
        locked.post_reviewed_by, locked.post_reviewed_at = by, timezone.now()
        locked.save(update_fields=["post_reviewed_by", "post_reviewed_at", "updated_at"])
        DraftEvent.objects.create(draft=locked, actor=by, action=A.POST_REVIEWED, comment=comment)
    return locked


def _after_publication(draft: Draft, by: User) -> None:
    """A publication is the account's latest activity, and a reply closes its message."""
    account_note_activity(account=draft.account, at=draft.published_at)
    if draft.inbound_message_id and InboundMessage.objects.filter(
        pk=draft.inbound_message_id, replied_at__isnull=True
    ).update(replied_at=draft.published_at):
        MessageEvent.objects.create(message_id=draft.inbound_message_id, actor=by, action=M.REPLIED)


# ---------------------------------------------------------------------------------------------------
# Standard responses


def standard_response_save(
    *,
    by: User,
    response: StandardResponse | None = None,
    title: str,
    body: str,
    review_by: date,
    owner: User | None = None,
    tags: list[str] = (),
    platforms: list[str] = (),
    is_active: bool = True,
) -> StandardResponse:
    """Add a standard response (response=None) or replace what one says."""
    if not by.has_perm("content_review.manage_standard_responses"):
        raise PermissionDenied("Only the Communications team manages standard responses.")
    response = response or StandardResponse()
    response.title, response.body, response.review_by = title, body, review_by
    response.owner = owner or (response.owner if response.owner_id else by)
    response.tags, response.platforms, response.is_active = list(tags), list(platforms), is_active
    response.full_clean()
    response.save()
    return response


# ---------------------------------------------------------------------------------------------------
# Approval chains and the pre-election period


def chain_save(
    *,
    by: User,
    name: str,
    steps: list[dict],
    chain: ApprovalChain | None = None,
    account: Account | None = None,
    service_area=None,
    campaign=None,
) -> ApprovalChain:
    """Set an approval chain (chain=None: a new one, for exactly one of account, service area or
    campaign). `steps`, in order: each {"roles": [StepRole…], "people": [User…]}, any one of whom
    approves it. A draft already sent for review keeps the chain it was sent under."""
    if chain is not None:
        account, service_area, campaign = chain.account, chain.service_area, chain.campaign
    if sum(x is not None for x in (account, service_area, campaign)) != 1:
        raise ValidationError("Choose one account, one service area or one campaign for the chain.")
    if reason := chain_setter_refusal(by, account=account, service_area=service_area, campaign=campaign):
        raise Refused(reason)
    steps = [s for s in steps if s.get("roles") or s.get("people")]
    if not steps:
        raise ValidationError("Give the chain at least one step: a role or a person who approves it.")
    if len(steps) > MAX_CHAIN_STEPS:
        raise ValidationError(f"A chain has at most {MAX_CHAIN_STEPS} steps.")
    for step in steps:
        if set(step.get("roles", [])) - set(StepRole.values):
            raise ValidationError("Choose roles from the list.")
        if len(step.get("people", [])) > MAX_STEP_PEOPLE:
            raise ValidationError(f"Name at most {MAX_STEP_PEOPLE} people in a step.")
    with transaction.atomic():
        if chain is None:
            chain = ApprovalChain(
                account=account, service_area=service_area, campaign=campaign, created_by=by
            )
        chain.name = name.strip()
        try:
            chain.full_clean(validate_unique=False)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        if (
            ApprovalChain.objects.filter(account=account, service_area=service_area, campaign=campaign)
            .exclude(pk=chain.pk)
            .exists()
        ):
            raise ValidationError("It already has a chain: change that one instead.")
        chain.save()
        chain.steps.all().delete()
        for position, step in enumerate(steps, start=1):
            made = ApprovalStep.objects.create(
                chain=chain, position=position, roles=sorted(set(step.get("roles", [])))
            )
            for person in {p.pk: p for p in step.get("people", [])}.values():
                ApprovalStepPerson.objects.create(step=made, person=person)
    return chain


def chain_delete(*, by: User, chain: ApprovalChain) -> None:
    """Back to today's single review (drafts already sent keep their chain)."""
    if reason := chain_setter_refusal(
        by, account=chain.account, service_area=chain.service_area, campaign=chain.campaign
    ):
        raise Refused(reason)
    chain.delete()


def pre_election_save(
    *,
    by: User,
    starts_on: date,
    ends_on: date,
    whole_council: bool,
    wards=(),
    note: str = "",
    period: PreElectionPeriod | None = None,
) -> PreElectionPeriod:
    """Comms set the pre-election period's dates, and whether it is the whole council or chosen wards."""
    if not by.has_perm("content_review.manage_pre_election"):
        raise Refused("Only the Communications team sets the pre-election period.")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date."})
    wards = list(wards)
    if not whole_council and not wards:
        raise ValidationError({"wards": "Choose the wards, or say it is the whole council."})
    with transaction.atomic():
        period = period or PreElectionPeriod(created_by=by)
        period.starts_on, period.ends_on, period.whole_council, period.note = (
            starts_on,
            ends_on,
            whole_council,
            note.strip(),
        )
        period.save()
        period.wards.set([] if whole_council else wards)
    return period


def pre_election_names_save(*, by: User, parties: list[str], candidates: list[str]) -> None:
    """Comms keep the lists the pre-election checks look for: parties, and candidates (councillors
    come from the people list)."""
    if not by.has_perm("content_review.manage_pre_election"):
        raise Refused("Only the Communications team keeps the pre-election lists.")
    clean = {
        "parties": sorted({p.strip() for p in parties if p.strip()}),
        "candidates": sorted({c.strip() for c in candidates if c.strip()}),
    }
    for what, names in clean.items():
        if len(names) > MAX_LIST_NAMES:
            raise ValidationError({what: f"Keep at most {MAX_LIST_NAMES} names."})
        if any(len(n) > 120 for n in names):
            raise ValidationError({what: "Each name must be 120 characters or fewer."})
    with transaction.atomic():
        PoliticalParty.objects.exclude(name__in=clean["parties"]).delete()
        for name in clean["parties"]:
            PoliticalParty.objects.get_or_create(name=name)
        Candidate.objects.exclude(name__in=clean["candidates"]).delete()
        for name in clean["candidates"]:
            Candidate.objects.get_or_create(name=name, ward=None)
