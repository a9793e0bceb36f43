"""The account register as people use it: an officer requests an account, Comms approves it, finds
it in the register and downloads the register. Every page on the way is checked with axe-core."""

import csv
import io

from playwright.sync_api import expect

from accounts_registry.models import Account, AccountStatus
from tests.browser.conftest import assert_accessible, sign_in


def test_request_approve_list_export(browser, page, live_server, people):
    # The officer asks for a new account.
    sign_in(page, live_server, people["officer"].email)
    page.goto(f"{live_server.url}/accounts-register/request/")
    assert_accessible(page)
    page.get_by_label("Platform").select_option(label="Instagram")
    page.get_by_label("Handle").fill("@Waste_Team")
    page.get_by_label("Display name").fill("Northfield Waste Team")
    page.get_by_label("Purpose").fill("Collection reminders and recycling tips.")
    page.get_by_label("Audience").fill("Households in the borough")
    # Nobody is chosen for them: the officer picks themselves, told apart by role and service area.
    officer = people["officer"]
    page.get_by_label("Responsible officer").select_option(label=f"{officer} (Officer, Waste and Recycling)")
    page.get_by_label("Where the sign-in details are held").fill("Password manager, vault Social media")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("h1")).to_contain_text("Northfield Waste Team")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Requested")
    assert_accessible(page)
    account = Account.objects.get(handle_key="waste_team")

    # Comms finds the request and approves it.
    comms = browser.new_context(locale="en-GB")
    comms_page = comms.new_page()
    sign_in(comms_page, live_server, people["comms"].email)
    expect(comms_page.locator("main")).to_contain_text("account request to decide")
    comms_page.get_by_role("link", name="account request to decide").click()
    assert_accessible(comms_page)
    comms_page.get_by_role("link", name="Northfield Waste Team").click()
    comms_page.get_by_role("link", name="Decide on this request").click()
    assert_accessible(comms_page)
    comms_page.get_by_label("Approve the account").check()
    comms_page.get_by_role("button", name="Save decision").click()
    expect(comms_page.locator(".govuk-notification-banner")).to_contain_text("Decision saved")
    expect(comms_page.locator("h1 .govuk-tag")).to_have_text("Approved, not yet active")
    account.refresh_from_db()
    assert account.status == AccountStatus.APPROVED

    # It is in the register, and in the download.
    comms_page.goto(f"{live_server.url}/accounts-register/?q=waste")
    expect(comms_page.locator("table")).to_contain_text("Northfield Waste Team")
    assert_accessible(comms_page)
    with comms_page.expect_download() as download:
        comms_page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    # The handle is written without its "@" (a leading @ would need the formula guard's apostrophe).
    assert [(r["Handle"], r["Status"]) for r in rows] == [("Waste_Team", "Approved, not yet active")]
    comms.close()
