"""Every change to training records goes through these functions: the pages, the commands, the demo
and the scheduled jobs all call them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.actions import Refused
from core.templatetags.dates import govuk_date
from core.workflow import move, moving
from notifications.services import notification_queue
from organisation.models import Role, User
from training import requirements
from training.imports import parse_completions
from training.models import (
    Audience,
    Booking,
    BookingEvent,
    BookingStatus,
    Completion,
    Course,
    MonthlySummary,
    Reminder,
    RequestEvent,
    RequestStatus,
    SessionEvent,
    SessionStatus,
    TrainingRequest,
    TrainingSession,
)
from training.permissions import BOOKING_ACTIONS, REQUEST_ACTIONS, SESSION_ACTIONS, takes_part

# ---------------------------------------------------------------------------------------------------
# Requests


def request_create(*, by: User, course: Course | None, need: str = "") -> TrainingRequest:
    """Someone asks for a course, or describes a need in their own words. Demand is counted as
    councillors' or officers' by what the person is when they ask."""
    if not takes_part(by):
        raise Refused("Auditors read the training records; they do not ask for training.")
    need = need.strip()
    if course is None and not need:
        raise ValidationError({"need": "Choose a course, or describe the training you need."})
    if course is not None and not course.is_active:
        raise ValidationError({"course": "This course is no longer offered."})
    waiting = TrainingRequest.objects.filter(requester=by, course=course, status=RequestStatus.WAITING)
    if course is not None and (earlier := waiting.first()):
        raise ValidationError(
            {
                "course": f"You asked for this course on {govuk_date(earlier.created_at)}: "
                "it is still waiting for a session."
            }
        )
    audience = Audience.COUNCILLORS if by.has_role(Role.COUNCILLOR) else Audience.OFFICERS
    try:
        with transaction.atomic():
            request = TrainingRequest.objects.create(
                requester=by, course=course, need=need, audience=audience
            )
            RequestEvent.objects.create(
                request=request, actor=by, action="requested", to_status=request.status
            )
    except IntegrityError:
        # The same person sending the form twice at once: the partial unique constraint decides.
        raise ValidationError({"course": "You have just asked for this course."}) from None
    return request


def request_withdraw(*, request: TrainingRequest, by: User) -> TrainingRequest:
    with moving(request, "withdraw", by=by, policy=REQUEST_ACTIONS, log=RequestEvent) as step:
        step.record.decided_at = timezone.now()
    return step.record


def request_decline(*, request: TrainingRequest, by: User, reason: str) -> TrainingRequest:
    """Comms will not arrange it and say why; the requester is told."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why: the person who asked will be told."})
    with moving(
        request, "decline", by=by, policy=REQUEST_ACTIONS, log=RequestEvent, comment=reason.strip()
    ) as step:
        step.record.decided_at = timezone.now()
    _tell(
        step.record.requester,
        f"Your training request: {step.record.subject}",
        "training/email/request_declined.txt",
        {"request": step.record, "reason": reason.strip()},
    )
    return step.record


def request_schedule(*, request: TrainingRequest, by: User, session: TrainingSession) -> TrainingRequest:
    """Comms offer a session for the request; the requester is told and books a place themselves."""
    with transaction.atomic():
        locked_session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked_session.status != SessionStatus.SCHEDULED or locked_session.has_started:
            raise ValidationError({"session": "Choose a session that has not started and is not cancelled."})
        if request.course_id and locked_session.course_id != request.course_id:
            raise ValidationError({"session": f"Choose a session of {request.course}."})
        with moving(
            request,
            "schedule",
            by=by,
            policy=REQUEST_ACTIONS,
            log=RequestEvent,
            comment=f"Offered {locked_session}",
        ) as step:
            step.record.session = locked_session
            step.record.decided_at = timezone.now()
        _tell(
            step.record.requester,
            f"A training session for your request: {locked_session.course}",
            "training/email/request_scheduled.txt",
            {"request": step.record, "session": locked_session},
        )
    return step.record


# ---------------------------------------------------------------------------------------------------
# Sessions


@dataclass
class SessionFields:
    course: Course
    starts_at: datetime
    capacity: int
    trainer: str
    place: str = ""
    online_link: str = ""


