"""Who may see and do what with training: the one answer views, templates and services use.

Anyone signed in: the catalogue, their own training, requests and bookings. Comms: everything.
Heads of service: their service area's compliance. Auditors: read everything, change nothing.
What may this person do next with a record: REQUEST_ACTIONS, SESSION_ACTIONS, BOOKING_ACTIONS."""

import rules
from django.db.models import OuterRef, Q, Subquery

from core.actions import Policy, Rule
from organisation.models import Role, User
from organisation.permissions import can_read_everything, is_comms, is_head_of_service
from training.models import (
    LIVE_BOOKING,
    Booking,
    BookingStatus,
    RequestStatus,
    SessionStatus,
    TrainingRequest,
    TrainingSession,
)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def takes_part(user) -> bool:
    """Asks for training and books places: anyone signed in, except someone who is only an auditor
    (auditors read the records; they change nothing)."""
    return is_signed_in(user) and user.role_names != {Role.AUDITOR.value}


rules.add_perm("training.take_part", takes_part)
rules.add_perm("training.view_all_training", can_read_everything)
rules.add_perm("training.manage_training", is_comms)
rules.add_perm("training.import_completions", is_comms)
rules.add_perm("training.view_compliance", can_read_everything | is_head_of_service)
# The administration pages: Comms manage the catalogue and the requirement rules there.
for model in ("course", "requirement"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"training.{action}_{model}", is_comms)
rules.add_perm("training.view_completion", is_comms)
rules.add_perm("training.delete_completion", is_comms)  # a completion recorded by mistake; the trail keeps it
for model in ("trainingsession", "trainingrequest", "booking"):
    rules.add_perm(f"training.view_{model}", is_comms)


def people_visible_to(user: User):
    """Whose training a person may look at (besides their own): Comms and auditors everyone; heads of
    service the people of their service area; anyone else nobody."""
    if not is_signed_in(user):
        return User.objects.none()
    if user.has_role(Role.COMMS, Role.AUDITOR):
        return User.objects.all()
    if user.has_role(Role.HEAD_OF_SERVICE):
        area = Q(service_area__head_of_service=user)
        if user.service_area_id:
            area |= Q(service_area=user.service_area_id)
        return User.objects.filter(area)
    return User.objects.none()


# ---------------------------------------------------------------------------------------------------
# What may this person do next

COMMS_ONLY = "Only the Communications team can do this."


def _comms(message: str = COMMS_ONLY):
    def who(user, record) -> str | None:
        return None if is_comms(user) else message

    return who


def _requester(user, request: TrainingRequest) -> str | None:
    if request.requester_id == user.pk:
        return None
    return "Only the person who asked can withdraw a request."


def _still_waiting(request: TrainingRequest) -> str | None:
    return {
        RequestStatus.WAITING: None,
        RequestStatus.SCHEDULED: "A session has already been offered for this request.",
        RequestStatus.DECLINED: "This request was declined.",
        RequestStatus.WITHDRAWN: "This request was withdrawn.",
    }[request.status]


REQUEST_ACTIONS = Policy(
    Rule(
        "schedule",
        "Offer a session",
        "training:request_schedule",
        when=_still_waiting,
        who=_comms("Only the Communications team arranges sessions."),
        style="primary",
    ),
    Rule(
        "decline",
        "Decline the request",
        "training:request_decline",
        when=_still_waiting,
        who=_comms("Only the Communications team declines requests."),
    ),
    Rule(
        "withdraw",
        "Withdraw the request",
        "training:request_withdraw",
        when=_still_waiting,
        who=_requester,
        post=True,
        style="warning",
    ),
)


def _bookable(session: TrainingSession) -> str | None:
    if session.status != SessionStatus.SCHEDULED:
        return f"{SESSION_OVER[session.status]} Places can no longer be booked."
    if session.has_started:
        return "This session has already started: places can no longer be booked."
    return None


def my_booking_status(user):
    """For a list of sessions: annotate `my_booking` (the person's live booking's status, or None), so
    deciding whether each can be booked asks nothing more of the database."""
    mine = Booking.objects.filter(session=OuterRef("pk"), person=user, status__in=LIVE_BOOKING)
    return Subquery(mine.values("status")[:1])


def _may_book(user, session: TrainingSession) -> str | None:
    if not takes_part(user):
        return "Auditors read the training records; they do not book places."
    if "my_booking" in session.__dict__:
        status = session.my_booking
    else:
        mine = Booking.objects.filter(session=session, person=user, status__in=LIVE_BOOKING).first()
        status = mine.status if mine else None
    if status is None:
        return None
    if status == BookingStatus.WAITING:
        return "You are already on the waiting list for this session."
    return "You already have a place on this session."


SESSION_OVER = {
    SessionStatus.HELD: "This session has taken place and its attendance is recorded.",
    SessionStatus.CANCELLED: "This session was cancelled.",
}


def _attendance_due(session: TrainingSession) -> str | None:
    if reason := SESSION_OVER.get(session.status):
        return reason
    if not session.has_started:
        return "Attendance is recorded once the session has started."
    return None


def _cancellable(session: TrainingSession) -> str | None:
    if reason := SESSION_OVER.get(session.status):
        return reason
    if session.has_started:
        return "This session has already started: record its attendance instead."
    return None


SESSION_ACTIONS = Policy(
    Rule(
        "book",
        "Book a place",
        "training:session_book",
        when=_bookable,
        who=_may_book,
        post=True,
        style="primary",
    ),
    Rule(
        "attendance",
        "Record attendance",
        "training:session_attendance",
        when=_attendance_due,
        who=_comms("Only the Communications team records attendance."),
        style="primary",
    ),
    Rule(
        "cancel",
        "Cancel the session",
        "training:session_cancel",
        when=_cancellable,
        who=_comms("Only the Communications team cancels sessions."),
        style="warning",
    ),
)


def _booking_cancellable(booking: Booking) -> str | None:
    if booking.status == BookingStatus.CANCELLED:
        return "This booking is already cancelled."
    if booking.status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        return "The session has taken place and its attendance is recorded."
    if booking.session.has_started:
        return "The session has already started: this booking can no longer be cancelled."
    return None


def _own_or_comms(user, booking: Booking) -> str | None:
    if booking.person_id == user.pk or is_comms(user):
        return None
    return "Only the person booked, or the Communications team, can cancel a booking."


BOOKING_ACTIONS = Policy(
    Rule(
        "cancel",
        "Cancel this booking",
        "training:booking_cancel",
        when=_booking_cancellable,
        who=_own_or_comms,
        post=True,
        style="warning",
    ),
)
