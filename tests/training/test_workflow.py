"""Requests, sessions, bookings with their waiting list, and attendance, through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.actions import Refused
from notifications.models import Notification
from tests.factories import (
    BookingFactory,
    CourseFactory,
    TrainingSessionFactory,
)
from training import services
from training.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    Completion,
    RequestEvent,
    RequestStatus,
    SessionStatus,
    TrainingRequest,
    TrainingSession,
)

pytestmark = pytest.mark.django_db


def emails_to(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("subject", flat=True))


# ---------------------------------------------------------------------------------------------------
# Requests


def test_anyone_signed_in_asks_for_a_course_or_in_their_own_words(courses, people):
    by_councillor = services.request_create(by=people["councillor"], course=courses.block)
    in_words = services.request_create(by=people["outsider"], course=None, need="  Help with trolls.  ")
    assert (by_councillor.audience, in_words.audience) == ("councillors", "officers")
    assert in_words.need == "Help with trolls."
    assert [e.action for e in by_councillor.events.all()] == ["requested"]


def test_auditors_do_not_ask_and_an_empty_request_is_refused(courses, people):
    with pytest.raises(Refused):
        services.request_create(by=people["auditor"], course=courses.block)
    with pytest.raises(ValidationError, match="describe the training"):
        services.request_create(by=people["officer"], course=None, need="   ")
    assert not TrainingRequest.objects.exists()


def test_asking_twice_for_the_same_course_while_waiting_is_refused(courses, people):
    services.request_create(by=people["officer"], course=courses.block)
    with pytest.raises(ValidationError, match="still waiting for a session"):
        services.request_create(by=people["officer"], course=courses.block)
    assert TrainingRequest.objects.count() == 1


def test_comms_turn_requests_into_a_session_and_the_requesters_are_told(courses, people):
    asked = [services.request_create(by=people[p], course=courses.block) for p in ("officer", "councillor")]
    fields = services.SessionFields(
        course=courses.block,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        capacity=12,
        trainer="Tom",
        place="Town Hall",
    )
    session = services.session_create(by=people["comms"], fields=fields, requests=asked)
    for request in asked:
        request.refresh_from_db()
        assert (request.status, request.session, request.decided_at is not None) == (
            "scheduled",
            session,
            True,
        )
        assert request.events.last().action == "schedule"
    assert any("A training session for your request" in s for s in emails_to(people["councillor"]))


def test_only_comms_arrange_sessions_and_only_in_the_future_somewhere(courses, people):
    fields = services.SessionFields(
        course=courses.block, starts_at=timezone.now() - datetime.timedelta(hours=1), capacity=0, trainer="T"
    )
    with pytest.raises(Refused):
        services.session_create(by=people["officer"], fields=fields)
    with pytest.raises(ValidationError) as refused:
        services.session_create(by=people["comms"], fields=fields)
    assert set(refused.value.message_dict) == {"starts_at", "place", "capacity"}
    assert not TrainingSession.objects.exists()


def test_a_declined_request_says_why_to_the_requester(courses, people):
    request = services.request_create(by=people["officer"], course=courses.review)
    with pytest.raises(ValidationError):
        services.request_decline(request=request, by=people["comms"], reason=" ")
    services.request_decline(request=request, by=people["comms"], reason="Covered by the e-learning.")
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert (
        RequestEvent.objects.filter(request=request, action="decline").get().comment
        == "Covered by the e-learning."
    )
    assert emails_to(people["officer"]) == [f"Your training request: {courses.review.title}"]


def test_only_the_requester_withdraws_and_only_while_it_waits(courses, people):
    request = services.request_create(by=people["officer"], course=courses.review)
    with pytest.raises(Refused):
        services.request_withdraw(request=request, by=people["comms"])
    services.request_withdraw(request=request, by=people["officer"])
    with pytest.raises(ValidationError, match="withdrawn"):
        services.request_withdraw(request=request, by=people["officer"])


def test_requests_waiting_at_any_moment_for_the_dashboard(courses, people):
    request = services.request_create(by=people["officer"], course=courses.review)
    before = timezone.now()
    assert list(TrainingRequest.objects.waiting_at(before)) == [request]
    services.request_withdraw(request=request, by=people["officer"])
    assert list(TrainingRequest.objects.waiting_at(before)) == [request]  # it was waiting then
    assert not TrainingRequest.objects.waiting_at(timezone.now()).exists()


# ---------------------------------------------------------------------------------------------------
# Booking and the waiting list


def test_a_full_session_puts_people_on_the_waiting_list_in_order(people):
    session = TrainingSessionFactory(capacity=1)
    first = services.booking_create(session=session, by=people["officer"])
    second = services.booking_create(session=session, by=people["councillor"])
    third = services.booking_create(session=session, by=people["reviewer"])
    assert [first.status, second.status, third.status] == ["booked", "waiting", "waiting"]
    assert [services.waiting_position(b) for b in (first, second, third)] == [None, 1, 2]
    assert Booking.objects.filter(session=session, status="booked").count() == 1  # never over-booked


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_emailed(people):
    session = TrainingSessionFactory(capacity=1)
    booked = services.booking_create(session=session, by=people["officer"])
    waiting = services.booking_create(session=session, by=people["councillor"])
    later = services.booking_create(session=session, by=people["reviewer"])

    services.booking_cancel(booking=booked, by=people["officer"])

    statuses = {b.person_id: b.status for b in Booking.objects.filter(session=session)}
    assert statuses == {
        people["officer"].pk: "cancelled",
        people["councillor"].pk: "booked",
        people["reviewer"].pk: "waiting",
    }
    promoted = BookingEvent.objects.filter(booking=waiting, action="promote").get()
    assert promoted.actor is None and (promoted.from_status, promoted.to_status) == ("waiting", "booked")
    assert f"You have a place: {session}" in emails_to(people["councillor"])
    assert services.waiting_position(Booking.objects.get(pk=later.pk)) == 1


def test_leaving_the_waiting_list_promotes_nobody(people):
    session = TrainingSessionFactory(capacity=1)
    services.booking_create(session=session, by=people["officer"])
    waiting = services.booking_create(session=session, by=people["councillor"])
    services.booking_cancel(booking=waiting, by=people["councillor"])
    assert list(Booking.objects.filter(session=session).values_list("status", flat=True)) == [
        "booked",
        "cancelled",
    ]


def test_booking_a_past_or_cancelled_session_or_twice_is_refused(people):
    past = TrainingSessionFactory(starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="already started"):
        services.booking_create(session=past, by=people["officer"])
    cancelled = TrainingSessionFactory(status=SessionStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.booking_create(session=cancelled, by=people["officer"])
    session = TrainingSessionFactory()
    services.booking_create(session=session, by=people["officer"])
    with pytest.raises(Refused, match="already have a place"):
        services.booking_create(session=session, by=people["officer"])
    with pytest.raises(Refused, match="Auditors"):
        services.booking_create(session=session, by=people["auditor"])
    assert Booking.objects.count() == 1


def test_a_booking_cannot_be_cancelled_once_the_session_has_started(people):
    booking = BookingFactory(
        person=people["officer"],
        session=TrainingSessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=1)),
    )
    with pytest.raises(ValidationError, match="already started"):
        services.booking_cancel(booking=booking, by=people["officer"])
    with pytest.raises(Refused):
        services.booking_cancel(booking=BookingFactory(), by=people["officer"])  # someone else's


def test_cancelling_a_session_cancels_every_booking_and_tells_them(people):
    session = TrainingSessionFactory(capacity=1)
    services.booking_create(session=session, by=people["officer"])
    services.booking_create(session=session, by=people["councillor"])
    services.session_cancel(session=session, by=people["comms"], reason="The trainer is ill.")
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    for person in (people["officer"], people["councillor"]):
        assert f"Cancelled: {session}" in emails_to(person)


# ---------------------------------------------------------------------------------------------------
# Attendance


def started_session(**kwargs) -> TrainingSession:
    return TrainingSessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=2), **kwargs)


def test_attendance_gives_those_who_came_a_completion_dated_the_session(people):
    session = started_session(capacity=2)
    came = BookingFactory(session=session, person=people["officer"])
    missed = BookingFactory(session=session, person=people["councillor"])
    dropped = BookingFactory(session=session, person=people["reviewer"])
    queued = BookingFactory(session=session, person=people["outsider"], status=BookingStatus.WAITING)

    services.session_record_attendance(
        session=session,
        by=people["comms"],
        outcomes={came.pk: "attended", missed.pk: "no_show", dropped.pk: "cancelled"},
    )

    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        came.pk: "attended",
        missed.pk: "no_show",
        dropped.pk: "cancelled",
        queued.pk: "cancelled",
    }
    completion = Completion.objects.get()
    assert (completion.person, completion.course, completion.booking) == (
        people["officer"],
        session.course,
        came,
    )
    assert completion.completed_on == timezone.localtime(session.starts_at).date()
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert session.events.last().comment == "1 of 3 attended."


def test_attendance_for_someone_not_booked_saves_nothing(people):
    session = started_session()
    booked = BookingFactory(session=session, person=people["officer"])
    elsewhere = BookingFactory(person=people["councillor"])  # booked on another session
    with pytest.raises(ValidationError, match="only be recorded for people booked on this session"):
        services.session_record_attendance(
            session=session, by=people["comms"], outcomes={booked.pk: "attended", elsewhere.pk: "attended"}
        )
    assert not Completion.objects.exists()
    assert Booking.objects.get(pk=booked.pk).status == "booked"
    assert TrainingSession.objects.get(pk=session.pk).status == "scheduled"


def test_attendance_must_say_what_happened_to_everyone_booked(people):
    session = started_session()
    BookingFactory(session=session, person=people["officer"])
    with pytest.raises(ValidationError, match="Say whether these people attended"):
        services.session_record_attendance(session=session, by=people["comms"], outcomes={})
    assert not Completion.objects.exists()


def test_attendance_only_after_the_start_and_only_by_comms(people):
    upcoming = TrainingSessionFactory()
    with pytest.raises(ValidationError, match="once the session has started"):
        services.session_record_attendance(session=upcoming, by=people["comms"], outcomes={})
    with pytest.raises(Refused):
        services.session_record_attendance(session=started_session(), by=people["officer"], outcomes={})


def test_a_booking_confirmation_is_emailed(people):
    session = TrainingSessionFactory(course=CourseFactory(title="Building audiences"))
    services.booking_create(session=session, by=people["councillor"])
    assert emails_to(people["councillor"]) == [f"Booked: {session}"]


def test_the_lifecycle_logs_are_append_only(courses, people):
    from django.db import DatabaseError, transaction

    request = services.request_create(by=people["officer"], course=courses.block)
    booking = services.booking_create(session=TrainingSessionFactory(), by=people["officer"])
    for event in (
        request.events.get(),
        booking.events.get(),
        booking.session.events.create(action="x", to_status="scheduled"),
    ):
        for change in (
            lambda e: e.delete(),
            lambda e: type(e).objects.filter(pk=e.pk).update(comment="edited"),
        ):
            with (
                pytest.raises(DatabaseError, match=r"audit trail cannot be (changed|deleted)"),
                transaction.atomic(),
            ):
                change(event)
