"""Training as people use it: a councillor asks for a course their registered account needs, Comms
arrange a session for the request, the councillor books a place, Comms record attendance after the
session, and the councillor is then trained. axe-core runs on every page on the way."""

import datetime

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory, CourseFactory
from training.models import Completion, Requirement, TrainingRequest, TrainingSession

TITLE = "Dealing with unacceptable behaviour and the blocking process"


def test_councillor_request_session_booking_attendance_compliance(browser, page, live_server, people, ward):
    councillor = people["councillor"]
    course = CourseFactory(code="BLOCKING", title=TITLE, validity_months=24)
    Requirement.objects.all().delete()
    Requirement.objects.create(responsibility="councillor", course=course)
    AccountFactory(
        kind="councillor",
        handle="CllrRiverside",
        service_area=None,
        ward=ward,
        responsible_officer=councillor,
    )

    # The councillor sees on their home page that they need a course, and why.
    sign_in(page, live_server, councillor.email)
    page.get_by_role("link", name="training course you need is missing").click()
    expect(page.locator("main")).to_contain_text(
        "Because you are a councillor with the registered account @CllrRiverside on X (Twitter)"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Ask for training").click()
    assert_accessible(page)
    page.get_by_label(TITLE).check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("h1 .govuk-tag")).to_have_text("Waiting for a session")
    assert_accessible(page)
    request = TrainingRequest.objects.get(requester=councillor)

    # Comms see the demand and arrange a session for it.
    comms = browser.new_context(locale="en-GB").new_page()
    sign_in(comms, live_server, people["comms"].email)
    comms.get_by_role("link", name="training request waiting for a session").click()
    demand = comms.get_by_role("table", name="People waiting for a session, by course").get_by_role(
        "row", name=TITLE
    )
    expect(demand.locator("td")).to_have_text(["0", "1", "1", f"Arrange a session of {TITLE}"])
    assert_accessible(comms)
    comms.get_by_role("link", name=f"Arrange a session of {TITLE}").click()
    starts = timezone.localtime() + datetime.timedelta(hours=3)
    comms.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    comms.get_by_label("Place (optional if online)").fill("Council Chamber, Town Hall")
    comms.get_by_label("Places", exact=True).fill("12")
    comms.get_by_label("Trainer").fill("Tom Baker")
    expect(comms.get_by_label(str(councillor), exact=False)).to_be_checked()
    assert_accessible(comms)
    comms.get_by_role("button", name="Arrange the session").click()
    expect(comms.locator(".govuk-notification-banner")).to_contain_text("The session is arranged.")
    assert_accessible(comms)
    session = TrainingSession.objects.get()
    request.refresh_from_db()
    assert (request.status, request.session) == ("scheduled", session)

    # The councillor is offered it and books a place.
    page.reload()
    expect(page.locator("h1 .govuk-tag")).to_have_text("Session offered")
    page.get_by_role("link", name="book your place").click()
    assert_accessible(page)
    page.get_by_role("button", name="Book a place").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have a place.")
    expect(page.locator("main")).to_contain_text("You have a place on this session.")
    assert_accessible(page)

    # After the session, Comms record who came.
    with time_machine.travel(starts + datetime.timedelta(hours=2), tick=True):
        comms.goto(f"{live_server.url}/training/sessions/{session.pk}/")
        comms.get_by_role("link", name="Record attendance").click()
        assert_accessible(comms)
        comms.get_by_label("Attended").check()
        comms.get_by_role("button", name="Save attendance").click()
        expect(comms.locator("h1 .govuk-tag")).to_have_text("Held")
        assert_accessible(comms)

        # The councillor is now trained: in the compliance report and on their own page.
        comms.goto(f"{live_server.url}/training/compliance/?q={councillor.last_name}")
        row = comms.get_by_role("row", name=str(councillor))
        expect(row).to_contain_text("BLOCKING")
        expect(comms.locator("main")).to_contain_text("Fully trained")
        assert_accessible(comms)
        page.goto(f"{live_server.url}/training/")
        expect(page.get_by_role("row", name=TITLE).first).to_contain_text("Done")
        assert_accessible(page)
    completion = Completion.objects.get(person=councillor)
    assert (completion.course, completion.completed_on) == (course, starts.date())
