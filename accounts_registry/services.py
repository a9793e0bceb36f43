"""Every change to the register goes through these functions: web pages, admin, imports and tasks."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts_registry.models import Account, AccountKind, AccountStatus, AccountStatusChange, ActivityCheck
from accounts_registry.permissions import ACCOUNT_ACTIONS
from accounts_registry.platforms import identify
from core.workflow import moving
from notifications.services import notification_queue
from organisation.models import Role, ServiceArea, User, Ward


class AccountFields(TypedDict, total=False):
    """What describes an account: what a request, a registration, an edit or an import may set."""

    platform: str
    handle: str
    profile_url: str
    display_name: str
    kind: str
    service_area: ServiceArea | None
    ward: Ward | None
    purpose: str
    audience: str
    responsible_officer: User
    deputy: User | None
    managed_by_comms: bool
    posting_frequency: str
    review_required: bool
    response_time_hours: int
    two_factor_enabled: bool
    credentials_location: str


# Fields the responsible officer may change; everything else about governance is for Comms.
DESCRIPTIVE_FIELDS = [
    "display_name",
    "purpose",
    "audience",
    "posting_frequency",
    "two_factor_enabled",
    "credentials_location",
]
GOVERNANCE_FIELDS = [
    "platform",
    "handle",
    "profile_url",
    "kind",
    "service_area",
    "ward",
    "responsible_officer",
    "deputy",
    "managed_by_comms",
    "review_required",
    "response_time_hours",
]

_PASSWORD_LABEL = re.compile(r"\b(pass(word|wd|code|phrase)?|pwd|pw|pin)\s*(is|[:=])", re.IGNORECASE)


def looks_like_a_secret(text: str) -> bool:
    """True if the text seems to contain a password rather than where one is kept: a "password: …"
    label, or a word mixing at least three of lower case, upper case, digits and symbols."""
    if _PASSWORD_LABEL.search(text):
        return True
    for word in text.split():
        word = word.strip(".,;()\"'“”")
        if len(word) < 8 or "://" in word or "@" in word:
            continue
        kinds = sum(bool(re.search(p, word)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
        if kinds >= 3:
            return True
    return False


def validate_account(account: Account) -> None:
    """The rules every saved account meets, whoever saves it. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    identity = identify(account.platform, account.handle, account.profile_url)
    account.handle, account.handle_key, account.profile_url = (
        identity.handle,
        identity.key,
        identity.profile_url,
    )

    clash = Account.objects.filter(platform=account.platform, handle_key=account.handle_key).exclude(
        pk=account.pk
    )
    if clash.exists():
        other = clash.first()
        errors["handle"] = (
            f"This account is already in the register as “{other.display_name}” "
            f"({other.get_status_display().lower()})."
        )
    try:  # the form and the import skip model validation: the field's own rules are run here
        Account._meta.get_field("display_name").run_validators(account.display_name)
    except ValidationError as exc:
        errors["display_name"] = exc.messages[0]
    if account.credentials_location and looks_like_a_secret(account.credentials_location):
        errors["credentials_location"] = (
            "This looks like a password. Say where the sign-in details are kept "
            "(for example, the council's password manager), never the password."
        )
    officer, deputy = account.responsible_officer, getattr(account, "deputy", None)
    if account.responsible_officer_id and officer.has_left:
        errors["responsible_officer"] = f"{officer} has left the council. Choose someone who works here now."
    if deputy and deputy.has_left:
        errors["deputy"] = f"{deputy} has left the council. Choose someone who works here now."
    if deputy and account.responsible_officer_id == deputy.pk:
        errors["deputy"] = "The deputy must be a different person from the responsible officer."
    if account.kind == AccountKind.SERVICE and not account.service_area_id:
        errors["service_area"] = "Choose the service area this account belongs to."
    if account.kind == AccountKind.COUNCILLOR and not account.ward_id:
        errors["ward"] = "Choose the ward of the councillor this account belongs to."
    for field, person in (
        ("responsible_officer", officer if account.responsible_officer_id else None),
        ("deputy", deputy),
    ):
        if person and field not in errors and not _may_run(person, account):
            where = account.service_area or account.ward
            errors[field] = (
                f"{person} works in {person.service_area or person.ward or 'no service area'}, "
                f"not {where}. Choose someone from {where} or the Communications team."
            )
    if errors:
        raise ValidationError(errors)


def _may_run(person: User, account: Account) -> bool:
    """Someone from the account's own service area or ward, or the Communications team."""
    if person.has_role(Role.COMMS):
        return True
    if account.service_area_id:
        return person.service_area_id == account.service_area_id
    if account.ward_id:
        return person.ward_id == account.ward_id
    return True


def _save(account: Account, *, update_fields=None) -> None:
    try:
        with transaction.atomic():
            account.save(update_fields=update_fields)
    except IntegrityError as exc:
        # Two people registering the same account at once: the unique constraint decides.
        if "account_unique_identity" in str(exc):
            raise ValidationError(
                {"handle": "This account has just been added to the register by someone else."}
            ) from exc
        raise


