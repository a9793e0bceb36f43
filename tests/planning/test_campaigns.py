"""Campaigns: who sees and changes them, choosing their posts, and Comms approving them together, each
still approved and recorded per draft."""

import datetime

import pytest
from django.urls import reverse

from content_review import services as content
from content_review.models import D, Draft, DraftEvent
from tests.factories import CampaignFactory, DraftFactory, PersonFactory
from tests.planning.conftest import at

pytestmark = pytest.mark.django_db

PLAIN = "Bins are collected as normal this week."
WARNED = "Bins are collected as normal.\n\nRecycle your glass!  #recyclingweek"


def url(name: str, *args) -> str:
    return reverse(f"planning:{name}", args=args)


@pytest.fixture
def campaign(people):
    return CampaignFactory(name="Bin collection changes over Christmas", owner=people["officer"])


def submitted(person, account, text=PLAIN, campaign=None):
    draft = content.draft_create(by=person, account=account, text=text, planned_for=at("2026-12-20"))
    content.draft_submit(draft=draft, by=person)
    if campaign:
        Draft.objects.filter(pk=draft.pk).update(campaign=campaign)
    return Draft.objects.get(pk=draft.pk)


def test_who_sees_and_changes_a_campaign(assert_statuses, campaign):
    seen = dict.fromkeys(("comms", "officer", "reviewer", "head_of_service", "auditor"), 200)
    assert_statuses(url("campaigns"), {**seen, "councillor": 403, "outsider": 403})
    assert_statuses(url("campaign", campaign.pk), {**seen, "councillor": 404, "outsider": 404})
    edit = dict.fromkeys(("reviewer", "head_of_service", "auditor"), 403)
    assert_statuses(
        url("campaign_edit", campaign.pk),
        {"comms": 200, "officer": 200, **edit, "councillor": 404, "outsider": 404},
    )
    assert_statuses(
        url("campaign_approve", campaign.pk),
        {"comms": 200, "officer": 403, **edit, "councillor": 404, "outsider": 404},
    )
    assert_statuses(
        url("campaign_new"),
        {"comms": 200, "officer": 200, "reviewer": 200, "head_of_service": 200}
        | {"auditor": 403, "councillor": 403, "outsider": 403},
    )


def _form(**extra) -> dict:
    return {
        "name": "Winter bins",
        "description": "Changes to collections over Christmas.",
        "starts_on_0": "14",
        "starts_on_1": "12",
        "starts_on_2": "2026",
        "ends_on_0": "5",
        "ends_on_1": "1",
        "ends_on_2": "2027",
        **extra,
    }


def test_an_officer_makes_a_campaign_they_own_and_cannot_choose_another_owner(clients, people):
    response = clients["officer"].post(url("campaign_new"), _form(owner=people["comms"].pk))
    assert response.status_code == 302
    from content_review.models import Campaign

    made = Campaign.objects.get()
    assert made.owner == people["officer"] and made.ends_on == datetime.date(2027, 1, 5)
    page = clients["officer"].get(url("campaign_edit", made.pk)).content.decode()
    assert 'name="owner"' not in page


def test_comms_set_the_owner(clients, people, campaign):
    assert 'name="owner"' in clients["comms"].get(url("campaign_edit", campaign.pk)).content.decode()
    response = clients["comms"].post(url("campaign_edit", campaign.pk), _form(owner=people["reviewer"].pk))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.owner == people["reviewer"] and campaign.name == "Winter bins"


def test_a_campaign_cannot_end_before_it_starts(clients, campaign):
    response = clients["comms"].post(url("campaign_edit", campaign.pk), _form(ends_on_2="2025"))
    assert response.status_code == 200
    assert "The last day must be the same as or after the first day" in response.content.decode()


