"""Every change to the register goes through these functions: web pages, admin, imports and tasks."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts_registry import sheet
from accounts_registry.models import (
    Account,
    AccountImport,
    AccountImportRow,
    AccountKind,
    AccountStatus,
    AccountStatusChange,
    ActivityCheck,
    ImportOutcome,
    ImportStatus,
)
from accounts_registry.permissions import ACCOUNT_ACTIONS
from accounts_registry.platforms import AccountIdentity, identify, rules_for
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


RESPONSE_TIME_HOURS = (1, 480)  # up to 12 weeks of 8-hour working days


def validate_account(
    account: Account,
    *,
    registered: Mapping[tuple[str, str], Account] | None = None,
    identity: AccountIdentity | None = None,
) -> None:
    """The rules every saved account meets, whoever saves it: a request, the edit page, an import.
    Raises ValidationError by field, with every problem found.

    `registered` maps (platform, identity key) to the accounts already in the register; without it the
    register is asked. The people, service area and ward on the account are used as they are: a caller
    checking many accounts (an import) passes them loaded once, people with their roles
    (User.objects.with_roles()), so checking an account makes no query; and `identity` when it has
    already identified the handle and link (platforms.identify)."""
    errors: dict[str, str] = {}
    try:
        identity = identity or identify(account.platform, account.handle, account.profile_url)
    except ValidationError as exc:
        errors.update({field: " ".join(messages) for field, messages in exc.message_dict.items()})
    else:
        account.handle, account.handle_key, account.profile_url = (
            identity.handle,
            identity.key,
            identity.profile_url,
        )
        if registered is None:
            other = (
                Account.objects.filter(platform=account.platform, handle_key=account.handle_key)
                .exclude(pk=account.pk)
                .first()
            )
        else:
            other = registered.get((account.platform, account.handle_key))
        if other is not None and other.pk != account.pk:
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
    low, high = RESPONSE_TIME_HOURS
    if not low <= account.response_time_hours <= high:
        errors["response_time_hours"] = (
            f"The agreed response time must be from {low} to {high} working hours."
        )
    officer = account.responsible_officer if account.responsible_officer_id else None
    deputy = account.deputy if account.deputy_id else None
    if officer and officer.has_left:
        errors["responsible_officer"] = f"{officer} has left the council. Choose someone who works here now."
    if deputy and deputy.has_left:
        errors["deputy"] = f"{deputy} has left the council. Choose someone who works here now."
    if deputy and account.responsible_officer_id == deputy.pk:
        errors["deputy"] = "The deputy must be a different person from the responsible officer."
    if account.kind == AccountKind.SERVICE and not account.service_area_id:
        errors["service_area"] = "Choose the service area this account belongs to."
    if account.kind == AccountKind.COUNCILLOR and not account.ward_id:
        errors["ward"] = "Choose the ward of the councillor this account belongs to."
    for field, person in (("responsible_officer", officer), ("deputy", deputy)):
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


def _bump_version(account: Account) -> None:
    """A change to what describes the account: a save (an edit, an import) based on the version
    before it is refused rather than silently undoing it."""
    account.version += 1


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
        _bump_version(locked)
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


def handover_accounts(person: User) -> QuerySet[Account]:
    """What someone runs or deputises on and could hand over: every account not closed or rejected."""
    return (
        Account.objects.filter(Q(responsible_officer=person) | Q(deputy=person))
        .exclude(status__in=[AccountStatus.CLOSED, AccountStatus.REJECTED])
        .select_related("responsible_officer", "deputy", "service_area", "ward")
        .order_by("display_name", "pk")
    )


def people_who_may_run(accounts: list[Account], people: Iterable[User]) -> list[User]:
    """Those of `people` who may run every one of `accounts`: the rule of _may_run."""
    return [person for person in people if all(_may_run(person, account) for account in accounts)]


@dataclass(frozen=True)
class Handover:
    account: Account
    responsible_officer: User
    deputy: User | None
    needs_deputy: bool  # the new person already held the other role on it: who deputises now?


def handover_plan(*, from_person: User, to_person: User, accounts: list[Account]) -> list[Handover]:
    """Who runs and who deputises on each account once `to_person` takes `from_person`'s place on it."""
    plans = []
    for account in accounts:
        officer, deputy = account.responsible_officer, account.deputy
        if account.responsible_officer_id == from_person.pk:
            officer = to_person
        else:
            deputy = to_person
        clash = deputy is not None and deputy.pk == officer.pk
        plans.append(Handover(account, officer, None if clash else deputy, clash))
    return plans


