"""Training: courses, the rules saying which responsibility needs which course, requests, sessions,
bookings and completions.

Who needs which course is never stored: training.requirements derives it, whenever it is read, from
the register, reviewer assignments, drafts and roles, so a handover moves a requirement the moment
the account changes hands."""

from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from core.history import append_only


class Audience(models.TextChoices):
    OFFICERS = "officers", "Officers"
    COUNCILLORS = "councillors", "Councillors"
    BOTH = "both", "Officers and councillors"


class CourseFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online, live"
    E_LEARNING = "e_learning", "E-learning"


class Responsibility(models.TextChoices):
    """What a person does that makes a course required of them (see training.requirements)."""

    RESPONSIBLE = "responsible", "Responsible officer of an account"
    DEPUTY = "deputy", "Deputy for an account"
    AUTHOR = "author", "Drafts posts or replies"
    REVIEWER = "reviewer", "Named reviewer of posts and replies"
    COMMS = "comms", "Member of the Communications team"
    COUNCILLOR = "councillor", "Councillor with a registered account"


@pghistory.track()
class Course(models.Model):
    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", "Use capital letters, digits and hyphens.")],
        help_text="A short stable code, used by imports: capital letters, digits and hyphens.",
    )
    title = models.CharField(max_length=150)
    topic = models.TextField("what it covers", max_length=2000)
    audience = models.CharField(max_length=20, choices=Audience, default=Audience.BOTH)
    format = models.CharField(max_length=20, choices=CourseFormat, default=CourseFormat.IN_PERSON)
    length_minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    validity_months = models.PositiveSmallIntegerField(
        "refresher due after (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long a completion counts. Leave empty if it never needs a refresher.",
    )
    is_active = models.BooleanField(
        "offered", default=True, help_text="Withdrawn courses leave the catalogue and are required of nobody."
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_minutes__gte=15, length_minutes__lte=480), name="course_length_bounded"
            ),
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True)
                | Q(validity_months__gte=1, validity_months__lte=120),
                name="course_validity_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def length_display(self) -> str:
        hours, minutes = divmod(self.length_minutes, 60)
        parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
        parts += [f"{minutes} minutes"] if minutes else []
        return " ".join(parts)

    @property
    def validity_display(self) -> str:
        months = self.validity_months
        if months is None:
            return "No refresher needed"
        if months % 12 == 0:
            years = months // 12
            return f"Refresher every {years} year{'s' if years != 1 else ''}"
        return f"Refresher every {months} months"


@pghistory.track()
class Requirement(models.Model):
    """A rule Comms manage: people with this responsibility need this course."""

    responsibility = models.CharField(max_length=20, choices=Responsibility)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="requirements")

    class Meta:
        ordering = ["responsibility", "course__title"]
        constraints = [
            models.UniqueConstraint(fields=["responsibility", "course"], name="requirement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_responsibility_display()} needs {self.course}"


class PlusMonths(Func):
    """A date plus a number of months, as a date (PostgreSQL keeps the day, or the month's last day);
    NULL months give NULL: never."""

    arg_joiner = " + make_interval(months => "
    template = "(%(expressions)s))::date"
    output_field = models.DateField()


class CompletionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS, Role.AUDITOR):
            return self
        mine = Q(person=user)
        if user.has_role(Role.HEAD_OF_SERVICE):
            mine |= Q(person__service_area__head_of_service=user)
            if user.service_area_id:
                mine |= Q(person__service_area=user.service_area_id)
        return self.filter(mine)

    def with_expiry(self):
        """expires_on: the first day the completion no longer counts (NULL: it never expires). Read
        from the course's validity now, so changing a course's refresher period applies to everyone."""
        return self.annotate(expires_on=PlusMonths(F("completed_on"), F("course__validity_months")))

    def valid_on(self, day: date):
        """Valid on the day it was completed and for its validity period after."""
        return (
            self.with_expiry()
            .filter(completed_on__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day))
        )

    def lasting_beyond(self, day: date, horizon: date):
        """Completed by `day` and still valid after `horizon`: not expiring before then."""
        return (
            self.with_expiry()
            .filter(completed_on__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=horizon))
        )


