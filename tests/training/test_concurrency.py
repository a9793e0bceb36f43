"""Two people taking the last place at once on real PostgreSQL: one gets it, the other the waiting list."""

import threading

import pytest
from django.db import connections

from tests.factories import PersonFactory, TrainingSessionFactory
from training import services
from training.models import Booking, BookingStatus


def _at_once(*actions) -> list:
    barrier = threading.Barrier(len(actions), timeout=10)
    outcomes: list = [None] * len(actions)

    def run(i, action):
        # Each thread has its own connection; all start at the same moment.
        try:
            barrier.wait()
            outcomes[i] = action()
        except Exception as exc:  # the test inspects whatever happened
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_one_gets_it_one_waits():
    session = TrainingSessionFactory(capacity=2)
    services.booking_create(session=session, by=PersonFactory(roles=["Officer"]))
    ana, ben = PersonFactory(roles=["Officer"]), PersonFactory(roles=["Councillor"])

    outcomes = _at_once(
        lambda: services.booking_create(session=session, by=ana),
        lambda: services.booking_create(session=session, by=ben),
    )

    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    assert sorted(o.status for o in outcomes) == [BookingStatus.BOOKED, BookingStatus.WAITING]
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_and_a_booking_at_once_never_overfill_the_session():
    session = TrainingSessionFactory(capacity=1)
    leaving = services.booking_create(session=session, by=PersonFactory(roles=["Officer"]))
    queued = services.booking_create(session=session, by=PersonFactory(roles=["Officer"]))
    newcomer = PersonFactory(roles=["Officer"])

    outcomes = _at_once(
        lambda: services.booking_cancel(booking=leaving, by=leaving.person),
        lambda: services.booking_create(session=session, by=newcomer),
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED)
    assert list(booked.values_list("pk", flat=True)) == [queued.pk]  # the queue's first, not the newcomer
    assert Booking.objects.get(session=session, person=newcomer).status == BookingStatus.WAITING
