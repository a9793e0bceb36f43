"""The auditors' dashboard as an auditor uses it: open it, follow a figure to the records behind it,
download the figures and a drafts export. axe-core runs on every page on the way."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory, DraftFactory, InboundMessageFactory


def test_auditor_opens_the_dashboard_drills_into_a_figure_and_exports_it(
    page, live_server, people, service_area
):
    now = timezone.now()
    account = AccountFactory(service_area=service_area, display_name="Northfield Bins")
    DraftFactory(account=account, status="published", published_at=now - datetime.timedelta(hours=2))
    InboundMessageFactory(  # replied late: the breach stays counted and listed
        account=account,
        sender_handle="@latereply",
        received_at=now - datetime.timedelta(days=3),
        due_at=now - datetime.timedelta(days=2),
        breached_at=now - datetime.timedelta(days=2),
        replied_at=now - datetime.timedelta(days=1),
    )

    sign_in(page, live_server, people["auditor"].email)
    page.locator(".govuk-service-navigation").get_by_role("link", name="Dashboard").click()
    expect(page.locator("h1")).to_have_text("Is the social media policy embedded?")
    page.get_by_text("Figures by month").first.click()
    assert_accessible(page)

    # The figure links to the records behind it: the late reply is still listed.
    page.get_by_role("link", name=re.compile("records behind “Response times missed”")).click()
    expect(page.locator("h1")).to_have_text("Messages whose response time was missed")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("From @latereply")
    assert_accessible(page)

    page.get_by_role("link", name="Back to the dashboard").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="spreadsheet (CSV)").click()
    body = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "responses.breaches" in body and "review.published_posts" in body

    # Drafts with their decisions, made in the background (inline here) with a link when ready.
    page.get_by_role("link", name=re.compile("Export drafts with their decisions")).click()
    assert_accessible(page)
    page.get_by_label("Drafts with their review decisions").check()
    page.get_by_label("CSV").check()
    page.get_by_role("button", name="Make the file").click()
    expect(page.locator("[role=status]")).to_contain_text("Ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file").click()
    assert "Northfield Bins" in open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
