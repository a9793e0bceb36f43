"""Giving the Communications role takes two people: one asks on the person's page, another confirms
from their home page. In a real browser, checked with axe-core."""

from playwright.sync_api import expect

from organisation.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PersonFactory


def test_one_member_asks_and_a_second_confirms(browser, page, live_server, people):
    second = PersonFactory(email="comms.2@northfield.gov.uk", roles=[Role.COMMS])
    sign_in(page, live_server, people["comms"].email)
    page.goto(f"{live_server.url}/people/{people['officer'].pk}/give-role/")
    assert_accessible(page)
    page.get_by_label("Auditor").check()
    page.get_by_label("Why they need it").fill("Moving to internal audit.")
    page.get_by_role("button", name="Ask a second person to confirm").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("waiting for a second person")

    other = browser.new_context(locale="en-GB").new_page()
    sign_in(other, live_server, second.email)
    other.get_by_role("link", name="role grant waiting for a second person").click()
    assert_accessible(other)
    other.get_by_role("link", name=f"Auditor for {people['officer']}").click()
    assert_accessible(other)
    other.get_by_label("Confirm: give them the role").check()
    other.get_by_role("button", name="Save decision").click()
    expect(other.get_by_role("table")).to_contain_text("Confirmed")
    other.context.close()
    assert people["officer"].groups.filter(name=Role.AUDITOR).exists()
