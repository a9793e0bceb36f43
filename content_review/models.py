"""Drafts of posts and replies, and the draft → review → approve → publish workflow."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from accounts_registry.platforms import Platform
from core.validators import no_control_characters


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
FINISHED = [D.PUBLISHED, D.REJECTED, D.WITHDRAWN]


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


@pghistory.track()
class StandardResponse(models.Model):
    """An approved, pre-written reply. Placeholders are written [like this] and must be filled in."""

    title = models.CharField(max_length=150)
    body = models.TextField(help_text="Write placeholders in square brackets, for example [name] or [date].")
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
    def needs_review(self) -> bool:
        return self.review_by <= timezone.localdate()


class InboundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(replied_at__isnull=True, closed_at__isnull=True)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


@pghistory.track()
class InboundMessage(models.Model):
    """A message from a member of the public that needs a reply, recorded by an officer."""

    account = models.ForeignKey(
        "accounts_registry.Account", on_delete=models.PROTECT, related_name="inbound_messages"
    )
    sender_handle = models.CharField(
        "their handle or name", max_length=200, validators=[no_control_characters]
    )
    link = models.URLField("link to the message", max_length=500, blank=True)
    text = models.TextField("what they said")
    received_at = models.DateTimeField("when it was received")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(help_text="From the account's agreed response time, in working hours.")
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=300, blank=True)

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
        ]

    def __str__(self) -> str:
        return f"Message from {self.sender_handle} on {self.account}"

    @property
    def is_open(self) -> bool:
        return self.replied_at is None and self.closed_at is None


class DraftQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=D.SUBMITTED)


# Named so it does not clash with DraftEvent, the workflow's own log.
@pghistory.track(
    exclude=["version"],
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
    text = models.TextField()
    planned_for = models.DateTimeField("planned publication time", null=True, blank=True)
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

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="post", inbound_message__isnull=True)
                | Q(kind="reply", inbound_message__isnull=False),
                name="draft_reply_has_message",
            ),
        ]
        indexes = [models.Index(fields=["status", "account"], name="draft_status_account")]

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
        triggers = [
            pgtrigger.Protect(name="revision_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of draft {self.draft_id}"


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
        COMMENTED = "commented", "Commented"

    DECISIONS = [Action.CHANGES_REQUESTED, Action.APPROVED, Action.REJECTED]

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
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
        triggers = [
            pgtrigger.Protect(name="draft_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
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