def accounts_hand_over(
    *,
    from_person: User,
    to_person: User,
    accounts: list[int],
    by: User,
    new_deputies: Mapping[int, User | None] | None = None,
) -> list[Account]:
    """Hand some of the accounts someone runs or deputises on (usually someone who has left) to
    another person, each under its row lock. Where the new person already held the other role on an
    account, `new_deputies` says who deputises now (None: nobody for now). Each account's log says
    who handed it to whom; the new person is told."""
    if not by.has_perm("accounts_registry.transfer_accounts"):
        raise PermissionDenied("Only the Communications team hands accounts over.")
    if to_person.has_left or not to_person.is_active:
        raise ValidationError(
            {"to_person": f"{to_person} has left the council. Choose someone who works here now."}
        )
    if to_person.pk == from_person.pk:
        raise ValidationError({"to_person": "Choose someone else to take the accounts over."})
    new_deputies = new_deputies or {}
    with transaction.atomic():
        locked = list(
            Account.objects.select_for_update(of=("self",))
            .filter(pk__in=accounts)
            .select_related("responsible_officer", "deputy", "service_area", "ward")
            .order_by("pk")
        )
        problems = [
            f"{account} is no longer {from_person}'s to hand over: someone may have just changed it. "
            "Reload the page."
            for account in locked
            if account.is_closed or from_person.pk not in (account.responsible_officer_id, account.deputy_id)
        ]
        cannot = [str(a) for a in locked if not _may_run(to_person, a)]
        if cannot:
            problems.append(
                f"{to_person} cannot run {', '.join(cannot)}: choose someone from its service area or "
                "ward, or the Communications team."
            )
        plans = handover_plan(from_person=from_person, to_person=to_person, accounts=locked)
        for plan in plans:
            if not plan.needs_deputy:
                continue
            if plan.account.pk not in new_deputies:
                problems.append(f"Choose who becomes the deputy of {plan.account}.")
                continue
            chosen = new_deputies[plan.account.pk]
            if chosen and (chosen.has_left or chosen.pk in (to_person.pk, from_person.pk)):
                problems.append(f"{chosen} cannot become the deputy of {plan.account}.")
            elif chosen and not _may_run(chosen, plan.account):
                problems.append(f"{chosen} cannot deputise on {plan.account}: they work elsewhere.")
        if problems or len(locked) != len(set(accounts)):
            raise ValidationError(
                {"to_person": problems or ["Some of these accounts are not in the register."]}
            )
        log = []
        for plan in plans:
            account = plan.account
            deputy = new_deputies.get(account.pk) if plan.needs_deputy else plan.deputy
            role = "responsible officer" if account.responsible_officer_id == from_person.pk else "deputy"
            account.responsible_officer, account.deputy = plan.responsible_officer, deputy
            _bump_version(account)
            account.save(update_fields=["responsible_officer", "deputy", "version"])
            log.append(
                AccountStatusChange(
                    account=account,
                    actor=by,
                    action="handed_over",
                    from_status=account.status,
                    to_status=account.status,
                    comment=f"Handed over from {from_person} to {to_person} ({role}); "
                    f"deputy: {deputy or 'none'}.",
                )
            )
        AccountStatusChange.objects.bulk_create(log)
        notification_queue(
            recipients=[to_person],
            subject="Social media accounts handed over to you",
            template="accounts_registry/email/transferred.txt",
            context={"from_person": from_person, "accounts": locked},
        )
    return locked


def accounts_transfer(*, from_person: User, to_person: User, by: User) -> list[Account]:
    """Hand everything someone runs or deputises on to one person (accounts_hand_over for all of
    them); where that person already held the other role, nobody deputises for now."""
    accounts = list(handover_accounts(from_person))
    plans = handover_plan(from_person=from_person, to_person=to_person, accounts=accounts)
    return accounts_hand_over(
        from_person=from_person,
        to_person=to_person,
        accounts=[a.pk for a in accounts],
        by=by,
        new_deputies={plan.account.pk: None for plan in plans if plan.needs_deputy},
    )


# Importing a spreadsheet of accounts


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # as the spreadsheet numbers it (the headings are row 1); None: the whole file
    column: str  # "" when about the row as a whole
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return (
            f"Row {self.row}, {self.column}: {self.message}"
            if self.column
            else f"Row {self.row}: {self.message}"
        )


