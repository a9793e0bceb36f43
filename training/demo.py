"""Demo training: the audit's courses and rules, the audit's demand as waiting requests (13 officers want
training on unacceptable behaviour, 11 on audiences, 9 on pre-prepared content; of the councillors 4, 2
and 2), a session held with its attendance, one waiting for its attendance, two coming up (one full,
with a waiting list), and completions from e-learning: some valid, some running out, some expired.
Safe to run twice: once sessions exist it adds only missing courses and rules."""

import datetime

from django.db import transaction
from django.utils import timezone

from organisation.models import Role, User
from training import services
from training.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    Completion,
    Course,
    Requirement,
    SessionEvent,
    TrainingRequest,
    TrainingSession,
)
from training.seed import seed_courses

# The audit's table: (course, officers who asked, councillors who asked).
AUDIT_DEMAND = [("BLOCKING", 13, 2), ("AUDIENCES", 11, 4), ("STANDARD", 9, 2)]
OWN_WORDS = [
    "How to handle residents who post the same complaint on every council account at once.",
    "I would like help writing alt text for images and making posts accessible.",
]


def _at(days: float, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _session(course, starts_at, by, **fields) -> TrainingSession:
    """Sessions in the past cannot be arranged through the service: the demo writes them directly."""
    session = TrainingSession.objects.create(course=course, starts_at=starts_at, created_by=by, **fields)
    SessionEvent.objects.create(session=session, actor=by, action="scheduled", to_status=session.status)
    return session


def _booked(session, person) -> Booking:
    booking = Booking.objects.create(session=session, person=person, status=BookingStatus.BOOKED)
    BookingEvent.objects.create(booking=booking, actor=person, action="booked", to_status=booking.status)
    return booking


@transaction.atomic
def create_demo_training() -> dict[str, int]:
    seed_courses(Course, Requirement)
    if TrainingSession.objects.exists():
        return {}
    courses = {c.code: c for c in Course.objects.all()}
    comms = User.objects.get(email="comms@northfield.gov.uk")
    comms_team = list(User.objects.current().with_role(Role.COMMS).order_by("email"))
    # The demo logins first, so they have something to see.
    officers = sorted(
        User.objects.current().with_role(Role.OFFICER).distinct(),
        key=lambda p: (p.email not in ("officer@northfield.gov.uk", "reviewer@northfield.gov.uk"), p.email),
    )
    councillors = sorted(
        User.objects.current().with_role(Role.COUNCILLOR),
        key=lambda p: (p.email != "councillor@northfield.gov.uk", p.email),
    )

    for n, (code, officer_count, councillor_count) in enumerate(AUDIT_DEMAND):
        start = [0, 5, 12][n]
        for person in officers[start : start + officer_count] + councillors[n * 2 : n * 2 + councillor_count]:
            services.request_create(by=person, course=courses[code])
    for person, need in zip([officers[3], councillors[7]], OWN_WORDS, strict=True):
        services.request_create(by=person, course=None, need=need)
    TrainingRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=20))

    # Held six weeks ago: six came, one did not, one had cancelled.
    held = _session(
        courses["REVIEWING"],
        _at(-42),
        comms,
        place="Committee Room 2, Town Hall",
        capacity=12,
        trainer="Amira Shah",
    )
    held_people = [*comms_team[1:4], *officers[6:11]]
    for person in held_people:
        _booked(held, person)
    outcomes = {b.pk: "attended" for b in held.bookings.all()}
    first, second = list(outcomes)[-2:]
    outcomes[first], outcomes[second] = "no_show", "cancelled"
    services.session_record_attendance(session=held, by=comms, outcomes=outcomes)

    # Held two days ago; nobody has recorded who came yet.
    due = _session(
        courses["BLOCKING"],
        _at(-2, 14),
        comms,
        place="Council Chamber, Town Hall",
        capacity=20,
        trainer="Tom Baker",
    )
    for person in [*comms_team[4:6], *officers[12:16]]:
        _booked(due, person)

    # Coming up: offered to some of the waiting requests; the online one is full, with a waiting list.
    blocking = services.session_create(
        by=comms,
        fields=services.SessionFields(
            course=courses["BLOCKING"],
            starts_at=_at(21),
            capacity=15,
            trainer="Tom Baker",
            place="Council Chamber, Town Hall",
        ),
    )
    audiences = services.session_create(
        by=comms,
        fields=services.SessionFields(
            course=courses["AUDIENCES"],
            starts_at=_at(35, 18),
            capacity=4,
            trainer="Priya Patel",
            online_link="https://meet.northfield.gov.uk/audiences",
        ),
    )
    for person in [officers[0], officers[2], councillors[1]]:
        services.booking_create(session=blocking, by=person)
    for person in [councillors[3], councillors[4], councillors[5], officers[20], officers[21], officers[22]]:
        services.booking_create(session=audiences, by=person)

    # Completions from e-learning and earlier sessions: valid, running out soon, and expired.
    today = timezone.localdate()
    imported = []

    def completed(person, code, days_ago):
        imported.append(
            Completion(
                person=person,
                course=courses[code],
                completed_on=today - datetime.timedelta(days=days_ago),
                source=Completion.Source.IMPORT,
                recorded_by=comms,
            )
        )

    for i, person in enumerate(comms_team):
        completed(person, "RESPONDING", 690 - 40 * i)  # the first two run out within 60 days
        completed(person, "STANDARD", 300)
        if i < 4:
            completed(person, "BLOCKING", 400 + 30 * i)
    for i, person in enumerate(officers):
        if i % 2 == 0:
            completed(person, "RESPONDING", 100 + i)
        if i % 5 == 1:
            completed(person, "BLOCKING", 800)  # expired: a refresher is due
        if i % 3 == 0:
            completed(person, "STANDARD", 200)
    for i, person in enumerate(councillors[8:20]):
        completed(person, "RESPONDING", 150 + i)
        if i % 2:
            completed(person, "BLOCKING", 500)
    Completion.objects.bulk_create(imported, ignore_conflicts=True)

    return {
        "training requests": TrainingRequest.objects.count(),
        "training sessions": TrainingSession.objects.count(),
        "training completions": Completion.objects.count(),
    }
