"""The review journey as people walk it: an officer drafts a reply from a standard response, a
reviewer asks for changes, the officer resubmits, the reviewer approves, the officer records the
publication. axe-core runs on every page on the way."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from content_review.models import Draft, DraftStatus, InboundMessage, ReviewerAssignment, StandardResponse
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory


def test_reply_from_standard_response_through_review_to_publication(
    browser, page, live_server, people, service_area
):
    officer, reviewer = people["officer"], people["reviewer"]
    account = AccountFactory(
        platform="x",
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=officer,
    )
    ReviewerAssignment.objects.create(person=reviewer, service_area=service_area)
    StandardResponse.objects.create(
        title="Missed bin collection",
        owner=people["comms"],
        review_by=timezone.localdate() + datetime.timedelta(days=90),
        body="Hi [name], sorry your bin was missed. Please report it at northfield.gov.uk/missedbin and we will collect it.",
    )
    received = timezone.now() - datetime.timedelta(hours=1)
    InboundMessage.objects.create(
        account=account,
        sender_handle="@resident_jo",
        text="My bin was missed again!",
        received_at=received,
        recorded_by=officer,
        due_at=received + datetime.timedelta(days=2),
    )

    # The officer starts a reply from the standard response and fills in the placeholder.
    sign_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/content/messages/")
    assert_accessible(page)
    page.get_by_role("link", name="Draft a reply to @resident_jo").click()
    page.get_by_text("Start from a standard response").click()
    page.get_by_role("link", name="Missed bin collection").click()
    text = page.get_by_label("Text")
    expect(text).to_have_value(
        "Hi [name], sorry your bin was missed. Please report it at northfield.gov.uk/missedbin and we will collect it."
    )
    assert_accessible(page)
    text.fill(
        "Hi Jo, sorry your bin was missed. Please report it at northfield.gov.uk/missedbin and we will collect it."
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_contain_text("Reply to @resident_jo")
    assert_accessible(page)
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("h1 .govuk-tag").first).to_have_text("Waiting for review")
    draft = Draft.objects.get()

    # The reviewer asks for changes.
    review = browser.new_context(locale="en-GB").new_page()
    sign_in(review, live_server, reviewer.email)
    review.goto(f"{live_server.url}/content/review/")
    assert_accessible(review)
    review.get_by_role("link", name="Reply to the public: Hi Jo").click()
    assert_accessible(review)
    review.get_by_label("Send it back for changes").check()
    review.get_by_label("Comments for the author").fill("Please say when we will collect it.")
    review.get_by_role("button", name="Save decision").click()
    expect(review.locator("h1 .govuk-tag").first).to_have_text("Changes requested")

    # The officer changes the text and sends it again.
    page.reload()
    expect(page.locator("main")).to_contain_text("Please say when we will collect it.")
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Text").fill(
        "Hi Jo, sorry your bin was missed. Please report it at northfield.gov.uk/missedbin and we will collect it within 2 working days."
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("h1 .govuk-tag").first).to_have_text("Waiting for review")

    # The reviewer sees what changed, and approves revision 2.
    review.reload()
    expect(review.locator("main")).to_contain_text("What changed since revision 1")
    expect(review.locator("main .app-diff ins").first).to_contain_text("within 2 working days.")
    assert_accessible(review)
    review.get_by_label("Approve it").check()
    for box in review.get_by_role("checkbox").all():
        box.check()  # acknowledge any warnings the checks raised
    review.get_by_role("button", name="Save decision").click()
    expect(review.locator("h1 .govuk-tag").first).to_have_text("Approved")

    # The officer posts it and records where.
    page.reload()
    page.get_by_role("link", name="Record the publication").click()
    assert_accessible(page)
    page.get_by_label("Link to the published post").fill("https://x.com/NfieldBins/status/123")
    page.get_by_role("button", name="Record publication").click()
    expect(page.locator("h1 .govuk-tag").first).to_have_text("Published")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED
    assert [r.number for r in draft.revisions.all()] == [1, 2]
    assert InboundMessage.objects.get().replied_at is not None
    account.refresh_from_db()
    assert account.last_activity_at is not None


def test_the_checks_run_as_the_author_types(page, live_server, people, service_area):
    AccountFactory(
        platform="x",
        handle="NfieldParks",
        display_name="Northfield Parks",
        service_area=service_area,
        responsible_officer=people["officer"],
    )
    sign_in(page, live_server, people["officer"].email)
    page.goto(f"{live_server.url}/content/new/")
    page.get_by_label("Text").fill("Call Jo on 07700 900123 about the park.")
    expect(page.locator("#live-checks")).to_contain_text("Choose the account first")
    page.get_by_label("Account").select_option(label="Northfield Parks (X (Twitter))")
    page.get_by_label("Text").fill("Call Jo on 07700 900123 about the park!")
    expect(page.locator("#live-checks")).to_contain_text("Must fix")
    assert_accessible(page)
    page.get_by_label("Text").fill("The park reopens on Saturday.")
    expect(page.locator("#live-checks")).to_contain_text("The checks found nothing to fix.")


def test_a_draft_with_a_must_fix_finding_says_why_then_goes_for_review_once_fixed(
    page, live_server, people, service_area
):
    AccountFactory(
        platform="x",
        handle="NfieldParks",
        display_name="Northfield Parks",
        service_area=service_area,
        responsible_officer=people["officer"],
    )
    ReviewerAssignment.objects.create(person=people["reviewer"], service_area=service_area)
    sign_in(page, live_server, people["officer"].email)
    page.goto(f"{live_server.url}/content/new/")
    expect(page.get_by_label("Account")).to_have_value("")  # nothing chosen for them
    assert_accessible(page)  # the date input for the planned time, too
    page.get_by_label("Account").select_option(label="Northfield Parks (X (Twitter))")
    page.get_by_label("Text").fill("Call Jo on 07700 900123 about the park.")
    page.get_by_role("button", name="Save draft").click()

    # The draft page says, by the button, why it cannot go yet, and marks where in the text.
    explanation = page.locator("#blocking-hint")
    expect(explanation).to_contain_text("It cannot be sent for review yet")
    expect(page.locator("mark.app-finding--block")).to_have_text("07700 900123")
    expect(page.get_by_role("button", name="Send for review")).to_have_attribute(
        "aria-describedby", "blocking-hint"
    )
    assert_accessible(page)

    # Sending it anyway: the same page, with the problem at the top, never a dead end.
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.locator("h1")).to_contain_text("Post by")
    assert_accessible(page)
    explanation.get_by_role("link", name="Problem 1").click()
    expect(page).to_have_url(re.compile(r"#finding-1-text$"))

    # Fixed, it goes.
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Text").fill("Call the parks team on 01632 960000 about the park.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#blocking-hint")).to_have_count(0)
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("h1 .govuk-tag").first).to_have_text("Waiting for review")
    assert_accessible(page)
    assert Draft.objects.get().status == DraftStatus.SUBMITTED
