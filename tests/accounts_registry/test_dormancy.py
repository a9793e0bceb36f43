"""The scheduled sweep that marks accounts with no activity as dormant, on a frozen clock."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from accounts_registry.models import Account, AccountStatus
from accounts_registry.services import account_note_activity, accounts_mark_dormant
from accounts_registry.tasks import mark_dormant_accounts
from core.contributions import beat_schedule
from notifications.models import Notification
from tests.factories import AccountFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = AccountStatus
NOW = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)  # the nightly run


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def idle_for(days: float, **fields) -> Account:
    return AccountFactory(
        created_at=NOW - datetime.timedelta(days=400),
        last_activity_at=NOW - datetime.timedelta(days=days),
        **fields,
    )


def status_of(account: Account) -> str:
    return Account.objects.get(pk=account.pk).status


def test_89_days_without_activity_stays_active_and_91_becomes_dormant(people):
    quiet = idle_for(89)
    silent = idle_for(91)

    assert accounts_mark_dormant().marked == [silent]

    assert (status_of(quiet), status_of(silent)) == (S.ACTIVE, S.DORMANT)
    assert Account.objects.get(pk=silent.pk).status_reason == "No activity for 90 days."


def test_the_boundary_is_the_period_to_the_minute(people):
    just_inside = idle_for(90 - 1 / 1440)
    just_outside = idle_for(90 + 1 / 1440)
    accounts_mark_dormant()
    assert (status_of(just_inside), status_of(just_outside)) == (S.ACTIVE, S.DORMANT)


def test_an_account_never_active_counts_from_when_it_was_registered(people):
    new = AccountFactory(created_at=NOW - datetime.timedelta(days=30), last_activity_at=None)
    forgotten = AccountFactory(created_at=NOW - datetime.timedelta(days=120), last_activity_at=None)
    accounts_mark_dormant()
    assert (status_of(new), status_of(forgotten)) == (S.ACTIVE, S.DORMANT)


@pytest.mark.parametrize("status", [S.REQUESTED, S.APPROVED, S.CLOSING, S.CLOSED, S.REJECTED])
def test_only_active_accounts_become_dormant(people, status):
    account = idle_for(400, status=status)
    assert accounts_mark_dormant().marked == []
    assert status_of(account) == status
    assert not Notification.objects.exists()


def test_the_responsible_officer_and_comms_are_told(people, service_area):
    former_comms = PersonFactory(roles=["Communications"], left_on=datetime.date(2025, 1, 1))
    account = idle_for(91, service_area=service_area, responsible_officer=people["officer"])

    accounts_mark_dormant()

    assert Notification.objects.count() == 2
    told = dict(Notification.objects.values_list("recipient", "subject"))
    assert set(told) == {people["officer"].pk, people["comms"].pk}
    assert former_comms.pk not in told
    assert account.display_name in told[people["officer"].pk]
    assert account.display_name in told[people["comms"].pk]


def test_running_twice_marks_and_tells_once(people):
    account = idle_for(91, responsible_officer=people["officer"])

    assert mark_dormant_accounts() == 1
    assert mark_dormant_accounts() == 0

    assert status_of(account) == S.DORMANT
    assert Notification.objects.filter(recipient=people["officer"]).count() == 1
    assert Notification.objects.filter(recipient=people["comms"]).count() == 1


def test_the_scheduled_celery_task_runs_the_sweep(people):
    account = idle_for(91)
    schedule = {entry["task"] for entry in beat_schedule().values()}
    assert "accounts_registry.tasks.mark_dormant_accounts" in schedule
    mark_dormant_accounts.delay()  # inline in tests (no broker)
    assert status_of(account) == S.DORMANT


@override_settings(ACCOUNT_DORMANT_AFTER_DAYS=30)
def test_the_period_follows_the_setting(people):
    quiet = idle_for(29)
    silent = idle_for(31)
    assert mark_dormant_accounts() == 1
    assert (status_of(quiet), status_of(silent)) == (S.ACTIVE, S.DORMANT)
    assert Account.objects.get(pk=silent.pk).status_reason == "No activity for 30 days."


def test_an_account_dormant_for_a_while_is_not_told_about_again_when_time_passes(people):
    account = idle_for(91)
    accounts_mark_dormant()
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert accounts_mark_dormant().marked == []
    assert status_of(account) == S.DORMANT
    assert Notification.objects.filter(recipient=account.responsible_officer).count() == 1


def test_an_account_active_again_is_counted_afresh(people):
    account = idle_for(91)
    accounts_mark_dormant()
    account_note_activity(account=account, at=timezone.now())
    assert status_of(account) == S.ACTIVE
    with time_machine.travel(NOW + datetime.timedelta(days=89), tick=False):
        assert accounts_mark_dormant().marked == []
    with time_machine.travel(NOW + datetime.timedelta(days=91), tick=False):
        assert [a.pk for a in accounts_mark_dormant().marked] == [account.pk]
