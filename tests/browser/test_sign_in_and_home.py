"""Signing in, the home page, signing out and the public pages, in a real browser, checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PERSONAS

COUNCIL = "Northfield Borough Council"


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_each_persona_signs_in_and_lands_on_an_accessible_home_page(page, live_server, people, persona):
    sign_in(page, live_server, people[persona].email)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner")).to_contain_text(COUNCIL)
    expect(page.get_by_role("heading", name="What needs your attention")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)


def test_the_sign_in_page_is_accessible_to_an_anonymous_visitor(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)


def test_a_wrong_password_shows_an_accessible_error(page, live_server, people):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", people["officer"].email)
    page.fill("input[name=password]", "not-the-password")
    page.locator("main").get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_accessible(page)


def test_a_page_that_needs_signing_in_sends_an_anonymous_visitor_to_sign_in(page, live_server):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_the_accessibility_statement_is_public_and_accessible(page, live_server):
    page.goto(f"{live_server.url}/")  # the footer link is on every page, the sign-in page included
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()

    expect(page).to_have_url(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    expect(page.get_by_role("banner")).to_contain_text(COUNCIL)
    assert_accessible(page)


def test_comms_see_people_in_the_navigation(page, live_server, people):
    sign_in(page, live_server, people["comms"].email)

    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="People")).to_be_visible()


def test_an_officer_does_not_see_people_in_the_navigation(page, live_server, people):
    sign_in(page, live_server, people["officer"].email)

    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("link", name="People")).to_have_count(0)


def test_signing_out_returns_to_the_sign_in_page(page, live_server, people):
    sign_in(page, live_server, people["reviewer"].email)

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # Really signed out: the home page asks to sign in again.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(page, live_server):
    page.goto(f"{live_server.url}/accessibility/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))


def test_the_sign_in_page_does_not_move_focus_on_load(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")

    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
