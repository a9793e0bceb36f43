"""Comms remove a resident's phone number from a draft, as they would: from the draft's page, through
the form, back to the draft whose history says what was removed, by whom and why; then find what is
held about a member of the public. axe-core runs on every page on the way."""

from playwright.sync_api import expect

from content_review import services
from content_review.models import Revision
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory

PHONE = "07700 900461"


def test_comms_remove_a_phone_number_from_a_draft(page, live_server, people, service_area, settings):
    settings.CONTENT_CHECK_COUNCIL_PHONE_NUMBERS = (PHONE,)  # wrongly listed as the council's at the time
    officer, comms = people["officer"], people["comms"]
    account = AccountFactory(
        service_area=service_area, responsible_officer=officer, display_name="Northfield Bins"
    )
    draft = services.draft_create(by=officer, account=account, text=f"Call Jo on {PHONE} about the bins.")
    services.draft_submit(draft=draft, by=officer)

    sign_in(page, live_server, comms.email)
    page.goto(f"{live_server.url}/content/{draft.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Remove personal data").click()
    expect(page.locator("h1")).to_have_text("Remove personal data from this draft")
    assert_accessible(page)
    page.get_by_role("button", name="Remove personal data").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the personal data to remove")
    assert_accessible(page)
    page.get_by_label("The personal data, exactly as it is written").fill(PHONE)
    page.get_by_label("A phone number").check()
    page.get_by_label("Why is it being removed?").fill("The resident asked us to remove it.")
    page.get_by_role("button", name="Remove personal data").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Personal data removed")
    expect(page.locator("body")).not_to_contain_text(PHONE)
    expect(page.locator("[data-redaction]")).to_contain_text("because “The resident asked us to remove it.”")
    assert_accessible(page)
    assert not Revision.objects.filter(text__contains=PHONE).exists()

    page.goto(f"{live_server.url}/privacy/subject-access/")
    assert_accessible(page)
    page.get_by_label("Their handle or name").fill("@nobody_here")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("[data-found]")).to_have_text("Nothing is held about this handle.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/privacy/")
    expect(page.locator("h1")).to_have_text("How long personal data is kept")
    assert_accessible(page)
