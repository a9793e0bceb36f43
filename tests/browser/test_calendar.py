"""The calendar as people use it: an officer opens the list (the default), a Comms member the month
and week views, filters by campaign, follows a post to its draft, and approves a campaign's posts
together. axe-core runs on every page on the way."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from content_review import services
from content_review.models import D, Draft
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory, CampaignFactory, ReviewerAssignmentFactory


def _planned(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_calendar_list_month_week_and_approving_a_campaign_together(
    browser, page, live_server, people, service_area
):
    officer, comms = people["officer"], people["comms"]
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    account = AccountFactory(
        service_area=service_area, responsible_officer=officer, display_name="Waste news"
    )
    campaign = CampaignFactory(name="Christmas bins", owner=comms)
    texts = ["Bins change over Christmas: check your day.", "Trees go in the garden waste bin."]
    for n, text in enumerate(texts):
        draft = services.draft_create(
            by=officer, account=account, text=text, planned_for=_planned(n + 1, 9 + n)
        )
        services.draft_submit(draft=draft, by=officer)
        Draft.objects.filter(pk=draft.pk).update(campaign=campaign)

    # The officer opens the calendar: the list view, by day, each post linking to its draft.
    sign_in(page, live_server, officer.email)
    page.get_by_role("link", name="Calendar").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    expect(page.locator("main")).to_contain_text(texts[0])
    assert_accessible(page)
    page.get_by_role("link", name="Month").click()
    expect(page.get_by_role("table")).to_contain_text(texts[0][:30])
    assert_accessible(page)
    page.get_by_role("link", name="Week").click()
    assert_accessible(page)
    page.get_by_role("link", name="List").click()
    page.get_by_role("link", name=texts[0]).click()
    expect(page.locator("h1")).to_contain_text("Post by")
    assert_accessible(page)

    # Comms filter the month by the campaign, open it and approve its posts together.
    other = browser.new_context(locale="en-GB").new_page()
    sign_in(other, live_server, comms.email)
    other.goto(f"{live_server.url}/planning/month/")
    other.get_by_label("Campaign").select_option(label="Christmas bins")
    other.get_by_role("button", name="Show").click()
    expect(other.get_by_role("table")).to_contain_text(texts[1][:30])
    assert_accessible(other)
    other.goto(f"{live_server.url}/planning/campaigns/")
    assert_accessible(other)
    other.get_by_role("link", name="Christmas bins").click()
    assert_accessible(other)
    other.get_by_role("link", name="Approve its posts together").click()
    expect(other.locator("main")).to_contain_text("2 waiting for review")
    assert_accessible(other)
    other.get_by_role("button", name="Approve these posts").click()
    expect(other.locator("main")).to_contain_text("2 approved")
    assert_accessible(other)
    assert set(Draft.objects.values_list("status", flat=True)) == {D.APPROVED}
    other.context.close()
