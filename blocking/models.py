"""The unacceptable-behaviour process: referrals, decisions, the block register, reviews and appeals.

Personal data about the member of the public is kept in a few named fields on each model, listed in
its PERSONAL_DATA (handles, profile links, what was said, free text), and in Evidence files. Nothing
else holds it: the audit trail (pghistory) leaves those fields out, and every count the report makes
reads only categories, accounts, statuses and dates."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from accounts_registry.platforms import Platform
from core.history import append_only


class Category(models.TextChoices):
    """What the person did. The codes are used by imports and the published report."""

    ABUSE = "abuse", "Abuse or offensive language"
    THREATS = "threats", "Threats or harassment"
    DISCRIMINATION = "discrimination", "Discrimination"
    PERSONAL_ATTACKS = "personal_attacks", "Personal or defamatory comments about staff or councillors"
    MISINFORMATION = "misinformation", "False or misleading information"
    SPAM = "spam", "Spam or advertising"
    IMPERSONATION = "impersonation", "Impersonation or fake account"
    PERSONAL_INFORMATION = "personal_information", "Posting personal information"
    OFF_TOPIC = "off_topic", "Repeated off-topic posts"
    OTHER = "other", "Other"


# The council's policy: warn first, except for these, which may be blocked straight away.
NO_WARNING_NEEDED = frozenset({Category.THREATS, Category.ABUSE, Category.DISCRIMINATION})


def category_labels(codes) -> str:
    labels = dict(Category.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


class PersonQuerySet(models.QuerySet):
    def about(self, platform: str, person_key: str):
        """Everything about one member of the public, whichever council account it happened on."""
        return self.filter(platform=platform, person_key=person_key)


# ---------------------------------------------------------------------------------------------------
# Referrals


class ReferralStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a decision"
    MORE_INFORMATION = "more_information", "More information needed"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    BLOCK = "block", "Block"
    WARN = "warn", "Warn first"
    HIDE = "hide", "Hide the comment only"
    NO_ACTION = "no_action", "No action"


R = ReferralStatus


class ReferralQuerySet(PersonQuerySet):
    def visible_to(self, user):
        """Comms see every referral; officers and councillors the ones they made; nobody else any
        (auditors read the report and the register, which hold no personal data)."""
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS):
            return self
        return self.filter(referred_by=user)


# Named so they do not clash with the workflow logs (ReferralEvent, BlockEvent, AppealEvent).
@pghistory.track(
    model_name="ReferralHistoryEvent",
    obj_field=pghistory.ObjForeignKey(related_name="history_events"),
    exclude=[
        "person_handle",
        "person_profile_url",
        "person_key",
        "category_other",
        "what_happened",
        "quoted_text",
        "evidence_links",
        "information_request",
        "decision_reason",
        "version",
    ],
)
class Referral(FSMModelMixin, models.Model):
    """An officer or councillor asks the Communications team to act on a member of the public's
    behaviour on one council account. The status moves only through the transitions below, called by
    blocking.services."""

    PERSONAL_DATA = [
        "person_handle",
        "person_profile_url",
        "person_key",
        "category_other",
        "what_happened",
        "quoted_text",
        "evidence_links",
        "information_request",
        "decision_reason",
    ]

    account = models.ForeignKey(
        "accounts_registry.Account",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="council account where it happened",
    )
    platform = models.CharField(max_length=20, choices=Platform, editable=False)
    person_handle = models.CharField("their handle or name", max_length=200, blank=True)
    person_profile_url = models.URLField("link to their profile", max_length=500, blank=True)
    # The canonical identity (accounts_registry.platforms.identify): the same person however typed.
    person_key = models.CharField(max_length=200, editable=False)
    categories = ArrayField(models.CharField(max_length=30, choices=Category), size=len(Category))
    category_other = models.CharField("what other behaviour", max_length=200, blank=True)
    what_happened = models.TextField()
    quoted_text = models.TextField("what they wrote", blank=True)
    evidence_links = ArrayField(models.URLField(max_length=500), blank=True, default=list, size=10)
    warning_given = models.BooleanField(default=False)
    warned_on = models.DateField(null=True, blank=True)
    # The content_review message it started from, as plain data: that app may be absent or renamed.
    source_message_id = models.PositiveBigIntegerField(null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    status = FSMField(max_length=20, choices=ReferralStatus, default=R.SUBMITTED, protected=True)
    information_request = models.TextField("information asked for", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    MOVE_WORDS = {
        "decide": "decided",
        "ask_for_information": "sent back for more information",
        "add_information": "given more information",
        "withdraw": "withdrawn",
    }

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(categories__len__gt=0), name="referral_has_category"),
            models.CheckConstraint(
                condition=Q(warning_given=False, warned_on__isnull=True)
                | Q(warning_given=True, warned_on__isnull=False),
                name="referral_warning_has_date",
            ),
            # A decided referral has its outcome and written reason; nothing else has an outcome.
            models.CheckConstraint(
                condition=(Q(status="decided") & ~Q(outcome="") & ~Q(decision_reason=""))
                | (~Q(status="decided") & Q(outcome="")),
                name="referral_decision_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "person_key"], name="referral_person"),
            models.Index(fields=["status", "created_at"], name="referral_status_created"),
        ]

    def __str__(self) -> str:
        # No handle: this is what the history pages and logs show, to auditors too.
        return f"Referral {self.pk}"

    @property
    def category_display(self) -> str:
        return category_labels(self.categories)

    @property
    def is_open(self) -> bool:
        return self.status in (R.SUBMITTED, R.MORE_INFORMATION)

    @transition(field=status, source=R.SUBMITTED, target=R.MORE_INFORMATION)
    def ask_for_information(self):
        """Comms need more before deciding; the referrer is told what."""

    @transition(field=status, source=R.MORE_INFORMATION, target=R.SUBMITTED)
    def add_information(self):
        """The referrer answers; the referral waits for a decision again."""

    @transition(field=status, source=[R.SUBMITTED, R.MORE_INFORMATION], target=R.DECIDED)
    def decide(self):
        """Comms decide: block, warn first, hide the comment or no action, with a written reason."""

    @transition(field=status, source=[R.SUBMITTED, R.MORE_INFORMATION], target=R.WITHDRAWN)
    def withdraw(self):
        """The referrer takes it back before a decision."""


@append_only
class ReferralEvent(models.Model):
    """The referral's log: made, information asked for and added, decided, withdrawn. Append-only."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ReferralStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus)
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    LABELS = {
        "referred": "Referred",
        "ask_for_information": "Asked for more information",
        "add_information": "Added information",
        "decide": "Decided",
        "withdraw": "Withdrawn",
        "evidence": "Evidence added",
    }

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Two Comms people deciding at once: one decision per referral, whatever happens above.
            models.UniqueConstraint(
                fields=["referral"], condition=Q(action="decide"), name="one_decision_per_referral"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.referral})"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action.replace("_", " ").capitalize())