def session_create(
    *, by: User, fields: SessionFields, requests: list[TrainingRequest] = ()
) -> TrainingSession:
    """Comms arrange a session, and may offer it to waiting requests (each requester is told)."""
    if not by.has_perm("training.manage_training"):
        raise Refused("Only the Communications team arranges sessions.")
    errors = {}
    if fields.starts_at <= timezone.now():
        errors["starts_at"] = "The session must start in the future."
    if not (fields.place.strip() or fields.online_link.strip()):
        errors["place"] = "Give a place, an online link, or both."
    if not 1 <= fields.capacity <= 200:
        errors["capacity"] = "Places must be between 1 and 200."
    if not fields.course.is_active:
        errors["course"] = "This course is no longer offered."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = TrainingSession.objects.create(
            course=fields.course,
            starts_at=fields.starts_at,
            capacity=fields.capacity,
            trainer=fields.trainer.strip(),
            place=fields.place.strip(),
            online_link=fields.online_link.strip(),
            created_by=by,
        )
        SessionEvent.objects.create(session=session, actor=by, action="scheduled", to_status=session.status)
        for request in requests:
            request_schedule(request=request, by=by, session=session)
    return session


def session_cancel(*, session: TrainingSession, by: User, reason: str) -> TrainingSession:
    """Comms call a session off before it starts: every place and waiting-list entry is cancelled and
    the people are told."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why: everyone booked will be told."})
    with moving(
        session, "cancel", by=by, policy=SESSION_ACTIONS, log=SessionEvent, comment=reason.strip()
    ) as step:
        told = []
        for booking in (
            Booking.objects.select_for_update().filter(session=session).live().select_related("person")
        ):
            move(booking, "cancel", by=by, log=BookingEvent, comment="The session was cancelled.")
            told.append(booking.person)
        notification_queue(
            recipients=told,
            subject=f"Cancelled: {step.record}",
            template="training/email/session_cancelled.txt",
            context={"session": step.record, "reason": reason.strip()},
        )
    return step.record


class Outcome:
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    CHOICES = [(ATTENDED, "Attended"), (NO_SHOW, "Did not attend"), (CANCELLED, "Cancelled beforehand")]
    TRANSITION = {ATTENDED: "attend", NO_SHOW: "miss", CANCELLED: "cancel"}


def session_record_attendance(
    *, session: TrainingSession, by: User, outcomes: dict[int, str]
) -> TrainingSession:
    """After the session, Comms record for each person booked whether they attended, did not come, or
    had cancelled. Those who attended get a completion dated the session's day. All or nothing: an
    outcome for someone not booked, or a booked person left out, saves nothing."""
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
        SESSION_ACTIONS.recheck("attendance", locked, by)
        booked = {
            b.pk: b
            for b in Booking.objects.select_for_update()
            .filter(session=locked, status=BookingStatus.BOOKED)
            .select_related("person")
        }
        errors = []
        strangers = sorted(set(outcomes) - set(booked))
        if strangers:
            names = (
                ", ".join(
                    str(b.person) for b in Booking.objects.filter(pk__in=strangers).select_related("person")
                )
                or "someone unknown"
            )
            errors.append(f"Attendance can only be recorded for people booked on this session, not {names}.")
        if left_out := [str(b.person) for pk, b in booked.items() if pk not in outcomes]:
            errors.append(f"Say whether these people attended: {', '.join(left_out)}.")
        if unknown := {o for o in outcomes.values() if o not in Outcome.TRANSITION}:
            errors.append(f"Unknown outcome: {', '.join(sorted(unknown))}.")
        if errors:
            raise ValidationError(errors)
        day = timezone.localtime(locked.starts_at).date()
        for pk, booking in booked.items():
            outcome = outcomes[pk]
            move(booking, Outcome.TRANSITION[outcome], by=by, log=BookingEvent, action=outcome)
            if outcome == Outcome.ATTENDED:
                Completion.objects.get_or_create(
                    person=booking.person,
                    course=locked.course,
                    completed_on=day,
                    defaults={"source": Completion.Source.SESSION, "booking": booking, "recorded_by": by},
                )
        # The session is over: nobody left on its waiting list will get a place.
        for waiting in Booking.objects.select_for_update().filter(
            session=locked, status=BookingStatus.WAITING
        ):
            move(waiting, "cancel", by=by, log=BookingEvent, comment="The session took place.")
        attended = sum(1 for o in outcomes.values() if o == Outcome.ATTENDED)
        done = move(locked, "hold", by=by, log=SessionEvent, comment=f"{attended} of {len(booked)} attended.")
    return done.record


# ---------------------------------------------------------------------------------------------------
# Bookings


def booking_create(*, session: TrainingSession, by: User) -> Booking:
    """Book a place; when the session is full, join its waiting list. The session's row is locked, so
    two people taking the last place at once queue up: one gets it, the other the waiting list."""
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
        if locked.status == SessionStatus.SCHEDULED and locked.has_started:
            raise ValidationError("This session has already started: places can no longer be booked.")
        SESSION_ACTIONS.recheck("book", locked, by)
        taken = Booking.objects.filter(session=locked, status=BookingStatus.BOOKED).count()
        status = BookingStatus.BOOKED if taken < locked.capacity else BookingStatus.WAITING
        booking = Booking.objects.create(session=locked, person=by, status=status)
        BookingEvent.objects.create(booking=booking, actor=by, action="booked", to_status=status)
        _tell(
            by,
            f"{'Booked' if status == BookingStatus.BOOKED else 'On the waiting list'}: {locked}",
            "training/email/booked.txt",
            {"booking": booking, "session": locked},
        )
    return booking


def waiting_position(booking: Booking) -> int | None:
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = Booking.objects.filter(session=booking.session_id, status=BookingStatus.WAITING).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def booking_cancel(*, booking: Booking, by: User) -> Booking:
    """Give up a place (or a place in the queue). A freed place goes to the first on the waiting list,
    who is told."""
    with transaction.atomic():
        # The session first, as booking does: bookings and cancellations of one session queue up.
        TrainingSession.objects.select_for_update().get(pk=booking.session_id)
        with moving(
            booking, "cancel", by=by, policy=BOOKING_ACTIONS, log=BookingEvent, select_related=("session",)
        ) as step:
            freed = step.before == BookingStatus.BOOKED
        if freed:
            _promote_next(step.record.session)
    return step.record


def _promote_next(session: TrainingSession) -> Booking | None:
    next_in_line = (
        Booking.objects.select_for_update()
        .filter(session=session, status=BookingStatus.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")
        .first()
    )
    if next_in_line is None:
        return None
    move(next_in_line, "promote", by=None, log=BookingEvent, comment="A place came free.")
    _tell(
        next_in_line.person,
        f"You have a place: {session}",
        "training/email/promoted.txt",
        {"booking": next_in_line, "session": session},
    )
    return next_in_line


# ---------------------------------------------------------------------------------------------------
# Completions from elsewhere


@dataclass
class Imported:
    created: int
    already: int


def completions_import(*, data: bytes, by: User | None) -> Imported:
    """Completions from e-learning, from a CSV file (training.imports). All or nothing: any bad row
    and nothing is saved (ImportRejected lists every problem). Completions already recorded (same
    person, course and day) are left as they are."""
    if by is not None and not by.has_perm("training.import_completions"):
        raise Refused("Only the Communications team imports completions.")
    rows = parse_completions(data, today=timezone.localdate())
    new = [r for r in rows if not r.already]
    with transaction.atomic():
        made = Completion.objects.bulk_create(
            [
                Completion(
                    person=r.person,
                    course=r.course,
                    completed_on=r.completed_on,
                    source=Completion.Source.IMPORT,
                    recorded_by=by,
                )
                for r in new
            ],
            ignore_conflicts=True,  # recorded by someone else since the file was checked: keep theirs
        )
    return Imported(created=len(made), already=len(rows) - len(new))


# ---------------------------------------------------------------------------------------------------
# Reminders and the monthly summary


def reminders_send(*, now: datetime | None = None) -> int:
    """The scheduled sweep: tell each person with missing or expiring required training, once per
    course and period: a missing course again only after TRAINING_REMINDER_REPEAT_DAYS, an expiring
    one once per expiry date. Each (person, course) is claimed with a conditional update in the same
    transaction as the email, so two workers never send the same reminder. Returns people reminded."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    people = requirements.people_with_requirements(day).filter(
        Q(fully_trained=False) | Q(expiring_codes__len__gt=0)
    )
    due = list(people.values("pk", "missing_codes", "expiring_codes"))
    if not due:
        return 0
    courses = {c.code: c for c in Course.objects.all()}
    expiry = _expiry_dates(due, day)
    Reminder.objects.bulk_create(
        [
            Reminder(person_id=row["pk"], course=courses[code])
            for row in due
            for code in row["missing_codes"] + row["expiring_codes"]
        ],
        ignore_conflicts=True,
    )
    repeat_after = now - timedelta(days=settings.TRAINING_REMINDER_REPEAT_DAYS)
    persons = User.objects.in_bulk([row["pk"] for row in due])
    reminded = 0
    for row in due:
        with transaction.atomic():
            claimed = {"missing": [], "expiring": []}
            for code in row["missing_codes"]:
                mine = Reminder.objects.filter(person_id=row["pk"], course=courses[code])
                if mine.filter(Q(missing_sent_at__isnull=True) | Q(missing_sent_at__lte=repeat_after)).update(
                    missing_sent_at=now
                ):
                    claimed["missing"].append(courses[code])
            for code in row["expiring_codes"]:
                until = expiry[row["pk"], code]
                mine = Reminder.objects.filter(person_id=row["pk"], course=courses[code])
                if mine.exclude(expiring_sent_for=until).update(expiring_sent_for=until):
                    claimed["expiring"].append((courses[code], until))
            if claimed["missing"] or claimed["expiring"]:
                _tell(
                    persons[row["pk"]],
                    "Social media training you need",
                    "training/email/reminder.txt",
                    {"missing": claimed["missing"], "expiring": claimed["expiring"]},
                )
                reminded += 1
    return reminded