def _notify_comms(subject: str, template: str, context: dict) -> None:
    comms = User.objects.current().with_role(Role.COMMS).filter(is_active=True)
    notification_queue(recipients=comms, subject=subject, template=template, context=context)


def account_request(*, by: User, fields: AccountFields) -> Account:
    """An officer or councillor asks to open (or register) an account; Comms will approve or decline."""
    if not by.has_perm("accounts_registry.request_account"):
        raise PermissionDenied("You cannot request accounts.")
    account = Account(requested_by=by, **fields)
    validate_account(account)
    with transaction.atomic():
        _save(account)
        _log_creation(account, by, "requested")
        _notify_comms(
            f"New social media account request: {account}",
            "accounts_registry/email/requested.txt",
            {"account": account, "by": by},
        )
    return account


def account_register_existing(*, by: User | None, fields: AccountFields) -> Account:
    """Comms adds an account that already exists and runs (the register's starting point; imports)."""
    if by is not None and not by.has_perm("accounts_registry.add_account"):
        raise PermissionDenied("Only the Communications team adds existing accounts to the register.")
    # Created active, not moved there by a transition: it never was a request.
    account = Account(requested_by=by, status=AccountStatus.ACTIVE, **fields)
    validate_account(account)
    with transaction.atomic():
        _save(account)
        _log_creation(account, by, "registered")
    return account


def _log_creation(account: Account, by: User | None, action: str) -> None:
    AccountStatusChange.objects.create(account=account, actor=by, action=action, to_status=account.status)


def _locked(account: Account) -> Account:
    return Account.objects.select_for_update().get(pk=account.pk)


def _transition(
    account: Account, by: User | None, name: str, reason: str | None = "", *, rule: str
) -> Account:
    """One move of the lifecycle (core.workflow), logged; reason=None keeps the reason already recorded.
    by=None is a scheduled sweep."""
    with moving(
        account, name, by=by, policy=ACCOUNT_ACTIONS, rule=rule, log=AccountStatusChange, comment=reason or ""
    ) as step:
        if reason is not None:
            step.record.status_reason = reason
    return step.record


def account_approve(*, account: Account, by: User) -> Account:
    """Comms approves a request. The requester is told."""
    done = _transition(account, by, "approve", rule="decide")
    _tell_requester(done, "approved")
    return done


def account_reject(*, account: Account, by: User, reason: str) -> Account:
    """Comms declines a request and says why."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is declined: the requester will be told."})
    done = _transition(account, by, "reject", reason.strip(), rule="decide")
    _tell_requester(done, "declined")
    return done


def _tell_requester(account: Account, outcome: str) -> None:
    if account.requested_by_id:
        notification_queue(
            recipients=[account.requested_by],
            subject=f"Your account request was {outcome}: {account}",
            template="accounts_registry/email/decided.txt",
            context={"account": account, "outcome": outcome},
        )


def account_activate(*, account: Account, by: User | None) -> Account:
    return _transition(account, by, "activate", rule="status")


def account_start_closing(*, account: Account, by: User, reason: str) -> Account:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the account is closing."})
    return _transition(account, by, "start_closing", reason.strip(), rule="status")


def account_close(*, account: Account, by: User) -> Account:
    return _transition(account, by, "close", None, rule="status")


class StaleEdit(ValidationError):
    """The account changed since the editor loaded it."""


def account_update(*, account: Account, by: User, version: int, changes: AccountFields) -> Account:
    """Edit an account. The responsible officer may change descriptive fields; Comms anything. A save
    based on an out-of-date copy (someone else saved in between) is refused, not silently merged."""
    with transaction.atomic():
        locked = _locked(account)
        ACCOUNT_ACTIONS.recheck("edit", locked, by)
        allowed = DESCRIPTIVE_FIELDS + (GOVERNANCE_FIELDS if by.has_role(Role.COMMS) else [])
        refused = set(changes) - set(allowed)
        if refused:
            raise PermissionDenied(f"You cannot change {', '.join(sorted(refused))}.")
        if locked.version != version:
            raise StaleEdit(
                "Someone else changed this account while you were editing it, so your changes are not "
                "saved yet. Check the account's page to see theirs; save again to replace them with yours."
            )
        for field, value in changes.items():
            setattr(locked, field, value)
        validate_account(locked)
        locked.version += 1
        _save(locked)
    return locked


def account_record_check(
    *,
    account: Account,
    by: User,
    checked_on: date,
    posts_last_30_days: int,
    last_post_on: date | None = None,
    followers: int | None = None,
    notes: str = "",
) -> ActivityCheck:
    """Comms records what they saw on the platform; it updates the account's activity."""
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "The check date cannot be in the future."})
    if last_post_on and last_post_on > checked_on:
        raise ValidationError({"last_post_on": "The latest post cannot be after the check."})
    with transaction.atomic():
        locked = _locked(account)
        ACCOUNT_ACTIONS.recheck("check", locked, by)
        check = ActivityCheck.objects.create(
            account=locked,
            checked_by=by,
            checked_on=checked_on,
            posts_last_30_days=posts_last_30_days,
            last_post_on=last_post_on,
            followers=followers,
            notes=notes,
        )
        latest = check.last_post_on or (checked_on if posts_last_30_days else None)
        seen = _start_of(latest) if latest else None
        account_note_activity(
            account=locked, at=seen, posts_last_30_days=posts_last_30_days, followers=followers
        )
    return check


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def account_note_activity(
    *,
    account: Account,
    at: datetime | None,
    posts_last_30_days: int | None = None,
    followers: int | None = None,
) -> None:
    """Activity seen on the account (a published post recorded in the app, or a check). A dormant
    account that posts again becomes active."""
    with transaction.atomic():
        locked = _locked(account)
        fields = []
        if at and (locked.last_activity_at is None or at > locked.last_activity_at):
            locked.last_activity_at = at
            fields.append("last_activity_at")
        if posts_last_30_days is not None:
            locked.posts_last_30_days = posts_last_30_days
            fields.append("posts_last_30_days")
        if followers is not None:
            locked.followers = followers
            fields.append("followers")
        # Not a version bump: activity is not something the edit form changes.
        if fields:
            locked.save(update_fields=fields)
        if locked.status == AccountStatus.DORMANT and at and at >= timezone.now() - dormancy_period():
            _transition(locked, None, "activate", "Active again.", rule="status")