# ---------------------------------------------------------------------------------------------------
# Blocks


class BlockStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Recorded, waiting for confirmation"
    ACTIVE = "active", "Active"
    REVIEW_DUE = "review_due", "Due for review"
    LIFTED = "lifted", "Lifted"
    EXPIRED = "expired", "Expired"
    REVERSED = "reversed", "Reversed"


class BlockSource(models.TextChoices):
    DECISION = "decision", "Decided on a referral"
    RECORDED = "recorded", "Recorded by the officer who blocked"
    IMPORTED = "imported", "Imported from the earlier block list"


B = BlockStatus
IN_FORCE = [B.UNCONFIRMED, B.ACTIVE, B.REVIEW_DUE]


class BlockQuerySet(PersonQuerySet):
    def visible_to(self, user):
        """Comms see every block; an officer or councillor the blocks they recorded or that came
        from their referral. Auditors read the register without personal data (selectors)."""
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS):
            return self
        return self.filter(Q(recorded_by=user) | Q(referral__referred_by=user))

    def in_force(self):
        return self.filter(status__in=IN_FORCE)

    def due_for_review(self, on):
        return self.filter(Q(status=B.REVIEW_DUE) | Q(status=B.ACTIVE, review_on__lte=on))


@pghistory.track(
    model_name="BlockHistoryEvent",
    obj_field=pghistory.ObjForeignKey(related_name="history_events"),
    exclude=["person_handle", "person_profile_url", "person_key", "reason", "version"],
)
class Block(FSMModelMixin, models.Model):
    """A member of the public blocked on one council account: decided on a referral, recorded by the
    officer who blocked them (and confirmed or reversed by Comms), or imported from the earlier list.
    There is no block without a written reason (a database constraint)."""

    PERSONAL_DATA = ["person_handle", "person_profile_url", "person_key", "reason"]

    account = models.ForeignKey(
        "accounts_registry.Account",
        on_delete=models.PROTECT,
        related_name="blocks",
        verbose_name="council account",
    )
    platform = models.CharField(max_length=20, choices=Platform, editable=False)
    person_handle = models.CharField("their handle or name", max_length=200, blank=True)
    person_profile_url = models.URLField("link to their profile", max_length=500, blank=True)
    person_key = models.CharField(max_length=200, editable=False)
    categories = ArrayField(models.CharField(max_length=30, choices=Category), size=len(Category))
    reason = models.TextField()
    source = models.CharField(max_length=20, choices=BlockSource)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="block"
    )
    blocked_on = models.DateField()
    review_on = models.DateField("next review", null=True, blank=True)
    lifted_on = models.DateField(null=True, blank=True)
    status = FSMField(max_length=20, choices=BlockStatus, default=B.ACTIVE, protected=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The review date Comms were last told about: the review sweep's claim, so nobody is told twice.
    review_notice_for = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects = BlockQuerySet.as_manager()

    MOVE_WORDS = {
        "confirm": "confirmed",
        "reverse": "reversed",
        "mark_due": "marked due for review",
        "keep": "kept",
        "lift": "lifted",
        "expire": "marked expired",
    }

    class Meta:
        ordering = ["-blocked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="block_has_reason"),
            models.CheckConstraint(condition=Q(categories__len__gt=0), name="block_has_category"),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("blocked_on")),
                name="block_lifted_after_blocked",
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "person_key"], name="block_person"),
            # The review sweep and the "due for review" counts.
            models.Index(fields=["status", "review_on"], name="block_status_review"),
        ]

    def __str__(self) -> str:
        return f"Block {self.pk}"

    @property
    def category_display(self) -> str:
        return category_labels(self.categories)

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @transition(field=status, source=B.UNCONFIRMED, target=B.ACTIVE)
    def confirm(self):
        """Comms agree with a block an officer made outside the process."""

    @transition(field=status, source=B.UNCONFIRMED, target=B.REVERSED)
    def reverse(self):
        """Comms disagree: the officer is told to unblock the person."""

    @transition(field=status, source=B.ACTIVE, target=B.REVIEW_DUE)
    def mark_due(self):
        """The review date has come (the daily sweep); Comms are told."""

    @transition(field=status, source=[B.ACTIVE, B.REVIEW_DUE], target=B.ACTIVE)
    def keep(self):
        """Reviewed and kept, with a new review date."""

    @transition(field=status, source=[B.ACTIVE, B.REVIEW_DUE], target=B.LIFTED)
    def lift(self):
        """Reviewed (or appealed) and lifted: the person is unblocked."""

    @transition(field=status, source=IN_FORCE, target=B.EXPIRED)
    def expire(self):
        """The council account was closed, so the block no longer applies (the daily sweep)."""


