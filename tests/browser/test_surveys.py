"""A questionnaire as people use it: Comms invites the heads of service, one answers (saving part-way and
coming back), checks and sends their answers, and Comms reads the report. axe-core checks every page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Response
from tests.browser.conftest import assert_accessible, sign_in
from tests.surveys.helpers import make_questionnaire


def test_invite_answer_with_save_and_resume_then_report(browser, page, live_server, people):
    today = timezone.localdate()
    make_questionnaire(
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=14)
    )
    base = live_server.url

    # Comms invites the heads of service, as officers.
    sign_in(page, live_server, people["comms"].email)
    page.goto(f"{base}/surveys/")
    assert_accessible(page)
    page.get_by_role("link", name="Social media pulse").click()
    expect(page.locator("h1")).to_contain_text("Social media pulse")
    assert_accessible(page)
    page.get_by_role("link", name="Invite people").click()
    assert_accessible(page)
    page.get_by_label("Officers").check()
    page.get_by_label("Role").select_option(label="Head of service")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 person invited and emailed.")
    assert_accessible(page)

    # The head of service starts answering, and saves part-way.
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    invitee = context.new_page()
    sign_in(invitee, live_server, people["head_of_service"].email)
    invitee.get_by_role("link", name="questionnaire to answer").click()
    assert_accessible(invitee)
    invitee.get_by_role("link", name="Social media pulse").click()
    assert_accessible(invitee)
    invitee.get_by_role("button", name="Start now").click()
    invitee.get_by_role("button", name="Continue").click()  # nothing chosen: an error
    expect(invitee.locator(".govuk-error-summary")).to_contain_text("Select yes or no")
    assert_accessible(invitee)
    invitee.get_by_label("Yes", exact=True).check()
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.locator("h1")).to_contain_text("Which platforms?")
    assert_accessible(invitee)
    invitee.get_by_label("X", exact=True).check()
    invitee.get_by_role("button", name="Save and come back later").click()
    expect(invitee.locator(".govuk-notification-banner")).to_contain_text("Your answers are saved")
    assert_accessible(invitee)

    # Later, they come back and carry on where they stopped.
    invitee.goto(f"{base}/surveys/")
    expect(invitee.locator("main")).to_contain_text("In progress")
    invitee.get_by_role("link", name="Social media pulse").click()
    expect(invitee.locator("main")).to_contain_text("You have answered 2 questions so far")
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.locator("h1")).to_contain_text("How often?")
    invitee.get_by_label("Every week").check()
    invitee.get_by_role("button", name="Continue").click()
    invitee.get_by_label("Yes", exact=True).check()  # are posts reviewed?
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.locator("h1")).to_contain_text("Rank these benefits")
    assert_accessible(invitee)
    invitee.get_by_label("Reach").select_option("1")
    invitee.get_by_label("Cost").select_option("2")
    invitee.get_by_role("button", name="Continue").click()
    invitee.get_by_label("How many accounts do you run?").fill("3")
    invitee.get_by_role("button", name="Continue").click()
    assert_accessible(invitee)
    invitee.get_by_label("Anything else?").fill("More training on replies, please.")
    invitee.get_by_role("button", name="Continue").click()

    # Check, change one answer, and send.
    expect(invitee.locator("h1")).to_contain_text("Check your answers before sending them")
    assert_accessible(invitee)
    invitee.get_by_role("link", name="Change which platforms?").click()
    invitee.get_by_label("Facebook").check()
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.locator(".govuk-summary-list")).to_contain_text("X; Facebook")
    invitee.get_by_role("button", name="Send my answers").click()
    expect(invitee.locator(".govuk-panel")).to_contain_text("Answers sent")
    assert_accessible(invitee)
    context.close()
    assert Response.objects.get().answers["platforms"] == ["x", "facebook"]

    # Comms reads the report, and the ranking scores are labelled apart.
    page.goto(f"{base}/surveys/pulse/report/?group=officer")
    expect(page.locator("h1")).to_contain_text("Report: officers")
    expect(page.locator("main")).to_contain_text("Weighted average of those who ranked it")
    expect(page.locator("main")).to_contain_text("Score counting unranked as 0")
    expect(page.locator("main")).not_to_contain_text("More training on replies, please.")
    assert_accessible(page)
    # The free-text answers are on a page of their own.
    page.get_by_role("link", name="Read the 1 comment").click()
    expect(page.locator("main")).to_contain_text("More training on replies, please.")
    assert_accessible(page)
    page.goto(f"{base}/surveys/compare/?first=pulse&second=pulse")
    assert_accessible(page)

    # Comms void the response (a test, say), then close the questionnaire early, each with a reason.
    page.goto(f"{base}/surveys/pulse/responses/")
    page.get_by_role("link", name=people["head_of_service"].email).click()
    page.get_by_role("link", name="Void this response").click()
    assert_accessible(page)
    page.get_by_label("Why?").fill("They answered for the wrong service area.")
    page.get_by_role("button", name="Void this response").click()
    expect(page.locator("h1")).to_contain_text("Voided")
    expect(page.locator("main")).to_contain_text("They answered for the wrong service area.")
    assert_accessible(page)
    page.goto(f"{base}/surveys/pulse/")
    page.get_by_role("link", name="Close it now").click()
    page.get_by_role("button", name="Close it now").click()  # no reason: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why")
    assert_accessible(page)
    page.get_by_label("Why?").fill("Enough answers for the committee report.")
    page.get_by_role("button", name="Close it now").click()
    expect(page.locator("h1 .govuk-tag")).to_have_text("Closed")
    expect(page.locator("main")).to_contain_text("Enough answers for the committee report.")
    assert_accessible(page)
