"""The register of every social media account associated with the council."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from accounts_registry.platforms import Platform
from core.history import append_only
from core.validators import no_control_characters


class AccountKind(models.TextChoices):
    CORPORATE = "corporate", "Corporate"
    SERVICE = "service", "Service area"
    COUNCILLOR = "councillor", "Councillor's official account"
    CAMPAIGN = "campaign", "Campaign or temporary"


class PostingFrequency(models.TextChoices):
    """How often the account is expected to post, with the posts in 30 days that meets it."""

    DAILY = "daily", "Every day"
    SEVERAL_WEEKLY = "several_weekly", "Several times a week"
    WEEKLY = "weekly", "Once a week"
    FORTNIGHTLY = "fortnightly", "Once a fortnight"
    MONTHLY = "monthly", "Once a month"

    @property
    def posts_per_30_days(self) -> int:
        return {"daily": 30, "several_weekly": 12, "weekly": 4, "fortnightly": 2, "monthly": 1}[self.value]


class AccountStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved, not yet active"
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    REJECTED = "rejected", "Rejected"


S = AccountStatus
OPEN_STATUSES = [S.APPROVED, S.ACTIVE, S.DORMANT, S.CLOSING]


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who can see which accounts, the one answer: Comms and auditors all; heads of service their
        service areas'; officers and councillors those they run, deputise on or asked for."""
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS, Role.AUDITOR):
            return self
        mine = Q(responsible_officer=user) | Q(deputy=user) | Q(requested_by=user)
        if user.has_role(Role.HEAD_OF_SERVICE):
            mine |= Q(service_area__head_of_service=user)
            if user.service_area_id:
                mine |= Q(service_area=user.service_area_id)
        return self.filter(mine)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_person(self, person):
        return self.filter(Q(responsible_officer=person) | Q(deputy=person) | Q(requested_by=person))