@append_only
class BlockEvent(models.Model):
    """The block's log: made, confirmed or reversed, due, reviewed, appealed, lifted. Append-only."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=BlockStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=BlockStatus)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    LABELS = {
        "decided": "Blocked after a referral",
        "recorded": "Recorded by the officer who blocked",
        "imported": "Imported",
        "confirm": "Confirmed",
        "reverse": "Reversed",
        "mark_due": "Due for review",
        "keep": "Reviewed and kept",
        "lift": "Lifted",
        "expire": "Expired: the council account was closed",
        "appeal_upheld": "Appeal upheld: lifted",
    }

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.block})"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action.replace("_", " ").capitalize())


# ---------------------------------------------------------------------------------------------------
# Evidence files


def _evidence_path(instance, filename: str) -> str:
    # Our own random name (core.uploads); never under a public URL.
    return f"blocking/evidence/{filename}"


class Evidence(models.Model):
    """A screenshot or PDF about a referral or a recorded block: checked by content, re-encoded
    without metadata, stored privately and fingerprinted (SHA-256 of exactly what is stored)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256 fingerprint", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(referral__isnull=False, block__isnull=True)
                | Q(referral__isnull=True, block__isnull=False),
                name="evidence_for_referral_or_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind.upper()} evidence {self.pk}"

    @property
    def is_pdf(self) -> bool:
        return self.kind == "pdf"


# ---------------------------------------------------------------------------------------------------
# Appeals


class AppealStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an answer"
    ANSWERED = "answered", "Answered"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the block is lifted"
    NOT_UPHELD = "not_upheld", "Not upheld: the block stays"


class AppealChannel(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "A message on social media"
    EMAIL = "email", "Email"
    COMPLAINT = "complaint", "The complaints process"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the block sees its appeals: Comms, and the officer who recorded or referred it."""
        return self.filter(block__in=Block.objects.visible_to(user))


@pghistory.track(
    model_name="AppealHistoryEvent",
    obj_field=pghistory.ObjForeignKey(related_name="history_events"),
    exclude=["message", "reply"],
)
class Appeal(FSMModelMixin, models.Model):
    """Someone blocked says they were blocked in error, or asks for the block to be lifted. Logged
    by Comms with what they said; answered with an outcome and the reply sent."""

    PERSONAL_DATA = ["message", "reply"]

    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="appeals")
    received_on = models.DateField()
    channel = models.CharField("how it came", max_length=20, choices=AppealChannel)
    message = models.TextField("what they said")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    status = FSMField(max_length=20, choices=AppealStatus, default=AppealStatus.WAITING, protected=True)
    outcome = models.CharField(max_length=20, choices=AppealOutcome, blank=True)
    reply = models.TextField("the reply sent", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    MOVE_WORDS = {"answer": "answered"}

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="answered") & ~Q(outcome="") & ~Q(reply=""))
                | (Q(status="waiting") & Q(outcome="")),
                name="appeal_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk}"

    @transition(field=status, source=AppealStatus.WAITING, target=AppealStatus.ANSWERED)
    def answer(self):
        """Comms decide and record the reply sent; an upheld appeal lifts the block."""


@append_only
class AppealEvent(models.Model):
    """The appeal's log: logged and answered. Append-only."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=AppealStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=AppealStatus)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.appeal})"
