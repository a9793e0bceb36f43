"""The blocking journey as people walk it: a threatening message from the public → the officer refers
the sender → Comms decide to block → the block comes up for review and Comms lift it. axe-core runs on
every page on the way.

content_review does not show `{% record_links message %}` on a message page yet, so the officer
starts from the address that link opens (blocking's "Refer the sender": /blocking/refer/?message=ID)."""

import datetime
import io

from PIL import Image
from playwright.sync_api import expect

from blocking import services
from blocking.models import Block, BlockStatus, Referral
from core.contributions import links_for
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory, InboundMessageFactory


def test_inbound_message_to_referral_to_decision_to_review(
    browser, page, live_server, people, service_area, tmp_path
):
    officer, comms = people["officer"], people["comms"]
    account = AccountFactory(
        platform="x",
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=officer,
    )
    message = InboundMessageFactory(
        account=account,
        sender_handle="@angry_al",
        text="I know where your depot is. I'll sort your crews out myself.",
        link="https://x.com/angry_al/status/123",
    )
    screenshot = tmp_path / "screenshot.png"
    image = io.BytesIO()
    Image.new("RGB", (300, 80), "white").save(image, "PNG")
    screenshot.write_bytes(image.getvalue())

    # The officer refers the sender, from the message.
    [link] = links_for(message, officer)
    sign_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}{link.url}")
    expect(page.locator("h1")).to_have_text("Refer someone")
    expect(page.get_by_label("Their handle or name")).to_have_value("@angry_al")
    expect(page.get_by_label("What they wrote (optional)")).to_have_value(message.text)
    assert_accessible(page)
    page.get_by_label("Threats or harassment").check()
    page.get_by_label("What happened").fill(
        "A threat against the bin crews, in reply to our post about delays."
    )
    page.get_by_label("Screenshots or PDFs (optional)").set_input_files(str(screenshot))
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("h1")).to_contain_text("@angry_al")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Waiting for a decision")
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.source_message_id == message.pk and referral.evidence.count() == 1

    # Comms decide to block, from the referrals waiting.
    decider = browser.new_context(locale="en-GB").new_page()
    sign_in(decider, live_server, comms.email)
    decider.get_by_role("link", name="referral to decide").click()
    assert_accessible(decider)
    decider.get_by_role("link", name="@angry_al").click()
    assert_accessible(decider)
    decider.get_by_role("link", name="Decide on this referral").click()
    expect(decider.locator("main")).to_contain_text("Blocking without a warning is allowed")
    assert_accessible(decider)
    decider.get_by_label("Block", exact=True).check()
    decider.get_by_label("Reason").fill("A threat against staff: block without a warning.")
    decider.get_by_role("button", name="Save decision").click()
    expect(decider.locator("main")).to_contain_text("Decision: block")
    assert_accessible(decider)
    block = Block.objects.get()
    assert block.status == BlockStatus.ACTIVE and block.review_on > datetime.date.today()

    # The officer sees the decision.
    page.reload()
    expect(page.locator("main")).to_contain_text("Decision: block")

    # Months later the daily sweep marks it due; Comms review it and lift it.
    services.blocking_sweep(as_of=block.review_on)
    decider.goto(f"{live_server.url}/")
    decider.get_by_role("link", name="block due for review").click()
    assert_accessible(decider)
    decider.get_by_role("link", name="@angry_al").click()
    expect(decider.locator("h1 .govuk-tag")).to_have_text("Due for review")
    assert_accessible(decider)
    decider.get_by_role("link", name="Review the block").click()
    assert_accessible(decider)
    decider.get_by_label("Lift the block").check()
    decider.get_by_label("Reason").fill("No further posts since the block.")
    decider.get_by_role("button", name="Save the review").click()
    expect(decider.locator("h1 .govuk-tag")).to_have_text("Lifted")
    assert_accessible(decider)
    block.refresh_from_db()
    assert block.status == BlockStatus.LIFTED and block.lifted_on == datetime.date.today()