class ImportRejected(ValidationError):
    """Nothing was saved. `.problems` lists every problem of every row."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        rows = len({p.row for p in problems})
        super().__init__(
            f"Nothing was saved: {len(problems):,} problem{'s' if len(problems) != 1 else ''} in "
            f"{rows:,} row{'s' if rows != 1 else ''}. Correct them and upload the file again."
        )


def _may_import(by: User) -> None:
    if not by.has_perm("accounts_registry.import_accounts"):
        raise PermissionDenied("Only the Communications team imports accounts.")


def _identity_key(platform: str, key: str) -> str:
    return f"{platform}:{key}"


class _Importer:
    """A file read against the register, row by row, with every lookup made once for the file: what
    each row would do (new account, changes, unchanged) or every problem with it.

    A preview (`upload` given) writes a row of AccountImportRow per row of the file, in batches.
    Applying (`write`) writes new accounts in batches as it goes, collects the changed accounts (no
    more than the register holds), then locks those in one query and saves them in a few statements.
    Either runs in one transaction, so a problem found late rolls back what was written; memory and
    queries do not grow with the file."""

    BATCH = 1000

    def __init__(
        self,
        *,
        by: User,
        file_name: str,
        upload: AccountImport | None = None,
        seen: Mapping[str, int] | None = None,
        write: bool = False,
    ):
        self.by, self.file_name, self.upload, self.seen, self.write = by, file_name, upload, seen, write
        self.problems: list[ImportProblem] = []
        self.preview: list[AccountImportRow] = []
        self.versions: dict[str, int] = {}
        self.counts = {"new": 0, "changed": 0, "unchanged": 0}
        self.batch: list[Account] = []
        self.changed: list[tuple[Account, int, list[str]]] = []  # (account, version read, fields changed)
        self.first_row: dict[str, int] = {}
        self.ignored: list[str] = []

    def run(self, content: bytes) -> "_Importer":
        try:
            table = sheet.read(content)
            self.ignored = table.ignored
            self._load()
            for number, cells in table.rows:
                self._row(number, table.columns, cells)
        except sheet.SheetError as exc:
            self.problems.append(ImportProblem(None, "", str(exc)))
        if self.problems:
            raise ImportRejected(self.problems)
        self._flush()
        self._save_changed()
        return self

    def _load(self) -> None:
        areas, wards = list(ServiceArea.objects.all()), list(Ward.objects.all())
        people = list(User.objects.with_roles().select_related("service_area", "ward"))
        self.areas, self.wards = {a.pk: a for a in areas}, {w.pk: w for w in wards}
        self.people = {p.pk: p for p in people}
        self.reader = sheet.CellReader(
            areas={k.lower(): a for a in areas for k in (a.code, a.name)},
            wards={k.lower(): w for w in wards for k in (w.code, w.name)},
            people={p.email.lower(): p for p in people},
        )
        # The register, not the file: a council's few thousand accounts, with their people attached.
        self.registered = {}
        for account in Account.objects.all():
            self._attach(account)
            self.registered[account.platform, account.handle_key] = account

    def _attach(self, account: Account) -> None:
        account.responsible_officer = self.people[account.responsible_officer_id]
        account.deputy = self.people.get(account.deputy_id)
        account.service_area = self.areas.get(account.service_area_id)
        account.ward = self.wards.get(account.ward_id)

    def _problem(self, row: int, field_or_heading: str, message: str) -> None:
        column = sheet.BY_FIELD.get(field_or_heading)
        self.problems.append(ImportProblem(row, column.heading if column else field_or_heading, message))

    def _row(self, number: int, columns: list, cells: list[str]) -> None:
        values, bad = {}, set()
        for column, text in zip(columns, cells, strict=True):
            if column is None:
                if text.strip():
                    self._problem(
                        number, "", "a cell under a column with no heading: give it one or empty it."
                    )
                continue
            try:
                value = self.reader.value(column, text)
            except sheet.CellError as exc:
                self._problem(number, column.heading, str(exc))
                bad.add(column.field or column.heading)
                continue
            if column.field and value is not None:
                values[column.field] = value
        platform = values.get("platform")
        if platform is None:
            if "platform" not in bad:
                self._problem(number, "platform", "enter the platform.")
            return
        try:
            identity = identify(platform, values.get("handle", ""), values.get("profile_url", ""))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field not in bad:
                    self._problem(number, field, " ".join(messages))
            bad |= set(exc.message_dict)
            self._new(number, values, bad)  # for its other problems
            return
        key = (platform, identity.key)
        seen_at = _identity_key(*key)  # one string a row: all the file keeps of its rows
        if seen_at in self.first_row:
            named = identity.handle or identity.profile_url
            self._problem(
                number,
                "handle" if values.get("handle") else "profile_url",
                f"row {self.first_row[seen_at]} names the same account ({named} on "
                f"{rules_for(platform).name}): an account can be in the file only once.",
            )
            return
        self.first_row[seen_at] = number
        existing = self.registered.get(key)
        if self.seen is not None:
            seen = self.seen.get(seen_at, 0)
            if seen != (existing.version if existing else 0):
                happened = "added to the register" if not seen else "changed"
                self._problem(
                    number, "", f"{existing} was {happened} since you previewed the file: preview it again."
                )
                return
        if existing is None:
            self._new(number, values, bad, identity)
        else:
            self._update(number, existing, values, bad)

    def _new(self, number: int, values: dict, bad: set, identity: AccountIdentity | None = None) -> None:
        missing = {
            f for f in ("display_name", "purpose", "audience", "responsible_officer") if f not in values
        }
        for field in sorted(missing - bad):
            heading = sheet.BY_FIELD[field].heading
            self._problem(number, field, f"a new account needs its {heading[0].lower()}{heading[1:]}.")
        fields = {f: _cleared(f) if v is sheet.CLEAR else v for f, v in values.items()}
        account = Account(requested_by=self.by, status=AccountStatus.ACTIVE, **fields)
        if not self._valid(number, account, skip=bad | missing, identity=identity) or missing or bad:
            return
        self.counts["new"] += 1
        if self.write:
            self.batch.append(account)
            if len(self.batch) >= self.BATCH:
                self._flush()
        else:
            self._preview(number, ImportOutcome.NEW, account)

    def _update(self, number: int, account: Account, values: dict, bad: set) -> None:
        self.versions[_identity_key(account.platform, account.handle_key)] = account.version
        changes = []
        for field, value in values.items():
            if field in sheet.IDENTITY_FIELDS:
                continue  # they say which account the row is about; the edit page changes them
            value = _cleared(field) if value is sheet.CLEAR else value
            old = getattr(account, field)
            if not _same(old, value):
                changes.append((field, old, value))
        if not changes:
            self.counts["unchanged"] += 1
            if not self.write:
                self._preview(number, ImportOutcome.UNCHANGED, account)
            return
        if refused := ACCOUNT_ACTIONS.refusal("edit", account, self.by):
            self._problem(number, "", refused[1])
            return
        version = account.version
        for field, _, value in changes:
            setattr(account, field, value)
        # Its handle and link stay as registered (an import never changes them).
        identity = AccountIdentity(account.handle, account.handle_key, account.profile_url)
        if not self._valid(number, account, skip=bad, identity=identity) or bad:
            return
        self.counts["changed"] += 1
        if self.write:
            _bump_version(account)
            self.changed.append((account, version, [field for field, _, _ in changes]))
        else:
            described = [
                [sheet.BY_FIELD[f].heading, sheet.describe(f, old), sheet.describe(f, new)]
                for f, old, new in changes
            ]
            self._preview(number, ImportOutcome.CHANGED, account, described)

    def _valid(self, number: int, account: Account, skip: set, identity: AccountIdentity | None) -> bool:
        """The account's rules (validate_account), leaving out fields whose cell was already wrong."""
        try:
            validate_account(account, registered=self.registered, identity=identity)
        except ValidationError as exc:
            problems = {f: m for f, m in exc.message_dict.items() if f not in skip}
            for field, messages in problems.items():
                self._problem(number, field, " ".join(messages))
            return not problems
        return True

    def _preview(self, number: int, outcome: str, account: Account, changes: list | None = None) -> None:
        self.preview.append(
            AccountImportRow(
                upload=self.upload,
                number=number,
                outcome=outcome,
                label=_label(account)[:500],
                account_id=account.pk,
                changes=changes or [],
            )
        )
        if len(self.preview) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.problems:
            self.batch, self.preview = [], []
            return
        if self.preview:
            AccountImportRow.objects.bulk_create(self.preview)
            self.preview = []
        if not self.batch:
            return
        try:
            with transaction.atomic():
                created = Account.objects.bulk_create(self.batch)
        except IntegrityError as exc:
            if "account_unique_identity" not in str(exc):
                raise
            raise ImportRejected(
                [
                    ImportProblem(
                        None, "", "Someone has just added one of these accounts: preview the file again."
                    )
                ]
            ) from exc
        comment = f"Imported from {self.file_name}."
        AccountStatusChange.objects.bulk_create(
            AccountStatusChange(
                account=a, actor=self.by, action="registered", to_status=a.status, comment=comment
            )
            for a in created
        )
        self.batch = []

    def _save_changed(self) -> None:
        if not self.changed:
            return
        read_at = {account.pk: version for account, version, _ in self.changed}
        # One lock for every account the file changes, then a check nobody saved one since it was read.
        now = dict(Account.objects.select_for_update().filter(pk__in=read_at).values_list("pk", "version"))
        stale = [account for account, version, _ in self.changed if now[account.pk] != version]
        if stale:
            raise ImportRejected(
                [
                    ImportProblem(
                        None, "", f"{account} was changed while the file was imported: preview it again."
                    )
                    for account in stale
                ]
            )
        # Only the columns some row changes: each is a CASE over a batch's rows.
        fields = sorted({field for _, _, changed in self.changed for field in changed})
        Account.objects.bulk_update(
            [account for account, _, _ in self.changed], fields=[*fields, "version"], batch_size=200
        )