def _expiry_dates(due: list[dict], day: date) -> dict[tuple[int, str], date]:
    """The day each expiring course stops counting, for these people, in one query."""
    wanted = {(row["pk"], code) for row in due for code in row["expiring_codes"]}
    if not wanted:
        return {}
    latest: dict[tuple[int, str], date] = {}
    rows = (
        Completion.objects.valid_on(day)
        .filter(person__in={pk for pk, _ in wanted}, course__validity_months__isnull=False)
        .values_list("person_id", "course__code", "expires_on")
    )
    for person_id, code, expires in rows:
        if (person_id, code) in wanted and expires > latest.get((person_id, code), date.min):
            latest[person_id, code] = expires
    return latest


def monthly_summary_send(*, now: datetime | None = None) -> bool:
    """Once a month, the state of training for the Communications team: claimed by the month's row,
    so it goes once whichever worker runs it first. Summarises the month just ended."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    try:
        with transaction.atomic():
            MonthlySummary.objects.create(month=month, sent_at=now)
            comms = User.objects.current().with_role(Role.COMMS).filter(is_active=True)
            notification_queue(
                recipients=comms,
                subject=f"Social media training: {month:%B %Y}",
                template="training/email/monthly_summary.txt",
                context=monthly_figures(month=month, today=today),
            )
    except IntegrityError:
        return False  # already sent
    return True


def monthly_figures(*, month: date, today: date) -> dict:
    """What the monthly summary says: overall and by service area, requests and sessions."""
    start = timezone.make_aware(datetime.combine(month, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(today.replace(day=1), datetime.min.time()))
    overall, areas = requirements.figures(today)
    return {
        "month": month,
        "overall": overall,
        "behind": sorted(areas, key=lambda a: (a["fully_trained"] / a["people"], a["name"]))[:10],
        "requests_new": TrainingRequest.objects.filter(created_at__gte=start, created_at__lt=end).count(),
        "requests_waiting": TrainingRequest.objects.filter(status=RequestStatus.WAITING).count(),
        "sessions_held": TrainingSession.objects.filter(
            status=SessionStatus.HELD, starts_at__gte=start, starts_at__lt=end
        ).count(),
        "completions": Completion.objects.filter(
            completed_on__gte=month, completed_on__lt=today.replace(day=1)
        ).count(),
        "needing_attendance": TrainingSession.objects.needing_attendance().count(),
        "upcoming": TrainingSession.objects.upcoming().select_related("course")[:10],
    }


# ---------------------------------------------------------------------------------------------------


def _tell(person: User, subject: str, template: str, context: dict) -> None:
    notification_queue(recipients=[person], subject=subject, template=template, context=context)