@pghistory.track()
class Completion(models.Model):
    """A person completed a course on a day: from a session's attendance, or imported from elsewhere."""

    class Source(models.TextChoices):
        SESSION = "session", "Attended a session"
        IMPORT = "import", "Imported"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source)
    booking = models.OneToOneField(
        "training.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="completion"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "course__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="completion_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__gte=date(2000, 1, 1)), name="completion_after_2000"
            ),
        ]
        # Validity checks look up a person's completions of a course.
        indexes = [models.Index(fields=["person", "course", "completed_on"], name="completion_person_course")]

    def __str__(self) -> str:
        return f"{self.person} completed {self.course} on {self.completed_on}"


class Event(models.Model):
    """A lifecycle log row: who moved the record (nobody: the service itself), when, from what, to what
    and why. Append-only (each concrete log protects itself with a trigger)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)  # blank: created
    to_status = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    STATUSES: type[models.TextChoices]

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def get_from_status_display(self) -> str:
        return self.STATUSES(self.from_status).label if self.from_status else ""

    def get_to_status_display(self) -> str:
        return self.STATUSES(self.to_status).label


def _tracked(name: str):
    """The audit trail (pghistory) of a record that also has its own lifecycle log (`…Event`), named
    apart from it."""
    return pghistory.track(
        model_name=f"{name}History", obj_field=pghistory.ObjForeignKey(related_name="history_events")
    )


# ---------------------------------------------------------------------------------------------------
# Sessions


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comms and auditors: every session. Anyone else signed in: scheduled sessions (to book a
        place) and any session they have booked."""
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS, Role.AUDITOR):
            return self
        booked = Booking.objects.filter(session=models.OuterRef("pk"), person=user)
        return self.filter(Q(status=SessionStatus.SCHEDULED) | models.Exists(booked))

    def upcoming(self, now=None):
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now or timezone.now())

    def needing_attendance(self, now=None):
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__lte=now or timezone.now())


