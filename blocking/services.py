"""Every change in the blocking process goes through these functions: web pages, imports, commands and
the daily sweep. Each checks the rules, moves the record through core.workflow (lock, recheck, move,
log) and tells the people who must act next."""

import calendar
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import OPEN_STATUSES, Account
from accounts_registry.platforms import identify
from blocking.models import (
    NO_WARNING_NEEDED,
    Appeal,
    AppealEvent,
    AppealOutcome,
    Block,
    BlockEvent,
    BlockSource,
    BlockStatus,
    Category,
    Evidence,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from blocking.permissions import APPEAL_ACTIONS, BLOCK_ACTIONS, REFERRAL_ACTIONS
from core.actions import Refused
from core.templatetags.dates import govuk_date
from core.uploads import EVIDENCE, check_upload
from core.workflow import move, moving
from notifications.services import notification_queue
from organisation.models import Role, User

TEXT_MAX = 5000
MAX_FILES = 10  # evidence files on one referral or block
MAX_LINKS = 10
LONGEST_REVIEW = 24  # months: a review date further away than this is refused


# ---------------------------------------------------------------------------------------------------
# Rules shared by the steps below


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_months(categories) -> int:
    """Months until a block on these categories is reviewed: the longest period among them (the most
    serious behaviour sets it). BLOCKING_REVIEW_MONTHS, or BLOCKING_REVIEW_MONTHS_BY_CATEGORY's."""
    by_category = settings.BLOCKING_REVIEW_MONTHS_BY_CATEGORY
    return max(by_category.get(code, settings.BLOCKING_REVIEW_MONTHS) for code in categories)


def default_review_on(categories, start: date | None = None) -> date:
    return add_months(start or timezone.localdate(), review_months(categories))


def _check_review_on(review_on: date, field_name: str = "review_on") -> None:
    today = timezone.localdate()
    if review_on <= today:
        raise ValidationError({field_name: "The review date must be in the future."})
    if review_on > add_months(today, LONGEST_REVIEW):
        raise ValidationError({field_name: f"Review it within {LONGEST_REVIEW} months."})


def person_identity(account: Account, handle: str, profile_url: str) -> tuple[str, str, str]:
    """(handle, canonical key, profile link) of a member of the public on the account's platform, by the
    register's own platform rules, so the same person matches however their handle was typed."""
    try:
        identity = identify(account.platform, handle, profile_url)
    except ValidationError as exc:
        renamed = {"handle": "person_handle", "profile_url": "person_profile_url"}
        raise ValidationError(
            {renamed.get(name, name): errors for name, errors in exc.message_dict.items()}
        ) from None
    return identity.handle, identity.key, identity.profile_url


def _check_account(account: Account, by: User) -> None:
    if not Account.objects.visible_to(by).filter(pk=account.pk).exists():
        raise ValidationError(
            {
                "account": "Choose one of the council accounts you run or deputise on. Tell the "
                "Communications team about behaviour on other accounts."
            }
        )
    if account.status not in OPEN_STATUSES:
        raise ValidationError(
            {
                "account": f"{account.display_name} ({account.get_platform_display()}) is "
                f"{account.get_status_display().lower()}: the council does not run it, so nobody can be "
                "blocked on it. Choose the account where it happened."
            }
        )


def _check_categories(categories, other: str) -> None:
    if not categories:
        raise ValidationError({"categories": "Choose at least one kind of behaviour."})
    unknown = set(categories) - set(Category.values)
    if unknown:
        raise ValidationError({"categories": f"Unknown category: {', '.join(sorted(unknown))}."})
    if Category.OTHER in categories and not other.strip():
        raise ValidationError({"category_other": "Describe the other behaviour."})


def _check_text(field_name: str, text: str, message: str, *, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise ValidationError({field_name: message})
    if len(text) > TEXT_MAX:
        raise ValidationError({field_name: f"Keep it to {TEXT_MAX} characters."})
    return text


def _check_date(field_name: str, day: date | None, what: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field_name: f"The date {what} cannot be in the future."})


def _store_evidence(files, *, by: User, referral=None, block=None) -> list[Evidence]:
    """Check and store evidence files on a referral or a block, inside the caller's transaction
    (wrapped in `_files_kept_only_if_saved`, so a failure leaves no file behind)."""
    files = list(files or [])
    owner = referral or block
    if files and owner.evidence.count() + len(files) > MAX_FILES:
        raise ValidationError({"files": f"At most {MAX_FILES} evidence files can be kept on one case."})
    stored = []
    for upload in files:
        try:
            checked = check_upload(upload, kinds=EVIDENCE, max_bytes=settings.BLOCKING_EVIDENCE_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
        evidence = Evidence.objects.create(
            referral=referral,
            block=block,
            file=checked,
            kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
        )
        _written.get().append(evidence.file.name)
        stored.append(evidence)
    return stored


_written: ContextVar[list[str]] = ContextVar("_written")


@contextmanager
def _files_kept_only_if_saved():
    """Files are written to storage as their rows are saved; if the transaction around them then
    fails, the files go too, so storage never holds evidence the database does not know about."""
    token = _written.set([])
    try:
        yield
    except BaseException:
        for name in _written.get():
            default_storage.delete(name)
        raise
    finally:
        _written.reset(token)


def _comms() -> list[User]:
    return list(User.objects.current().with_role(Role.COMMS).filter(is_active=True))


def _tell(recipients, subject: str, template: str, **context) -> None:
    notification_queue(
        recipients=recipients, subject=subject, template=f"blocking/email/{template}.txt", context=context
    )


def _require(perm: str, by: User, message: str) -> None:
    if not by.has_perm(perm):
        raise Refused(message)


# ---------------------------------------------------------------------------------------------------
# Referrals


class ReferralFields(TypedDict, total=False):
    account: Account
    person_handle: str
    person_profile_url: str
    categories: list[str]
    category_other: str
    what_happened: str
    quoted_text: str
    evidence_links: list[str]
    warning_given: bool
    warned_on: date | None
    source_message_id: int | None


def referral_create(*, by: User, fields: ReferralFields, files=()) -> Referral:
    """An officer or councillor refers a member of the public's behaviour on a council account.
    Comms are told; the person's handle and what they said stay in the service, not in the email."""
    _require("blocking.refer", by, "Only officers, councillors and the Communications team make referrals.")
    account = fields["account"]
    _check_account(account, by)
    handle, key, link = person_identity(
        account, fields.get("person_handle", ""), fields.get("person_profile_url", "")
    )
    categories = sorted(set(fields.get("categories") or []), key=Category.values.index)
    other = fields.get("category_other", "").strip()
    _check_categories(categories, other)
    warning_given, warned_on = fields.get("warning_given", False), fields.get("warned_on")
    if warning_given and not warned_on:
        raise ValidationError({"warned_on": "Give the date they were warned."})
    _check_date("warned_on", warned_on, "they were warned")
    links = list(fields.get("evidence_links") or [])
    if len(links) > MAX_LINKS:
        raise ValidationError({"evidence_links": f"Give at most {MAX_LINKS} links."})
    referral = Referral(
        account=account,
        platform=account.platform,
        person_handle=handle,
        person_profile_url=link,
        person_key=key,
        categories=categories,
        category_other=other if Category.OTHER in categories else "",
        what_happened=_check_text("what_happened", fields.get("what_happened", ""), "Say what happened."),
        quoted_text=_check_text("quoted_text", fields.get("quoted_text", ""), "", required=False),
        evidence_links=links,
        warning_given=warning_given,
        warned_on=warned_on if warning_given else None,
        source_message_id=fields.get("source_message_id"),
        referred_by=by,
    )
    with _files_kept_only_if_saved(), transaction.atomic():
        referral.save()
        _store_evidence(files, by=by, referral=referral)
        ReferralEvent.objects.create(
            referral=referral, actor=by, action="referred", to_status=referral.status
        )
        _tell(
            _comms(),
            f"New referral to decide: {account}",
            "referred",
            referral=referral,
            url=reverse("blocking:referral", args=[referral.pk]),
        )
    return referral


WARN_FIRST = (
    "Warn first: no warning is recorded for this person, and blocking without one is only for threats or "
    "harassment, abuse or offensive language, or discrimination. Choose “Warn first”, or ask for more "
    "information if they were warned."
)


def block_basis(referral: Referral) -> tuple[bool, str]:
    """Whether the council's warn-first rule allows blocking this person now, and why, as a sentence.
    A warning counts if it is recorded on this referral, or if an earlier referral about the same
    person (on any council account, by the register's platform rules) was decided "warn first"."""
    if NO_WARNING_NEEDED & set(referral.categories):
        return True, (
            "Blocking without a warning is allowed: the behaviour includes threats or harassment, abuse or "
            "offensive language, or discrimination."
        )
    if referral.warning_given:
        return True, f"Blocking is allowed: they were warned on {govuk_date(referral.warned_on)}."
    warned_before = (
        Referral.objects.about(referral.platform, referral.person_key)
        .filter(status=ReferralStatus.DECIDED, outcome=Outcome.WARN)
        .exclude(pk=referral.pk)
        .order_by("-decided_at")
        .first()
    )
    if warned_before:
        return True, (
            f"Blocking is allowed: the decision on an earlier referral, on "
            f"{govuk_date(warned_before.decided_at)}, was to warn them first."
        )
    return False, WARN_FIRST


def referral_decide(
    *, referral: Referral, by: User, outcome: str, reason: str, review_on: date | None = None
) -> Referral:
    """Comms decide: block (with a review date), warn first, hide the comment only, or no action.
    A written reason is required. Two people deciding at once: the second is told it was just decided
    (the row lock), and the database keeps one decision whatever happens (one_decision_per_referral)."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose a decision."})
    reason = _check_text("reason", reason, "Give the reason for the decision: it is kept with the case.")
    with moving(
        referral, "decide", by=by, policy=REFERRAL_ACTIONS, log=ReferralEvent, comment=reason
    ) as step:
        locked = step.record
        if outcome == Outcome.BLOCK:
            allowed, why = block_basis(locked)
            if not allowed:
                raise ValidationError({"outcome": why})
            review_on = review_on or default_review_on(locked.categories)
            _check_review_on(review_on)
        locked.outcome, locked.decision_reason = outcome, reason
        locked.decided_by, locked.decided_at = by, timezone.now()
        step.event["outcome"] = outcome
        if outcome == Outcome.BLOCK:
            _block_from(locked, by=by, review_on=review_on)
        _tell(
            [locked.referred_by],
            f"Your referral was decided: {Outcome(outcome).label.lower()}",
            "decided",
            referral=locked,
            url=reverse("blocking:referral", args=[locked.pk]),
        )
    return locked


def _block_from(referral: Referral, *, by: User, review_on: date) -> Block:
    block = Block.objects.create(
        account=referral.account,
        platform=referral.platform,
        person_handle=referral.person_handle,
        person_profile_url=referral.person_profile_url,
        person_key=referral.person_key,
        categories=referral.categories,
        reason=referral.decision_reason,
        source=BlockSource.DECISION,
        referral=referral,
        blocked_on=timezone.localdate(),
        review_on=review_on,
        status=BlockStatus.ACTIVE,
        recorded_by=by,
        decided_by=by,
    )
    BlockEvent.objects.create(block=block, actor=by, action="decided", to_status=block.status)
    return block


def referral_ask_for_information(*, referral: Referral, by: User, request: str) -> Referral:
    """Comms need more before deciding; the referrer is told what, by email and on the referral."""
    request = _check_text("reason", request, "Say what information you need: the referrer will see it.")
    with moving(
        referral,
        "ask_for_information",
        by=by,
        policy=REFERRAL_ACTIONS,
        rule="decide",
        log=ReferralEvent,
        comment=request,
    ) as step:
        step.record.information_request = request
        _tell(
            [step.record.referred_by],
            "More information needed for your referral",
            "more_information",
            referral=step.record,
            url=reverse("blocking:referral", args=[step.record.pk]),
        )
    return step.record


def referral_add_information(*, referral: Referral, by: User, information: str, files=()) -> Referral:
    """The referrer answers what Comms asked; the referral waits for a decision again."""
    information = _check_text("information", information, "Write the information asked for.")
    with (
        _files_kept_only_if_saved(),
        moving(
            referral,
            "add_information",
            by=by,
            policy=REFERRAL_ACTIONS,
            log=ReferralEvent,
            comment=information,
        ) as step,
    ):
        _store_evidence(files, by=by, referral=step.record)
        _tell(
            _comms(),
            f"Referral {step.record.pk} has the information you asked for",
            "information_added",
            referral=step.record,
            url=reverse("blocking:referral", args=[step.record.pk]),
        )
    return step.record


def referral_withdraw(*, referral: Referral, by: User) -> Referral:
    return move(referral, "withdraw", by=by, policy=REFERRAL_ACTIONS, log=ReferralEvent).record


# ---------------------------------------------------------------------------------------------------
# Blocks


class BlockFields(TypedDict, total=False):
    account: Account
    person_handle: str
    person_profile_url: str
    categories: list[str]
    reason: str
    blocked_on: date


def block_record(*, by: User, fields: BlockFields, files=()) -> Block:
    """An officer or councillor who already blocked someone records it, with the reason. Comms then
    confirm or reverse it; a block Comms record themselves is in force at once."""
    _require(
        "blocking.record_block", by, "Only officers, councillors and the Communications team record blocks."
    )
    account = fields["account"]
    _check_account(account, by)
    handle, key, link = person_identity(
        account, fields.get("person_handle", ""), fields.get("person_profile_url", "")
    )
    categories = sorted(set(fields.get("categories") or []), key=Category.values.index)
    _check_categories(categories, "-")
    blocked_on = fields.get("blocked_on")
    if blocked_on is None:
        raise ValidationError({"blocked_on": "Give the date you blocked them."})
    _check_date("blocked_on", blocked_on, "you blocked them")
    comms = by.has_role(Role.COMMS)
    block = Block(
        account=account,
        platform=account.platform,
        person_handle=handle,
        person_profile_url=link,
        person_key=key,
        categories=categories,
        reason=_check_text("reason", fields.get("reason", ""), "Give the reason you blocked them."),
        source=BlockSource.RECORDED,
        blocked_on=blocked_on,
        review_on=default_review_on(categories) if comms else None,
        status=BlockStatus.ACTIVE if comms else BlockStatus.UNCONFIRMED,
        recorded_by=by,
        decided_by=by if comms else None,
    )
    with _files_kept_only_if_saved(), transaction.atomic():
        block.save()
        _store_evidence(files, by=by, block=block)
        BlockEvent.objects.create(block=block, actor=by, action="recorded", to_status=block.status)
        if not comms:
            _tell(
                _comms(),
                f"A block to confirm or reverse: {account}",
                "recorded",
                block=block,
                url=reverse("blocking:block", args=[block.pk]),
            )
    return block


def block_confirm(*, block: Block, by: User, review_on: date | None = None) -> Block:
    """Comms agree with a block an officer made: it is in force, with a review date."""
    with moving(block, "confirm", by=by, policy=BLOCK_ACTIONS, log=BlockEvent) as step:
        review_on = review_on or default_review_on(step.record.categories)
        _check_review_on(review_on)
        step.record.review_on, step.record.decided_by = review_on, by
        _tell_recorder(step.record, "confirmed")
    return step.record


def block_reverse(*, block: Block, by: User, reason: str) -> Block:
    """Comms disagree with a block an officer made: the officer is told to unblock the person."""
    reason = _check_text("reason", reason, "Say why the block is reversed: the officer will see it.")
    with moving(block, "reverse", by=by, policy=BLOCK_ACTIONS, log=BlockEvent, comment=reason) as step:
        step.record.lifted_on, step.record.review_on, step.record.decided_by = timezone.localdate(), None, by
        _tell_recorder(step.record, "reversed", reason=reason)
    return step.record


def _tell_recorder(block: Block, outcome: str, reason: str = "") -> None:
    if block.recorded_by_id:
        _tell(
            [block.recorded_by],
            f"The block you recorded was {outcome}",
            "block_decided",
            block=block,
            outcome=outcome,
            reason=reason,
            url=reverse("blocking:block", args=[block.pk]),
        )


def block_review(
    *, block: Block, by: User, decision: str, reason: str, next_review_on: date | None = None
) -> Block:
    """A review (when due, or earlier): keep the block with a new review date, or lift it."""
    reason = _check_text("reason", reason, "Give the reason for the review's outcome.")
    if decision == "keep":
        if next_review_on is None:
            raise ValidationError({"next_review_on": "Give the date of the next review."})
        _check_review_on(next_review_on, "next_review_on")
        with moving(
            block, "keep", by=by, policy=BLOCK_ACTIONS, rule="review", log=BlockEvent, comment=reason
        ) as step:
            step.record.review_on = next_review_on
        return step.record
    if decision != "lift":
        raise ValidationError({"decision": "Choose whether to keep the block or lift it."})
    with moving(
        block, "lift", by=by, policy=BLOCK_ACTIONS, rule="review", log=BlockEvent, comment=reason
    ) as step:
        step.record.lifted_on, step.record.review_on = timezone.localdate(), None
    return step.record


# ---------------------------------------------------------------------------------------------------
# Appeals


def appeal_log(*, block: Block, by: User, received_on: date, channel: str, message: str) -> Appeal:
    """Someone says they were blocked in error, or asks to be unblocked: Comms log what they said."""
    message = _check_text("message", message, "Write what they said, or a summary of it.")
    _check_date("received_on", received_on, "it came")
    if received_on < block.blocked_on:
        raise ValidationError({"received_on": "The appeal cannot have come before the block."})
    with transaction.atomic():
        locked = Block.objects.select_for_update().get(pk=block.pk)
        BLOCK_ACTIONS.recheck("appeal", locked, by)
        appeal = Appeal.objects.create(
            block=locked, received_on=received_on, channel=channel, message=message, logged_by=by
        )
        AppealEvent.objects.create(appeal=appeal, actor=by, action="logged", to_status=appeal.status)
    return appeal


def appeal_answer(*, appeal: Appeal, by: User, outcome: str, reply: str) -> Appeal:
    """Comms decide and record the reply sent. An upheld appeal lifts the block, in the same step."""
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": "Choose whether the appeal is upheld."})
    reply = _check_text("reply", reply, "Write the reply sent to them: it is kept with the appeal.")
    with moving(
        appeal, "answer", by=by, policy=APPEAL_ACTIONS, log=AppealEvent, comment=AppealOutcome(outcome).label
    ) as step:
        step.record.outcome, step.record.reply = outcome, reply
        step.record.answered_by, step.record.answered_at = by, timezone.now()
        block = Block.objects.select_for_update().get(pk=step.record.block_id)
        if outcome == AppealOutcome.UPHELD and block.status in (BlockStatus.ACTIVE, BlockStatus.REVIEW_DUE):
            # Already checked: Comms answer the appeal, and an upheld appeal lifts the block with it.
            with moving(
                block, "lift", by=by, log=BlockEvent, action="appeal_upheld", comment=reply
            ) as lifted:
                lifted.record.lifted_on, lifted.record.review_on = timezone.localdate(), None
    return step.record


# ---------------------------------------------------------------------------------------------------
# The daily sweep


@dataclass
class SweepResult:
    due: list[Block] = field(default_factory=list)
    expired: list[Block] = field(default_factory=list)


def blocking_sweep(*, as_of: date | None = None) -> SweepResult:
    """The scheduled work, as on `as_of` (today by default):
    - blocks whose review date has come are marked due, and Comms are told once, in one email
      listing them. Each block is claimed by a conditional update of `review_notice_for` (its review
      date) in the same transaction as the email, so two sweeps at once, or the same day twice, never
      tell anyone twice; a block kept with a new date is told about again when that date comes;
    - blocks on a council account that has been closed expire."""
    as_of = as_of or timezone.localdate()
    result = SweepResult()
    with transaction.atomic():
        for block in Block.objects.filter(status=BlockStatus.ACTIVE, review_on__lte=as_of).order_by("pk"):
            claimed = (
                Block.objects.filter(pk=block.pk, status=BlockStatus.ACTIVE, review_on__lte=as_of)
                .exclude(review_notice_for=F("review_on"))
                .update(review_notice_for=F("review_on"))
            )
            if claimed:
                result.due.append(
                    move(
                        block, "mark_due", by=None, log=BlockEvent, comment="The review date has come."
                    ).record
                )
        if result.due:
            _tell(
                _comms(),
                f"{len(result.due)} block{'s are' if len(result.due) != 1 else ' is'} due for review",
                "reviews_due",
                blocks=result.due,
                url=reverse("blocking:register") + "?status=review_due",
            )
    for block in Block.objects.in_force().exclude(account__status__in=OPEN_STATUSES).order_by("pk"):
        try:
            expired = move(
                block, "expire", by=None, log=BlockEvent, comment="The council account was closed."
            )
        except ValidationError:
            continue  # reviewed or lifted by someone meanwhile
        result.expired.append(expired.record)
    return result