def test_the_owner_chooses_posts_among_those_they_may_see(clients, people, accounts, campaign):
    ours = DraftFactory(account=accounts["ours"], planned_for=at("2026-12-20"))
    theirs = DraftFactory(account=accounts["theirs"], planned_for=at("2026-12-20"))
    page = clients["officer"].get(url("campaign_posts", campaign.pk)).content.decode()
    assert f'value="{ours.pk}"' in page and f'value="{theirs.pk}"' not in page
    response = clients["officer"].post(url("campaign_posts", campaign.pk), {"drafts": [ours.pk, theirs.pk]})
    assert response.status_code == 200  # a choice not offered is refused by the form
    response = clients["officer"].post(url("campaign_posts", campaign.pk), {"drafts": [ours.pk]})
    assert response.status_code == 302
    assert list(campaign.drafts.all()) == [ours]
    clients["officer"].post(url("campaign_posts", campaign.pk), {})
    assert not campaign.drafts.exists()


def test_the_campaign_page_shows_its_posts_across_accounts_with_status(clients, people, accounts, campaign):
    DraftFactory(account=accounts["ours"], campaign=campaign, status=D.APPROVED, text="Waste post")
    DraftFactory(
        account=accounts["theirs"], campaign=campaign, planned_for=at("2026-12-21"), text="Library post"
    )
    comms = clients["comms"].get(url("campaign", campaign.pk)).content.decode()
    assert "Waste post" in comms and "Library post" in comms and "Approved" in comms
    officer = clients["officer"].get(url("campaign", campaign.pk)).content.decode()
    assert "Waste post" in officer and "Library post" not in officer


def test_comms_approve_together_each_recorded_per_draft_with_refusals_explained(
    clients, people, accounts, campaign
):
    officer, comms = people["officer"], people["comms"]
    first = submitted(officer, accounts["ours"], campaign=campaign)
    second = submitted(officer, accounts["second"], campaign=campaign)
    warned = submitted(officer, accounts["ours"], WARNED, campaign=campaign)
    own = submitted(comms, accounts["ours"], campaign=campaign)
    elsewhere = submitted(officer, accounts["ours"])  # not in the campaign
    page = clients["comms"].get(url("campaign_approve", campaign.pk)).content.decode()
    assert "4 waiting for review" in page
    shown = page.split('name="shown" value="')[1].split('"')[0]
    response = clients["comms"].post(url("campaign_approve", campaign.pk), {"shown": shown})
    body = response.content.decode()
    assert "2 approved" in body and "2 not approved" in body
    assert "Authors never approve their own drafts" in body
    assert "It has warnings to consider one by one" in body
    statuses = {d.pk: d.status for d in Draft.objects.all()}
    assert statuses == {
        first.pk: D.APPROVED,
        second.pk: D.APPROVED,
        warned.pk: D.SUBMITTED,
        own.pk: D.SUBMITTED,
        elsewhere.pk: D.SUBMITTED,
    }
    for draft in (first, second):
        event = DraftEvent.objects.get(draft=draft, action=DraftEvent.Action.APPROVED)
        assert event.actor == comms and event.revision.number == 1


def test_a_revision_sent_after_the_page_was_drawn_is_not_approved_unseen(clients, people, accounts, campaign):
    draft = submitted(people["officer"], accounts["ours"], campaign=campaign)
    response = clients["comms"].post(url("campaign_approve", campaign.pk), {"shown": f"{draft.pk}:0"})
    assert "A newer revision has been sent" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).status == D.SUBMITTED


def test_campaign_pages_do_not_grow_a_query_per_post(
    clients, people, accounts, campaign, assert_flat_queries
):
    def grow(n):
        for _ in range(n):
            DraftFactory(account=accounts["ours"], campaign=campaign, planned_for=at("2026-12-20"))
            CampaignFactory(owner=PersonFactory())

    grow(2)
    for name in ("campaign", "campaign_posts"):
        assert_flat_queries(
            lambda name=name: clients["comms"].get(url(name, campaign.pk)), lambda: grow(10), at_most=14
        )
    assert_flat_queries(lambda: clients["comms"].get(url("campaigns")), lambda: grow(10), at_most=12)


def test_a_draft_page_names_its_campaign(clients, accounts, campaign):
    draft = DraftFactory(account=accounts["ours"], campaign=campaign)
    page = clients["officer"].get(reverse("content:detail", args=[draft.pk])).content.decode()
    assert "Part of the campaign “Bin collection changes over Christmas”" in page
    assert url("campaign", campaign.pk) in page
