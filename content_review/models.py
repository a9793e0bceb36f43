"""Drafts of posts and replies, and the draft → review → approve → publish workflow."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from accounts_registry.models import Account
from accounts_registry.platforms import Platform, rules_for
from core.history import append_only
from core.validators import no_control_characters
from organisation.models import Role

# The most a draft may hold whatever the platform: far beyond any post, short of what slows the checks.
TEXT_MAX = 20_000
# A draft may run over its platform's limit while it is being cut down (the checks say by how much),
# but not by more than this many times.
TEXT_OVER_LIMIT_FACTOR = 4
MESSAGE_TEXT_MAX = 10_000


def text_limit(platform: str) -> int:
    """The longest text a draft on this platform may hold."""
    limit = rules_for(platform).character_limit
    return min(TEXT_MAX, limit * TEXT_OVER_LIMIT_FACTOR) if limit else TEXT_MAX


class DraftKind(models.TextChoices):
    POST = "post", "Post"
    REPLY = "reply", "Reply to the public"


class DraftStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


D = DraftStatus
EDITABLE = [D.DRAFT, D.CHANGES_REQUESTED]


class ReviewerAssignment(models.Model):
    """A senior officer named as a reviewer for one account, or for every account of a service area."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    account = models.ForeignKey(
        "accounts_registry.Account", on_delete=models.CASCADE, null=True, blank=True, related_name="reviewers"
    )
    service_area = models.ForeignKey(
        "organisation.ServiceArea", on_delete=models.CASCADE, null=True, blank=True, related_name="reviewers"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False, service_area__isnull=True)
                | Q(account__isnull=True, service_area__isnull=False),
                name="reviewer_for_account_or_area",
            ),
            models.UniqueConstraint(fields=["person", "account"], name="reviewer_once_per_account"),
            models.UniqueConstraint(fields=["person", "service_area"], name="reviewer_once_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.person} reviews {self.account or self.service_area}"


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def accounts_drafted_by(user) -> models.QuerySet[Account]:
    """Open accounts this person drafts for: Comms all; otherwise those they run or deputise on.
    The same answer as permissions.may_draft_for, for one account."""
    if not _signed_in(user):
        return Account.objects.none()
    accounts = Account.objects.open()
    if user.has_role(Role.COMMS):
        return accounts
    return accounts.filter(Q(responsible_officer=user) | Q(deputy=user))


def accounts_reviewed_by(user) -> models.QuerySet[Account]:
    """Comms review every account; others those they are named for, alone or by service area."""
    if not _signed_in(user):
        return Account.objects.none()
    if user.has_role(Role.COMMS):
        return Account.objects.all()
    assigned = ReviewerAssignment.objects.filter(person=user)
    return Account.objects.filter(
        Q(pk__in=assigned.filter(account__isnull=False).values("account"))
        | Q(service_area__in=assigned.filter(service_area__isnull=False).values("service_area"))
    )


def _accounts_seen_by(user) -> Q:
    """For someone who does not see everything: drafts and messages on the accounts they draft for or
    review and, for a head of service, their service area's. Written as `account IN (subquery)`, never
    as joins, so no row comes back twice and no DISTINCT is needed."""
    scope = Q(account__in=accounts_drafted_by(user).values("pk")) | Q(
        account__in=accounts_reviewed_by(user).values("pk")
    )
    if user.has_role(Role.HEAD_OF_SERVICE):
        areas = Q(service_area__head_of_service=user)
        if user.service_area_id:
            areas |= Q(service_area=user.service_area_id)
        scope |= Q(account__in=Account.objects.filter(areas).values("pk"))
    return scope


def _sees_everything(user) -> bool:
    return user.has_role(Role.COMMS, Role.AUDITOR)


@pghistory.track()
class StandardResponse(models.Model):
    """An approved, pre-written reply. Placeholders are written [like this] and must be filled in."""

    title = models.CharField(max_length=150)
    # A reply someone may post: nothing longer would fit a platform.
    body = models.TextField(
        max_length=5000, help_text="Write placeholders in square brackets, for example [name] or [date]."
    )
    tags = ArrayField(models.CharField(max_length=40), blank=True, default=list)
    platforms = ArrayField(
        models.CharField(max_length=20, choices=Platform),
        blank=True,
        default=list,
        help_text="Leave empty if it suits every platform.",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_by = models.DateField(help_text="When the owner must check it is still right.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def past_review_date(self) -> bool:
        return self.review_by < timezone.localdate()


class NoReplyReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abuse or offensive language"
    ANSWERED = "answered_elsewhere", "Already answered elsewhere"
    NOT_COUNCIL = "not_for_council", "Not for the council"
    OTHER = "other", "Another reason"


class InboundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who can see which messages from the public, the one answer: Comms and auditors all; others
        those on the accounts they draft for or review, and a head of service their area's."""
        if not _signed_in(user):
            return self.none()
        if _sees_everything(user):
            return self
        return self.filter(_accounts_seen_by(user))

    def open(self):
        return self.filter(replied_at__isnull=True, closed_at__isnull=True)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def no_reply_needed(self):
        return self.filter(closed_at__isnull=False)


# Named apart from MessageEvent, the message's own log (message.events).
@pghistory.track(exclude=["create_token"], obj_field=pghistory.ObjForeignKey(related_name="history_events"))
class InboundMessage(models.Model):
    """A message from a member of the public that needs a reply, recorded by an officer."""

    account = models.ForeignKey(
        "accounts_registry.Account", on_delete=models.PROTECT, related_name="inbound_messages"
    )
    sender_handle = models.CharField(
        "their handle or name", max_length=200, validators=[no_control_characters]
    )
    link = models.URLField("link to the message", max_length=500, blank=True)
    text = models.TextField("what they said", max_length=MESSAGE_TEXT_MAX)
    received_at = models.DateTimeField("when it was received")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(help_text="From the account's agreed response time, in working hours.")
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    # "No reply needed": the response-time clock stops, and reports count it apart from replies.
    closed_at = models.DateTimeField("no reply needed since", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_code = models.CharField("why no reply is needed", max_length=20, choices=NoReplyReason, blank=True)
    closed_reason = models.CharField("in their words", max_length=300, blank=True)
    # Hidden on the platform (a moderation step, not a reply): still listed, marked Hidden.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField("why it was hidden", max_length=300, blank=True)
    # The form's one-time token: a double-clicked "Record the message" records it once.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = InboundQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # The due/overdue queues and the reminder sweep: open messages by due time.
            models.Index(
                fields=["due_at"],
                condition=Q(replied_at__isnull=True, closed_at__isnull=True),
                name="inbound_open_due",
            ),
            # The inbox lists every message by due time, 50 a page: read in order from this index rather
            # than sorting all of them (bench: 194 ms → 0.7 ms at 50,000 messages).
            models.Index(fields=["due_at", "id"], name="inbound_due"),
        ]

    def __str__(self) -> str:
        return f"Message from {self.sender_handle} on {self.account}"

    @property
    def is_open(self) -> bool:
        return self.replied_at is None and self.closed_at is None

    STATES = {
        "replied": "Replied",
        "no_reply_needed": "No reply needed",
        "overdue": "Overdue",
        "due_soon": "Due soon",
        "waiting": "Open",
    }

    @property
    def state(self) -> str:
        """Where the reply stands now (for the status tag): replied, no reply needed, or open and
        overdue, due soon or waiting."""
        if self.replied_at is not None:
            return "replied"
        if self.closed_at is not None:
            return "no_reply_needed"
        now = timezone.now()
        if self.due_at < now:
            return "overdue"
        if self.due_at - now <= settings.CONTENT_DUE_SOON:
            return "due_soon"
        return "waiting"

    def get_state_display(self) -> str:
        return self.STATES[self.state]

    def get_status_display(self) -> str:  # how core.actions words a refusal about its state
        return self.get_state_display()


@append_only
class MessageEvent(models.Model):
    """A message's log: recorded, replied to, marked as needing no reply, hidden. Append-only."""

    class Action(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        REPLIED = "replied", "Reply published"
        NO_REPLY_NEEDED = "no_reply_needed", "Marked as needing no reply"
        HIDDEN = "hidden", "Hidden on the platform"

    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action)
    reason_code = models.CharField(max_length=20, choices=NoReplyReason, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor or 'the service'}"


@pghistory.track()
class Campaign(models.Model):
    """A named group of drafts across accounts, with dates and an owner (for example "Bin collection
    changes over Christmas"), so Communications sees one campaign's posts together."""

    name = models.CharField(max_length=120, validators=[no_control_characters])
    description = models.TextField(max_length=1000, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns")
    service_area = models.ForeignKey(
        "organisation.ServiceArea", on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def named_in_chain(user) -> Q:
    """Drafts whose approval chain (as copied at submission) names this person in a step."""
    return Q(chain_steps__contains=[{"people": [user.pk]}])


class DraftQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who can see which drafts, the one answer: Comms and auditors all; others their own and
        those on the accounts they draft for or review, and a head of service their area's."""
        if not _signed_in(user):
            return self.none()
        if _sees_everything(user):
            return self
        return self.filter(_accounts_seen_by(user) | Q(author=user) | named_in_chain(user))

    def awaiting_review(self):
        return self.filter(status=D.SUBMITTED)

    def urgent_unreviewed(self):
        return self.filter(urgent=True, post_reviewed_at__isnull=True)

    def approved_during_pre_election(self):
        """Drafts approved while a pre-election period covered their account (for the dashboard)."""
        return self.filter(approved_during_pre_election=True)


# Named so it does not clash with DraftEvent, the workflow's own log.
@pghistory.track(
    exclude=["version", "create_token"],
    model_name="DraftHistoryEvent",
    obj_field=pghistory.ObjForeignKey(related_name="history_events"),
)
class Draft(FSMModelMixin, models.Model):
    """A post, or a reply to an inbound message. Its status moves only through the transitions
    below, called by content_review.services."""

    kind = models.CharField(max_length=10, choices=DraftKind, default=DraftKind.POST)
    account = models.ForeignKey("accounts_registry.Account", on_delete=models.PROTECT, related_name="drafts")
    inbound_message = models.ForeignKey(
        InboundMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    standard_response = models.ForeignKey(
        StandardResponse, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts")
    text = models.TextField(max_length=TEXT_MAX)
    planned_for = models.DateTimeField("planned publication time", null=True, blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts"
    )
    status = FSMField(max_length=20, choices=DraftStatus, default=D.DRAFT, protected=True)
    urgent = models.BooleanField(
        default=False, help_text="Published first by Communications, reviewed after."
    )
    post_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    post_reviewed_at = models.DateTimeField(null=True, blank=True)
    published_url = models.URLField("link to the published post", max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # The approval chain that applies, copied at submission (content_review.chains): a list of steps,
    # each {"label", "roles", "people", "pre_election"}. Empty: today's single review.
    chain_steps = models.JSONField(default=list, blank=True, editable=False)
    chain_name = models.CharField(max_length=200, blank=True, editable=False)
    approved_during_pre_election = models.BooleanField(default=False, editable=False)
    # The create form's one-time token: a double-clicked "Save draft" makes one draft, not two.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = DraftQuerySet.as_manager()

    # How each move reads in "it cannot be … now".
    MOVE_WORDS = {
        "submit": "sent for review",
        "approve": "approved",
        "request_changes": "sent back for changes",
        "reject": "rejected",
        "withdraw": "withdrawn",
        "publish": "recorded as published",
    }

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="post", inbound_message__isnull=True)
                | Q(kind="reply", inbound_message__isnull=False),
                name="draft_reply_has_message",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX), name="draft_text_bounded"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "account"], name="draft_status_account"),
            # Who has drafted lately (training's "drafts posts or replies" requirement, per person): one
            # index probe per person instead of reading a year of drafts (bench: compliance 343 → 85 ms).
            models.Index(fields=["author", "created_at"], name="draft_author_created"),
            # Drafts whose chain names a person (who may then see and review them).
            GinIndex(fields=["chain_steps"], name="draft_chain_steps", opclasses=["jsonb_path_ops"]),
            # The Comms home page's count and list of urgent posts still to be reviewed afterwards:
            # a handful of rows, found without reading every draft.
            models.Index(
                fields=["-updated_at"],
                condition=Q(urgent=True, post_reviewed_at__isnull=True),
                name="draft_urgent_unreviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.account.display_name}: {self.text[:40]}"

    @property
    def latest_revision(self):
        return self.revisions.order_by("-number").first()

    # The workflow, in one place. Who may do each is checked in services (permissions.py).
    @transition(field=status, source=EDITABLE, target=D.SUBMITTED)
    def submit(self):
        """The author sends the draft for review: the exact text becomes a new revision."""

    @transition(field=status, source=D.SUBMITTED, target=D.CHANGES_REQUESTED)
    def request_changes(self):
        """A reviewer sends it back with comments."""

    @transition(field=status, source=D.SUBMITTED, target=D.APPROVED)
    def approve(self):
        """A reviewer (never the author) approves the latest revision."""

    @transition(field=status, source=D.SUBMITTED, target=D.REJECTED)
    def reject(self):
        """A reviewer refuses it, with a reason."""

    @transition(
        field=status, source=[D.DRAFT, D.SUBMITTED, D.CHANGES_REQUESTED, D.APPROVED], target=D.WITHDRAWN
    )
    def withdraw(self):
        """The author (or Comms) stops it going out."""

    @transition(field=status, source=[D.APPROVED, D.DRAFT], target=D.PUBLISHED)
    def publish(self):
        """Whoever posted it records the link and time. From draft only where the account needs
        no review, or on the urgent path (checked in services)."""


@append_only
class Revision(models.Model):
    """The exact text submitted for review, kept for ever: nobody edits a submitted revision."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    image_alt_texts = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True, help_text="The checks' findings when submitted.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="revision_number_unique")]

    def __str__(self) -> str:
        return f"Revision {self.number} of draft {self.draft_id}"


@append_only
class DraftEvent(models.Model):
    """The workflow's log: every submission, decision, comment and publication, append-only."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Asked for changes"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        PUBLISHED = "published", "Recorded as published"
        URGENT_PUBLISHED = "urgent_published", "Published urgently, before review"
        POST_REVIEWED = "post_reviewed", "Reviewed after urgent publication"
        STEP_APPROVED = "step_approved", "Approved a step"
        COMMENTED = "commented", "Commented"

    DECISIONS = [Action.CHANGES_REQUESTED, Action.APPROVED, Action.REJECTED]

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    from_status = models.CharField(max_length=20, choices=DraftStatus, blank=True)  # blank: not a move
    to_status = models.CharField(max_length=20, choices=DraftStatus, blank=True)
    comment = models.TextField(blank=True)
    acknowledged = models.JSONField(default=list, blank=True, help_text="Warnings the reviewer acknowledged.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Two reviewers acting at once: exactly one decision per revision, whatever happens above.
            models.UniqueConstraint(
                fields=["revision"],
                condition=Q(action__in=["changes_requested", "approved", "rejected"]),
                name="one_decision_per_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor}"


def _image_path(instance, filename: str) -> str:
    return f"drafts/{instance.draft_id}/{filename}"


class DraftImage(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="images")
    # A FileField: the upload is checked by its content (PNG, JPEG, GIF or WebP) and size in the form.
    image = models.FileField(upload_to=_image_path)
    alt_text = models.CharField(
        "alternative text",
        max_length=1000,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required before review.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.image.name


# ---------------------------------------------------------------------------------------------------
# Approval chains: more than one approval, in order, each step "any one of a group".

MAX_CHAIN_STEPS = 5


class StepRole(models.TextChoices):
    COMMS = "comms", "The Communications team"
    HEAD_OF_SERVICE = "head_of_service", "The head of the account's service area"
    REVIEWERS = "reviewers", "The account's reviewers"


@pghistory.track()
class ApprovalChain(models.Model):
    """Approvals in order for one account, every account of one service area, or one campaign's drafts.
    An account's chain wins over its service area's, which wins over a campaign's."""

    name = models.CharField(max_length=120, validators=[no_control_characters])
    account = models.OneToOneField(
        "accounts_registry.Account", on_delete=models.CASCADE, null=True, blank=True, related_name="chain"
    )
    service_area = models.OneToOneField(
        "organisation.ServiceArea", on_delete=models.CASCADE, null=True, blank=True, related_name="chain"
    )
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="chain"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False, service_area__isnull=True, campaign__isnull=True)
                | Q(account__isnull=True, service_area__isnull=False, campaign__isnull=True)
                | Q(account__isnull=True, service_area__isnull=True, campaign__isnull=False),
                name="chain_has_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self):
        return self.account or self.service_area or self.campaign

    @property
    def scope_kind(self) -> str:
        if self.account_id:
            return "account"
        return "service area" if self.service_area_id else "campaign"


@pghistory.track()
class ApprovalStep(models.Model):
    """One step of a chain: any one of the people named, or of the roles ticked, approves it."""

    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    roles = ArrayField(models.CharField(max_length=20, choices=StepRole), blank=True, default=list, size=3)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ApprovalStepPerson", blank=True, related_name="+"
    )

    class Meta:
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="chain_step_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_CHAIN_STEPS),
                name="chain_step_position_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.position} of {self.chain}"


@pghistory.track()
class ApprovalStepPerson(models.Model):
    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "person"], name="chain_step_person_once")]

    def __str__(self) -> str:
        return f"{self.person} on {self.step}"


@pghistory.track()
class StepApproval(models.Model):
    """Who approved which step of a draft's chain, for which revision, and when. A new revision
    starts the chain again; nobody approves two steps of one revision."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="step_approvals")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="step_approvals")
    position = models.PositiveSmallIntegerField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "position"], name="step_approved_once"),
            models.UniqueConstraint(
                fields=["revision", "approved_by"], name="step_approver_once_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.position} of draft {self.draft_id} approved by {self.approved_by}"


# ---------------------------------------------------------------------------------------------------
# The pre-election period


class PreElectionQuerySet(models.QuerySet):
    def on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)


@pghistory.track()
class PreElectionPeriod(models.Model):
    """The weeks before an election (purdah), for the whole council or chosen wards. While it is on, every
    draft for a council account needs Communications approval as the last step."""

    starts_on = models.DateField()
    ends_on = models.DateField()
    whole_council = models.BooleanField(default=True)
    wards = models.ManyToManyField("organisation.Ward", blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True, help_text="For example: borough elections, 7 May.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PreElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pre_election_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        where = "the whole council" if self.whole_council else "chosen wards"
        return f"Pre-election period, {self.starts_on:%d %B %Y} to {self.ends_on:%d %B %Y}, {where}"


@pghistory.track()
class PoliticalParty(models.Model):
    """A party whose name in a draft during the pre-election period gets a warning."""

    name = models.CharField(max_length=120, unique=True, validators=[no_control_characters])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "political parties"

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Candidate(models.Model):
    """A candidate standing in the election (councillors are already in the people list)."""

    name = models.CharField(max_length=120, validators=[no_control_characters])
    ward = models.ForeignKey(
        "organisation.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "ward"], name="candidate_once_per_ward")]

    def __str__(self) -> str:
        return self.name