def _same(old, new) -> bool:
    """A cell's value is what the register holds: the same person or place, the same text whatever
    line endings a spreadsheet wrote."""
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", old) == getattr(new, "pk", new)
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n") == new.replace("\r\n", "\n")
    return old == new


def _cleared(field: str):
    return None if Account._meta.get_field(field).is_relation else ""


def _label(account: Account) -> str:
    return (
        f"{account.display_name} ({rules_for(account.platform).name} {account.handle or account.profile_url})"
    )


def accounts_import_preview(*, by: User, file_name: str, content: bytes) -> AccountImport:
    """Read a spreadsheet against the register, saving no account: what each row would do
    (AccountImportRow). The file is kept, replacing the uploader's earlier one still waiting, until
    it is confirmed or discarded. Raises ImportRejected listing every problem of every row."""
    _may_import(by)
    if len(content) > sheet.MAX_BYTES:
        raise ImportRejected(
            [ImportProblem(None, "", f"The file is larger than {sheet.MAX_BYTES // 2**20}MB.")]
        )
    with transaction.atomic():
        for waiting in AccountImport.objects.select_for_update().filter(
            uploaded_by=by, status=ImportStatus.PENDING
        ):
            _finish(waiting, "discard")
        upload = AccountImport.objects.create(uploaded_by=by, file_name=file_name[:255], content=content)
        _previewed(upload, _Importer(by=by, file_name=file_name, upload=upload).run(content))
    return upload


