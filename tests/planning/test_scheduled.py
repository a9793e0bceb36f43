"""Scheduled time, with a frozen clock: an approved post shows when it is due out; an hour after its
planned time, still unpublished, it is flagged to its author and Comms (one email per draft, once); a
post approved after its planned time says so."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from content_review import services as content
from content_review.models import Draft
from core.attention import items_for
from notifications.models import Notification
from planning.models import LateNotice
from planning.services import late_posts_flag
from tests.planning.conftest import at

pytestmark = pytest.mark.django_db

PLAIN = "Bins are collected as normal this week."


@pytest.fixture
def approved(people, accounts):
    """Planned for 10:00 on 20 November 2026, approved at 9:00 on the 16th."""
    with time_machine.travel(at("2026-11-16", 8), tick=False):
        draft = content.draft_create(
            by=people["officer"], account=accounts["ours"], text=PLAIN, planned_for=at("2026-11-20", 10)
        )
        content.draft_submit(draft=draft, by=people["officer"])
    with time_machine.travel(at("2026-11-16", 9), tick=False):
        content.draft_approve(draft=draft, by=people["reviewer"], revision_number=1)
    return Draft.objects.get(pk=draft.pk)


def late_emails(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, subject__startswith="Not yet published").values_list(
            "subject", flat=True
        )
    )


def test_an_approved_post_shows_when_it_is_due_out(clients, approved):
    with time_machine.travel(at("2026-11-18", 9), tick=False):
        page = clients["officer"].get(reverse("content:detail", args=[approved.pk])).content.decode()
        assert "Due out 20 November 2026 at 10:00" in page
        assert "more than an hour ago" not in page
        calendar = clients["officer"].get(reverse("planning:calendar")).content.decode()
        assert "Due out 10:00" in calendar


def test_an_hour_late_it_is_flagged_to_its_author_and_comms_once(clients, people, approved):
    with time_machine.travel(at("2026-11-20", 10, 59), tick=False):
        assert late_posts_flag() == 0
        assert not any("past its planned time" in i.label for i in items_for(people["officer"]))
    with time_machine.travel(at("2026-11-20", 11, 0), tick=False):
        assert late_posts_flag() == 1
        assert late_posts_flag() == 0, "a second run sends nothing more"
        assert len(late_emails(people["officer"])) == 1
        assert len(late_emails(people["comms"])) == 1
        assert late_emails(people["reviewer"]) == []
        notice = LateNotice.objects.get()
        assert notice.draft_id == approved.pk and notice.sent_at == at("2026-11-20", 11, 0)
        for persona in ("officer", "comms"):
            labels = [i.label for i in items_for(people[persona])]
            assert "approved post is past its planned time and not published" in labels, persona
        assert "approved post is past its planned time and not published" not in [
            i.label for i in items_for(people["head_of_service"])
        ]
        page = clients["officer"].get(reverse("content:detail", args=[approved.pk])).content.decode()
        assert "more than an hour ago, and not yet recorded as published" in page
        late = clients["comms"].get(reverse("planning:calendar"), {"status": "approved", "late": "1"})
        assert PLAIN[:30] in late.content.decode() and "Late" in late.content.decode()


def test_a_published_post_is_not_flagged(people, accounts, approved):
    with time_machine.travel(at("2026-11-20", 10, 30), tick=False):
        content.draft_publish(
            draft=approved,
            by=people["officer"],
            published_url=f"https://x.com/{accounts['ours'].handle}/status/1",
            published_at=at("2026-11-20", 10, 20),
        )
    with time_machine.travel(at("2026-11-20", 12), tick=False):
        assert late_posts_flag() == 0


def test_a_post_approved_after_its_planned_time_says_so(clients, people, accounts):
    with time_machine.travel(at("2026-11-16", 8), tick=False):
        draft = content.draft_create(
            by=people["officer"], account=accounts["ours"], text=PLAIN, planned_for=at("2026-11-17", 10)
        )
        content.draft_submit(draft=draft, by=people["officer"])
    with time_machine.travel(at("2026-11-17", 14, 30), tick=False):
        content.draft_approve(draft=draft, by=people["reviewer"], revision_number=1)
        page = clients["officer"].get(reverse("content:detail", args=[draft.pk])).content.decode()
    assert (
        "Approved on 17 November 2026 at 14:30, after its planned time of 17 November 2026 at 10:00" in page
    )


def test_one_approved_in_time_does_not_say_so(clients, approved):
    with time_machine.travel(at("2026-11-18", 9), tick=False):
        page = clients["officer"].get(reverse("content:detail", args=[approved.pk])).content.decode()
    assert "after its planned time" not in page


def test_the_sweep_is_a_periodic_job():
    from core.contributions import jobs

    job = {j.name: j for j in jobs()}["flag-late-posts"]
    assert job.every_seconds == 3600 and job.task == "planning.tasks.flag_late_posts"
    assert datetime.timedelta(seconds=job.every_seconds) == datetime.timedelta(hours=1)
