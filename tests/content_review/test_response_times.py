"""Reply due times in working hours, and the scheduled sweep that warns before and records breaches,
on a frozen clock."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from content_review import services
from content_review.models import InboundMessage
from content_review.tasks import sweep_response_times
from notifications.models import Notification
from organisation.models import Role
from tests.factories import AccountFactory, DraftFactory, InboundMessageFactory, PersonFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock():
    """A frozen clock, moved by the test: clock.move_to(moment)."""
    with time_machine.travel(london(2026, 2, 9, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def account(people, service_area):
    return AccountFactory(
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
        response_time_hours=4,
    )


def record(people, account, received_at) -> InboundMessage:
    return services.inbound_record(
        by=people["officer"],
        account=account,
        sender_handle=" @resident ",
        text="My bin was not collected.",
        received_at=received_at,
    )


def subjects(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("subject", flat=True))


# Due times


@pytest.mark.parametrize(
    ("received", "due"),
    [
        pytest.param(london(2026, 2, 6, 16), london(2026, 2, 9, 12), id="friday-afternoon-to-monday"),
        pytest.param(london(2026, 2, 3, 10), london(2026, 2, 3, 14), id="within-a-day"),
        pytest.param(london(2026, 2, 7, 11), london(2026, 2, 9, 13), id="saturday-counts-from-monday-9"),
        pytest.param(london(2026, 7, 3, 16), london(2026, 7, 6, 12), id="summer-time"),
        pytest.param(london(2026, 4, 2, 16), london(2026, 4, 7, 12), id="over-the-easter-bank-holidays"),
    ],
)
def test_a_message_is_due_after_the_accounts_response_time_in_working_hours(
    clock, people, account, received, due
):
    clock.move_to(received + datetime.timedelta(minutes=30))
    message = record(people, account, received)
    message = InboundMessage.objects.get(pk=message.pk)
    assert (message.received_at, message.due_at) == (received, due)
    assert (message.sender_handle, message.recorded_by) == ("@resident", people["officer"])


def test_the_due_time_follows_the_accounts_own_response_time(clock, people, service_area):
    clock.move_to(london(2026, 2, 6, 16, 30))
    slow = AccountFactory(
        service_area=service_area, responsible_officer=people["officer"], response_time_hours=16
    )
    message = record(people, slow, london(2026, 2, 6, 16))
    assert message.due_at == london(2026, 2, 10, 16)


@override_settings(CONTENT_BANK_HOLIDAYS=["2026-02-09"])
def test_configured_bank_holidays_are_not_working_time(clock, people, account):
    clock.move_to(london(2026, 2, 6, 16, 30))
    assert record(people, account, london(2026, 2, 6, 16)).due_at == london(2026, 2, 10, 12)


def test_a_message_cannot_be_received_in_the_future_or_recorded_by_others(clock, people, account):
    clock.move_to(london(2026, 2, 9, 10))
    with pytest.raises(ValidationError) as caught:
        record(people, account, london(2026, 2, 9, 11))
    assert set(caught.value.message_dict) == {"received_at"}
    for persona in ("reviewer", "head_of_service", "auditor", "outsider"):
        with pytest.raises(PermissionDenied):
            services.inbound_record(
                by=people[persona],
                account=account,
                sender_handle="@resident",
                text="Hello",
                received_at=london(2026, 2, 9, 9),
            )
    assert not InboundMessage.objects.exists()


# The sweep


def test_the_sweep_warns_once_before_due_then_records_one_breach(clock, people, account):
    comms, officer = people["comms"], people["officer"]
    clock.move_to(london(2026, 2, 9, 9, 30))
    message = record(people, account, london(2026, 2, 9, 9))  # due 13:00

    clock.move_to(london(2026, 2, 9, 10, 30))  # 2.5 hours to go: not yet "due soon"
    assert services.inbound_sweep() == {"warned": 0, "breached": 0}
    assert not Notification.objects.exists()

    clock.move_to(london(2026, 2, 9, 11, 30))
    assert services.inbound_sweep() == {"warned": 1, "breached": 0}
    assert InboundMessage.objects.get(pk=message.pk).warned_at == london(2026, 2, 9, 11, 30)
    assert subjects(officer) == subjects(comms) == ["Reply due soon: @resident on Northfield Bins"]

    clock.move_to(london(2026, 2, 9, 12, 30))
    assert services.inbound_sweep() == {"warned": 0, "breached": 0}

    clock.move_to(london(2026, 2, 9, 13, 5))
    assert services.inbound_sweep() == {"warned": 0, "breached": 1}
    message = InboundMessage.objects.get(pk=message.pk)
    assert (message.warned_at, message.breached_at) == (london(2026, 2, 9, 11, 30), london(2026, 2, 9, 13, 5))
    assert subjects(comms) == [
        "Reply overdue: @resident on Northfield Bins",
        "Reply due soon: @resident on Northfield Bins",
    ]

    clock.move_to(london(2026, 2, 9, 16))
    assert services.inbound_sweep() == {"warned": 0, "breached": 0}
    assert Notification.objects.count() == 4  # two messages each to the officer and to Comms
    for persona in ("reviewer", "head_of_service", "auditor", "councillor", "outsider"):
        assert not subjects(people[persona]), persona


def test_the_author_of_the_reply_is_told_as_well_as_the_responsible_officer(clock, people, account):
    deputy = PersonFactory(roles=[Role.OFFICER])
    clock.move_to(london(2026, 2, 9, 9, 30))
    message = record(people, account, london(2026, 2, 9, 9))
    DraftFactory(account=account, author=deputy, inbound_message=message, text="Sorry: we will collect it.")

    clock.move_to(london(2026, 2, 9, 14))
    assert services.inbound_sweep() == {"warned": 0, "breached": 1}

    overdue = "Reply overdue: @resident on Northfield Bins"
    assert subjects(deputy) == subjects(people["officer"]) == subjects(people["comms"]) == [overdue]


def test_replied_and_closed_messages_are_ignored(clock, people, account):
    clock.move_to(london(2026, 2, 9, 12))
    long_ago = london(2026, 2, 2, 9)
    InboundMessageFactory(account=account, received_at=long_ago, replied_at=london(2026, 2, 2, 10))
    closed = InboundMessageFactory(account=account, received_at=long_ago)
    services.inbound_no_reply_needed(message=closed, by=people["officer"], reason_code="spam")
    InboundMessageFactory(account=account, due_at=london(2026, 2, 9, 13), replied_at=london(2026, 2, 9, 11))

    assert services.inbound_sweep() == {"warned": 0, "breached": 0}
    assert not Notification.objects.exists()
    assert InboundMessage.objects.filter(warned_at=None, breached_at=None).count() == 3


@override_settings(CONTENT_DUE_SOON=datetime.timedelta(hours=4))
def test_how_soon_to_warn_is_configurable(clock, people, account):
    clock.move_to(london(2026, 2, 9, 9, 30))
    record(people, account, london(2026, 2, 9, 9))
    assert services.inbound_sweep() == {"warned": 1, "breached": 0}


def test_the_scheduled_task_runs_the_sweep(clock, people, account):
    clock.move_to(london(2026, 2, 9, 9, 30))
    message = record(people, account, london(2026, 2, 9, 9))
    clock.move_to(london(2026, 2, 9, 17))

    assert sweep_response_times.delay().get() == {"warned": 0, "breached": 1}

    assert InboundMessage.objects.get(pk=message.pk).breached_at == timezone.now()
    assert subjects(people["comms"]) == ["Reply overdue: @resident on Northfield Bins"]