def _previewed(upload: AccountImport, importer: _Importer) -> None:
    upload.seen_versions, upload.ignored_columns = importer.versions, importer.ignored
    for outcome, count in importer.counts.items():
        setattr(upload, outcome, count)
    upload.save(update_fields=["seen_versions", "ignored_columns", *importer.counts])


def _finish(upload: AccountImport, transition: str) -> None:
    """Applied or discarded: the file and its preview are no longer kept."""
    getattr(upload, transition)()
    upload.content, upload.finished_at = None, timezone.now()
    upload.save()
    upload.preview_rows.all().delete()


def _pending(upload: AccountImport, by: User) -> AccountImport:
    _may_import(by)
    locked = AccountImport.objects.select_for_update().get(pk=upload.pk)
    if locked.uploaded_by_id != by.pk:
        raise PermissionDenied("Only the person who uploaded a file can confirm or discard it.")
    if locked.status != ImportStatus.PENDING:
        raise ValidationError(f"This file was already {locked.get_status_display().lower()}.")
    return locked


def accounts_import_preview_again(*, upload: AccountImport, by: User) -> AccountImport:
    """Compare the kept file with the register as it is now (after someone changed an account)."""
    with transaction.atomic():
        locked = _pending(upload, by)
        locked.preview_rows.all().delete()
        importer = _Importer(by=by, file_name=locked.file_name, upload=locked).run(bytes(locked.content))
        locked.uploaded_at = timezone.now()
        locked.save(update_fields=["uploaded_at"])
        _previewed(locked, importer)
    return locked


def accounts_import_apply(*, upload: AccountImport, by: User) -> AccountImport:
    """Save what the preview showed, under the same rules as the edit page (validate_account, the
    edit rule, the version bump): new accounts registered as active with a "registered" entry in
    their log, changed ones locked and saved together; history records each change. Rows whose
    account changed since the preview are refused, and then nothing is saved."""
    with transaction.atomic(), pghistory.context(user=by.pk):
        locked = _pending(upload, by)
        importer = _Importer(by=by, file_name=locked.file_name, seen=locked.seen_versions, write=True).run(
            bytes(locked.content)
        )
        for outcome, count in importer.counts.items():
            setattr(locked, outcome, count)
        _finish(locked, "apply")
    return locked


def accounts_import_discard(*, upload: AccountImport, by: User) -> AccountImport:
    with transaction.atomic():
        locked = _pending(upload, by)
        _finish(locked, "discard")
    return locked