@_tracked("TrainingSession")
class TrainingSession(FSMModelMixin, models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField("starts")
    place = models.CharField(
        max_length=200, blank=True, help_text="For example, Committee Room 2, Town Hall."
    )
    online_link = models.URLField("online link", max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "places", validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    trainer = models.CharField(max_length=150)
    status = FSMField(max_length=20, choices=SessionStatus, default=SessionStatus.SCHEDULED, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionQuerySet.as_manager()

    MOVE_WORDS = {"hold": "given its attendance", "cancel": "cancelled"}

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "training session"
        constraints = [
            models.CheckConstraint(condition=~Q(place="", online_link=""), name="session_place_or_link"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=200), name="session_capacity"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="session_status_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.course} on {local.day} {local:%B %Y}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.course.length_minutes)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @transition(field=status, source=SessionStatus.SCHEDULED, target=SessionStatus.HELD)
    def hold(self):
        """Comms record who attended once it has taken place: completions for those who came."""

    @transition(field=status, source=SessionStatus.SCHEDULED, target=SessionStatus.CANCELLED)
    def cancel(self):
        """Comms call it off before it starts; everyone booked or waiting is told."""


@append_only
class SessionEvent(Event):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="events")
    STATUSES = SessionStatus

    class Meta(Event.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action}: {self.session}"


# ---------------------------------------------------------------------------------------------------
# Requests


class RequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a session"
    SCHEDULED = "scheduled", "Session offered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comms and auditors: every request. Anyone else: their own."""
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS, Role.AUDITOR):
            return self
        return self.filter(requester=user)

    def waiting_at(self, moment):
        """Requests that were waiting for a session at that moment (the dashboard's monthly trend)."""
        return self.filter(created_at__lte=moment).filter(
            Q(decided_at__isnull=True) | Q(decided_at__gt=moment)
        )


@_tracked("TrainingRequest")
class TrainingRequest(FSMModelMixin, models.Model):
    """Someone asks for training: a course from the catalogue, or a need in their own words."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_requests"
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    need = models.TextField("what you need, in your own words", max_length=2000, blank=True)
    # Whom the demand counts under: councillors, or officers (everyone else), when they asked.
    audience = models.CharField(max_length=20, choices=Audience)
    status = FSMField(max_length=20, choices=RequestStatus, default=RequestStatus.WAITING, protected=True)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When it stopped waiting: "waiting at any moment" stays computable in SQL.
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    MOVE_WORDS = {"schedule": "offered a session", "decline": "declined", "withdraw": "withdrawn"}

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "training request"
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False) | ~Q(need=""), name="request_course_or_need"
            ),
            models.UniqueConstraint(
                fields=["requester", "course"],
                condition=Q(status="waiting"),
                name="request_one_waiting_per_course",
            ),
        ]
        indexes = [models.Index(fields=["status", "course"], name="request_status_course")]

    def __str__(self) -> str:
        return f"{self.subject} for {self.requester}"

    @property
    def asked_as(self) -> str:
        return "councillor" if self.audience == Audience.COUNCILLORS else "officer"

    @property
    def subject(self) -> str:
        return self.course.title if self.course_id else "Training described in their own words"

    @transition(field=status, source=RequestStatus.WAITING, target=RequestStatus.SCHEDULED)
    def schedule(self):
        """Comms offer a session for it; the requester is told and books a place."""

    @transition(field=status, source=RequestStatus.WAITING, target=RequestStatus.DECLINED)
    def decline(self):
        """Comms will not arrange it, and say why; the requester is told."""

    @transition(field=status, source=RequestStatus.WAITING, target=RequestStatus.WITHDRAWN)
    def withdraw(self):
        """The requester no longer needs it."""


@append_only
class RequestEvent(Event):
    request = models.ForeignKey(TrainingRequest, on_delete=models.CASCADE, related_name="events")
    STATUSES = RequestStatus

    class Meta(Event.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action}: {self.request}"


# ---------------------------------------------------------------------------------------------------
# Bookings


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not attend"


LIVE_BOOKING = [BookingStatus.BOOKED, BookingStatus.WAITING]


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comms and auditors: every booking. Anyone else: their own."""
        from organisation.models import Role

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.COMMS, Role.AUDITOR):
            return self
        return self.filter(person=user)

    def live(self):
        return self.filter(status__in=LIVE_BOOKING)


@_tracked("Booking")
class Booking(FSMModelMixin, models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings"
    )
    status = FSMField(max_length=20, choices=BookingStatus, protected=True)
    created_at = models.DateTimeField(default=timezone.now)  # the waiting list's order

    objects = BookingQuerySet.as_manager()

    MOVE_WORDS = {
        "promote": "given a place",
        "cancel": "cancelled",
        "attend": "marked attended",
        "miss": "marked as not attending",
    }

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One place (or one place in the queue) per person per session, whoever clicks twice.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["booked", "waiting"]),
                name="booking_one_live_per_person",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="booking_session_queue")]

    def __str__(self) -> str:
        return f"{self.person} on {self.session}"

    @transition(field=status, source=BookingStatus.WAITING, target=BookingStatus.BOOKED)
    def promote(self):
        """Someone cancelled: the first on the waiting list gets the place and is told."""

    @transition(field=status, source=LIVE_BOOKING, target=BookingStatus.CANCELLED)
    def cancel(self):
        """The person (or Comms) gives up the place before the session; or it was cancelled at the door."""

    @transition(field=status, source=BookingStatus.BOOKED, target=BookingStatus.ATTENDED)
    def attend(self):
        """They came: a completion is recorded for the session's day."""

    @transition(field=status, source=BookingStatus.BOOKED, target=BookingStatus.NO_SHOW)
    def miss(self):
        """They were booked and did not come."""


@append_only
class BookingEvent(Event):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    STATUSES = BookingStatus

    class Meta(Event.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.action}: {self.booking}"


# ---------------------------------------------------------------------------------------------------
# Reminders and the monthly summary: claims, so nobody is told the same thing twice


class Reminder(models.Model):
    """What a person was last reminded about for a course. The sweep claims a reminder with a
    conditional update of these fields, in the same transaction as its email."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    missing_sent_at = models.DateTimeField(null=True, blank=True)
    expiring_sent_for = models.DateField(null=True, blank=True, help_text="The expiry date reminded about.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "course"], name="reminder_once_per_course")]

    def __str__(self) -> str:
        return f"Reminders to {self.person} about {self.course}"


class MonthlySummary(models.Model):
    """One row per month summarised: the unique month is the claim that sends it once."""

    month = models.DateField(unique=True, help_text="The first day of the month summarised.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "monthly summaries"

    def __str__(self) -> str:
        return f"Summary of {self.month:%B %Y}"