@pghistory.track(exclude=["version"])
class Account(FSMModelMixin, models.Model):
    """One account on one platform. The status moves only through the transitions below, each
    called by a service in accounts_registry.services (never set directly: the field is protected)."""

    platform = models.CharField(max_length=20, choices=Platform)
    handle = models.CharField(max_length=200, blank=True, help_text="For example, @NorthfieldCC.")
    handle_key = models.CharField(max_length=200, editable=False)
    # Either the handle or the link may be typed; validate_account() fills in the other, canonically.
    profile_url = models.URLField("profile link", max_length=500, blank=True)
    display_name = models.CharField(max_length=200, validators=[no_control_characters])
    kind = models.CharField(max_length=20, choices=AccountKind, default=AccountKind.SERVICE)
    service_area = models.ForeignKey(
        "organisation.ServiceArea", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    ward = models.ForeignKey(
        "organisation.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    purpose = models.TextField(help_text="What the account is for.")
    audience = models.CharField(
        max_length=300, help_text="Who it is for, for example residents of the borough."
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="responsible_for_accounts"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_for_accounts",
    )
    managed_by_comms = models.BooleanField("managed by the Communications team", default=False)
    posting_frequency = models.CharField(
        "expected posting frequency", max_length=20, choices=PostingFrequency, default=PostingFrequency.WEEKLY
    )
    review_required = models.BooleanField(
        "every post needs review",
        default=True,
        help_text="Posts and replies are approved before they go out.",
    )
    response_time_hours = models.PositiveSmallIntegerField(
        "agreed response time (working hours)",
        default=16,
        help_text="How long the council takes to reply to the public on this account, in working hours.",
    )
    two_factor_enabled = models.BooleanField("two-factor sign-in is on", default=False)
    credentials_location = models.CharField(
        "where the sign-in details are held",
        max_length=300,
        blank=True,
        help_text="For example, the council's password manager, vault “Social media”. Never the password.",
    )

    status = FSMField(max_length=20, choices=AccountStatus, default=S.REQUESTED, protected=True)
    status_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    posts_last_30_days = models.PositiveIntegerField(null=True, blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)
    # Optimistic locking for edit forms: a save with a stale version is refused, not silently lost.
    version = models.PositiveIntegerField(default=1)

    objects = AccountQuerySet.as_manager()

    # How each move reads in a sentence: "it cannot be approved now".
    MOVE_WORDS = {
        "approve": "approved",
        "reject": "declined",
        "activate": "made active",
        "mark_dormant": "marked dormant",
        "start_closing": "closed",
        "close": "marked closed",
    }

    class Meta:
        ordering = ["platform", "handle_key"]
        constraints = [
            # The same account cannot be registered twice, whatever the case or URL form typed.
            models.UniqueConstraint(fields=["platform", "handle_key"], name="account_unique_identity"),
            models.CheckConstraint(
                condition=~Q(deputy=F("responsible_officer")), name="account_deputy_not_responsible"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_activity_at"], name="account_status_activity"),
            models.Index(fields=["service_area", "status"], name="account_area_status"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_platform_display()})"

    @property
    def is_closed(self) -> bool:
        return self.status in (S.CLOSED, S.REJECTED)

    # The lifecycle, in one place. Guards on who may act live in services/permissions.
    @transition(field=status, source=S.REQUESTED, target=S.APPROVED)
    def approve(self):
        """Comms agrees the account may be opened."""

    @transition(field=status, source=S.REQUESTED, target=S.REJECTED)
    def reject(self):
        """Comms declines the request, with a reason."""

    @transition(field=status, source=[S.APPROVED, S.DORMANT], target=S.ACTIVE)
    def activate(self):
        """The account is live (after approval), or has come back to life (from dormant)."""

    @transition(field=status, source=S.ACTIVE, target=S.DORMANT)
    def mark_dormant(self):
        """No activity for the dormancy period."""

    @transition(field=status, source=[S.APPROVED, S.ACTIVE, S.DORMANT], target=S.CLOSING)
    def start_closing(self):
        """Comms decides to close the account (e.g. a rarely used one moves to the corporate account)."""

    @transition(field=status, source=S.CLOSING, target=S.CLOSED)
    def close(self):
        """The account has been deleted or archived on the platform. The record and history stay."""


class ActivityCheck(models.Model):
    """A check Comms made of the account on the platform itself."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="activity_checks")
    checked_on = models.DateField(default=timezone.localdate)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posts_last_30_days = models.PositiveIntegerField("posts in the last 30 days")
    last_post_on = models.DateField("date of the latest post", null=True, blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-created_at"]

    def __str__(self) -> str:
        return f"Check of {self.account} on {self.checked_on}"


@append_only
class AccountStatusChange(models.Model):
    """The account's lifecycle log: every move, who made it (nobody: a scheduled sweep), when, and why.
    Append-only, like a draft's events."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=AccountStatus, blank=True)  # blank: created
    to_status = models.CharField(max_length=20, choices=AccountStatus)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class AccountImport(FSMModelMixin, models.Model):
    """A spreadsheet uploaded to the register: kept between the preview and its confirmation with the
    version of every account the preview compared it with, so a confirmation never applies changes to
    an account someone has changed since. Its content and preview rows go once applied or discarded."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(null=True, editable=False)  # the file as uploaded, while pending
    seen_versions = models.JSONField(default=dict)  # "platform:identity" -> the version the preview saw
    ignored_columns = models.JSONField(default=list)
    new = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    status = FSMField(max_length=20, choices=ImportStatus, default=ImportStatus.PENDING, protected=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display().lower()})"

    @property
    def row_count(self) -> int:
        return self.new + self.changed + self.unchanged

    @transition(field=status, source=ImportStatus.PENDING, target=ImportStatus.APPLIED)
    def apply(self):
        """Every row saved to the register."""

    @transition(field=status, source=ImportStatus.PENDING, target=ImportStatus.DISCARDED)
    def discard(self):
        """Dropped without saving anything (or replaced by the uploader's next file)."""


class ImportOutcome(models.TextChoices):
    NEW = "new", "New account"
    CHANGED = "changed", "Changes"
    UNCHANGED = "unchanged", "Unchanged"


class AccountImportRow(models.Model):
    """What one row of an uploaded file would do, as its preview shows it: rows in the database, not
    in memory, so a file's preview takes the same memory and a page of it the same queries whatever
    its size."""

    upload = models.ForeignKey(AccountImport, on_delete=models.CASCADE, related_name="preview_rows")
    number = models.PositiveIntegerField()  # as the spreadsheet numbers it: the headings are row 1
    outcome = models.CharField(max_length=20, choices=ImportOutcome)
    label = models.CharField(max_length=500)
    account = models.ForeignKey(Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changes = models.JSONField(default=list)  # [[column, old, new], …]

    class Meta:
        ordering = ["upload", "number"]
        # A page of the preview: all its rows in order, or those of one outcome.
        constraints = [models.UniqueConstraint(fields=["upload", "number"], name="import_row_number")]
        indexes = [models.Index(fields=["upload", "outcome", "number"], name="import_row_outcome")]

    def __str__(self) -> str:
        return f"Row {self.number}: {self.get_outcome_display()}"
