"""The daily sweep with a frozen clock: blocks due for review are marked and Comms told once, never
twice; blocks on closed accounts expire; the command runs as on a given date."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from blocking import services
from blocking.models import Block, BlockStatus
from notifications.models import Notification
from tests.blocking.factories import BlockFactory

pytestmark = pytest.mark.django_db


def at(time_machine, day: str):
    time_machine.move_to(datetime.datetime.fromisoformat(f"{day}T07:00:00+00:00"), tick=False)


def review_emails(people) -> list[Notification]:
    return list(Notification.objects.filter(recipient=people["comms"], subject__contains="due for review"))


def test_a_block_comes_up_for_review_on_its_date_and_comms_are_told_once(people, account, time_machine):
    at(time_machine, "2026-11-25")
    block = BlockFactory(account=account, review_on=datetime.date(2026, 12, 1))
    assert services.blocking_sweep().due == []
    at(time_machine, "2026-12-01")
    result = services.blocking_sweep()
    assert [b.pk for b in result.due] == [block.pk]
    block.refresh_from_db()
    assert (block.status, block.review_notice_for) == (BlockStatus.REVIEW_DUE, datetime.date(2026, 12, 1))
    [email] = review_emails(people)
    assert email.subject == "1 block is due for review" and f"/blocking/blocks/{block.pk}/" in email.body
    assert "@blocked" not in email.body  # no handle in the email
    # The same day again, and the next day: nobody is told twice.
    services.blocking_sweep()
    at(time_machine, "2026-12-02")
    assert services.blocking_sweep().due == []
    assert len(review_emails(people)) == 1
    assert [e.action for e in block.events.all()] == ["mark_due"]


def test_a_block_kept_at_review_comes_up_again_on_its_new_date(people, account, time_machine):
    at(time_machine, "2026-12-01")
    block = BlockFactory(account=account, review_on=datetime.date(2026, 12, 1))
    services.blocking_sweep()
    services.block_review(
        block=block,
        by=people["comms"],
        decision="keep",
        reason="Still abusive.",
        next_review_on=datetime.date(2027, 3, 1),
    )
    at(time_machine, "2027-03-01")
    assert len(services.blocking_sweep().due) == 1
    assert len(review_emails(people)) == 2


def test_one_email_lists_every_block_that_came_due(people, account, time_machine):
    at(time_machine, "2026-12-01")
    for day in (1, 2, 3):
        BlockFactory(account=account, review_on=datetime.date(2026, 11, day))
    BlockFactory(account=account, review_on=datetime.date(2026, 12, 2))  # not yet
    assert len(services.blocking_sweep().due) == 3
    [email] = review_emails(people)
    assert email.subject == "3 blocks are due for review"


def test_blocks_on_a_closed_account_expire(people, account, time_machine):
    at(time_machine, "2026-12-01")
    block = BlockFactory(account=account)
    lifted = BlockFactory(account=account, status="lifted", lifted_on=datetime.date(2026, 12, 1))
    type(account).objects.filter(pk=account.pk).update(status="closed")
    result = services.blocking_sweep()
    assert [b.pk for b in result.expired] == [block.pk]
    assert Block.objects.get(pk=block.pk).status == BlockStatus.EXPIRED
    assert Block.objects.get(pk=lifted.pk).status == BlockStatus.LIFTED
    assert services.blocking_sweep().expired == []


def test_the_command_runs_as_on_a_date(people, account, time_machine):
    at(time_machine, "2026-11-25")
    BlockFactory(account=account, review_on=datetime.date(2027, 1, 10))
    out = StringIO()
    call_command("blocking_sweep", "--as-of", "2027-01-09", stdout=out)
    assert out.getvalue().startswith("0 blocks due for review")
    call_command("blocking_sweep", "--as-of", "2027-01-10", stdout=out)
    assert "1 block due for review (the Communications team has been told)" in out.getvalue()


def test_the_daily_job_is_declared():
    from core.contributions import beat_schedule

    assert beat_schedule()["blocking_sweep"] == {"task": "blocking.tasks.blocking_sweep", "schedule": 86400}
