"""A two-step approval through the pages: Comms set a chain (head of service, then Comms) on the
approval chains page; the officer sees it on the draft before sending; the head of service approves
step 1; Comms approve step 2 and the draft is approved. axe-core runs on every page on the way."""

from playwright.sync_api import expect

from content_review.models import Draft, DraftStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory


def test_a_two_step_approval_through_the_pages(browser, page, live_server, people, service_area):
    officer, head, comms = people["officer"], people["head_of_service"], people["comms"]
    AccountFactory(
        platform="x",
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=officer,
    )

    # Comms set the chain.
    sign_in(page, live_server, comms.email)
    page.goto(f"{live_server.url}/content/chains/")
    assert_accessible(page)
    page.get_by_role("link", name="Set an approval chain").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Head of service, then Comms")
    page.get_by_label("Account", exact=True).select_option(label="Northfield Bins (X (Twitter))")
    page.locator("input[name=step_1_roles][value=head_of_service]").check()
    page.locator("input[name=step_2_roles][value=comms]").check()
    page.get_by_role("button", name="Save the chain").click()
    expect(page.locator("main")).to_contain_text("Approval chain saved.")
    expect(page.locator("main")).to_contain_text("The head of the account's service area")
    assert_accessible(page)

    # The officer drafts and sees the chain before sending it.
    author = browser.new_context(locale="en-GB").new_page()
    sign_in(author, live_server, officer.email)
    author.goto(f"{live_server.url}/content/new/")
    author.get_by_label("Account").select_option(label="Northfield Bins (X (Twitter))")
    author.get_by_label("Text").fill("Bins are collected as normal this week.")
    author.get_by_role("button", name="Save draft").click()
    chain = author.locator(".app-chain")
    expect(chain).to_contain_text("Step 1")
    expect(chain).to_contain_text("The Communications team")
    assert_accessible(author)
    author.get_by_role("button", name="Send for review").click()
    expect(author.locator("h1 .govuk-tag").first).to_have_text("Waiting for review")
    draft = Draft.objects.get()
    url = f"{live_server.url}/content/{draft.pk}/"

    # Comms cannot act yet: step 1 is the head of service's.
    page.goto(url)
    expect(page.locator(".app-chain li").first).to_contain_text("Waiting")
    expect(page.get_by_role("button", name="Save decision")).to_have_count(0)

    # The head of service approves step 1.
    reviewer = browser.new_context(locale="en-GB").new_page()
    sign_in(reviewer, live_server, head.email)
    reviewer.goto(url)
    assert_accessible(reviewer)
    reviewer.get_by_label("Approve it").check()
    reviewer.get_by_role("button", name="Save decision").click()
    expect(reviewer.locator(".app-chain li").first).to_contain_text("Approved")
    expect(reviewer.locator(".app-chain li").first).to_contain_text(str(head))
    expect(reviewer.locator("h1 .govuk-tag").first).to_have_text("Waiting for review")
    expect(reviewer.get_by_role("button", name="Save decision")).to_have_count(0)
    assert_accessible(reviewer)

    # Comms approve step 2: the draft is approved.
    page.goto(url)
    page.get_by_label("Approve it").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("h1 .govuk-tag").first).to_have_text("Approved")
    expect(page.locator(".app-chain li").nth(1)).to_contain_text(str(comms))
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    assert list(draft.step_approvals.values_list("position", "approved_by")) == [(1, head.pk), (2, comms.pk)]