def dormancy_period() -> timedelta:
    return timedelta(days=settings.ACCOUNT_DORMANT_AFTER_DAYS)


@dataclass
class DormancySweep:
    marked: list[Account]


def accounts_mark_dormant(*, now: datetime | None = None) -> DormancySweep:
    """The scheduled sweep: active accounts with no activity for the dormancy period become dormant,
    and the responsible officer and Comms are told. Each account is claimed under a row lock with
    SKIP LOCKED and re-checked, so two workers running at once never mark or notify twice."""
    now = now or timezone.now()
    cutoff = now - dormancy_period()
    marked = []
    candidates = (
        Account.objects.filter(status=AccountStatus.ACTIVE)
        .filter(
            # Never active: count from when it was registered.
            _inactive_since(cutoff)
        )
        .values_list("pk", flat=True)
    )
    for pk in candidates:
        with transaction.atomic():
            account = (
                Account.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=AccountStatus.ACTIVE)
                .filter(_inactive_since(cutoff))
                .select_related("responsible_officer")
                .first()
            )
            if account is None:
                continue
            reason = f"No activity for {settings.ACCOUNT_DORMANT_AFTER_DAYS} days."
            account = _transition(account, None, "mark_dormant", reason, rule="status")
            context = {"account": account, "days": settings.ACCOUNT_DORMANT_AFTER_DAYS}
            notification_queue(
                recipients=[account.responsible_officer],
                subject=f"Your social media account looks dormant: {account}",
                template="accounts_registry/email/dormant.txt",
                context=context,
            )
            _notify_comms(
                f"Account marked dormant: {account}", "accounts_registry/email/dormant.txt", context
            )
            marked.append(account)
    return DormancySweep(marked=marked)


def _inactive_since(cutoff: datetime) -> Q:
    return Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff)


def accounts_transfer(*, from_person: User, to_person: User, by: User, include_deputy: bool = True) -> int:
    """Hand every open account of someone (usually who has left) to someone else in one step."""
    if not by.has_perm("accounts_registry.transfer_accounts"):
        raise PermissionDenied("Only the Communications team transfers accounts.")
    if to_person.has_left or not to_person.is_active:
        raise ValidationError(
            {"to_person": f"{to_person} has left the council. Choose someone who works here now."}
        )
    if to_person == from_person:
        raise ValidationError({"to_person": "Choose someone else to take the accounts over."})
    moved = 0
    with transaction.atomic():
        accounts = list(Account.objects.open().select_for_update().filter(responsible_officer=from_person))
        cannot = [a for a in accounts if not _may_run(to_person, a)]
        if cannot:
            names = ", ".join(str(a) for a in cannot)
            raise ValidationError(
                {
                    "to_person": f"{to_person} cannot run {names}: choose someone from that "
                    f"service area or the Communications team."
                }
            )
        for account in accounts:
            account.responsible_officer = to_person
            if account.deputy_id == to_person.pk:
                account.deputy = None
            account.version += 1
            account.save(update_fields=["responsible_officer", "deputy", "version"])
            moved += 1
        if include_deputy:
            for account in Account.objects.open().select_for_update().filter(deputy=from_person):
                account.deputy = None if account.responsible_officer_id == to_person.pk else to_person
                account.version += 1
                account.save(update_fields=["deputy", "version"])
                moved += 1
        if moved:
            notification_queue(
                recipients=[to_person],
                subject="Social media accounts handed over to you",
                template="accounts_registry/email/transferred.txt",
                context={"from_person": from_person, "accounts": accounts},
            )
    return moved
