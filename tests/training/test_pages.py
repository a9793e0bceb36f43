"""Every training page: who may open it (the permission matrix), what it shows, and that it makes the
same number of queries whatever the number of rows behind it."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.factories import (
    AccountFactory,
    BookingFactory,
    CompletionFactory,
    PersonFactory,
    TrainingRequestFactory,
    TrainingSessionFactory,
)
from training import services
from training.models import SessionStatus

pytestmark = pytest.mark.django_db

EVERYONE = dict.fromkeys(
    ["comms", "officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"], 200
)
READERS = {**dict.fromkeys(EVERYONE, 403), "comms": 200, "auditor": 200}
COMMS = {**dict.fromkeys(EVERYONE, 403), "comms": 200}


@pytest.fixture
def world(courses, people, service_area, other_service_area):
    """The officer runs an account (so needs BLOCK and RESPOND), asked for a course and booked a session;
    someone in another service area runs one too."""
    AccountFactory(service_area=service_area, responsible_officer=people["officer"], handle="NfieldBins")
    stranger = PersonFactory(email="stranger@northfield.gov.uk", service_area=other_service_area)
    AccountFactory(service_area=other_service_area, responsible_officer=stranger)
    session = TrainingSessionFactory(course=courses.block, created_by=people["comms"])
    return {
        "session": session,
        "booking": BookingFactory(session=session, person=people["officer"]),
        "request": TrainingRequestFactory(requester=people["officer"], course=courses.respond),
        "stranger": stranger,
        "started": TrainingSessionFactory(
            course=courses.block,
            created_by=people["comms"],
            starts_at=timezone.now() - datetime.timedelta(hours=1),
        ),
        "cancelled": TrainingSessionFactory(
            course=courses.block, created_by=people["comms"], status=SessionStatus.CANCELLED
        ),
    }


def test_everyone_signed_in_sees_their_training_and_the_catalogue(assert_statuses, courses, world):
    assert_statuses("/training/", EVERYONE)
    assert_statuses("/training/courses/", EVERYONE)
    assert_statuses(f"/training/courses/{courses.block.pk}/", EVERYONE)
    assert_statuses(f"/training/sessions/{world['session'].pk}/", EVERYONE)


def test_asking_for_training_is_for_everyone_but_auditors(assert_statuses, courses):
    assert_statuses("/training/requests/new/", {**EVERYONE, "auditor": 403})


def test_requests_sessions_and_bookings_lists_are_for_comms_and_auditors(assert_statuses, world):
    assert_statuses("/training/requests/", READERS)
    assert_statuses("/training/sessions/", READERS)


def test_only_comms_arrange_sessions_record_attendance_and_import(assert_statuses, courses, world):
    assert_statuses("/training/sessions/new/", COMMS)
    assert_statuses(f"/training/sessions/new/{courses.block.pk}/", COMMS)
    assert_statuses(f"/training/sessions/{world['started'].pk}/attendance/", COMMS)
    assert_statuses("/training/import/", COMMS)


def test_a_request_or_booking_is_seen_by_its_person_comms_and_auditors(assert_statuses, world):
    own = {**dict.fromkeys(EVERYONE, 404), "officer": 200, "comms": 200, "auditor": 200}
    assert_statuses(f"/training/requests/{world['request'].pk}/", own)
    assert_statuses(f"/training/bookings/{world['booking'].pk}/", own)


def test_a_cancelled_session_is_seen_only_by_comms_auditors_and_those_booked(assert_statuses, world):
    assert_statuses(
        f"/training/sessions/{world['cancelled'].pk}/",
        {**dict.fromkeys(EVERYONE, 404), "comms": 200, "auditor": 200},
    )


def test_compliance_is_for_comms_auditors_and_heads_of_service(assert_statuses, world):
    readers = {**READERS, "head_of_service": 200}
    for address in (
        "/training/compliance/",
        "/training/compliance/export.csv",
        "/training/compliance/export.xlsx",
    ):
        assert_statuses(address, readers)


def test_a_persons_training_page(assert_statuses, people, world):
    officer = {
        **dict.fromkeys(EVERYONE, 404),
        "officer": 200,
        "comms": 200,
        "auditor": 200,
        "head_of_service": 200,
    }
    assert_statuses(f"/training/people/{people['officer'].pk}/", officer)
    stranger = {**dict.fromkeys(EVERYONE, 404), "comms": 200, "auditor": 200}
    assert_statuses(f"/training/people/{world['stranger'].pk}/", stranger)


# ---------------------------------------------------------------------------------------------------
# What the pages say


def test_my_training_says_what_i_need_and_why(clients, world):
    page = clients["officer"].get("/training/").content.decode()
    assert "Because you are the responsible officer of @NfieldBins on X (Twitter)" in page
    assert "Booked for" in page  # BLOCK: booked on the coming session
    assert "Responding to the public" in page and "Waiting for a session" in page


def test_the_home_page_has_a_training_item_when_something_is_missing(clients, people, world):
    assert "training courses you need are missing" in clients["officer"].get("/").content.decode()
    assert "training course" not in clients["outsider"].get("/").content.decode()
    comms = clients["comms"].get("/").content.decode()
    assert "training request waiting for a session" in comms
    assert "training session needs its attendance recorded" in comms
    head = clients["head_of_service"].get("/").content.decode()
    assert (
        "people in your service area are not fully trained" in head
        or "person in your service area is not fully trained" in head
    )


def test_a_head_of_service_sees_only_their_service_areas_people(clients, people, world):
    page = clients["head_of_service"].get("/training/compliance/").content.decode()
    assert escape(str(people["officer"])) in page and escape(str(world["stranger"])) not in page
    everyone = clients["auditor"].get("/training/compliance/").content.decode()
    assert escape(str(world["stranger"])) in everyone


def test_compliance_filters(clients, courses, people, world, other_service_area):
    CompletionFactory(person=people["officer"], course=courses.block)
    CompletionFactory(person=people["officer"], course=courses.respond)

    def names(**query) -> set[str]:
        page = clients["comms"].get("/training/compliance/", query).context["page"]
        return {person.email.split("@")[0] for person in page.object_list}

    assert names() == {"officer", "stranger", "comms"}
    assert names(state="fully_trained") == {"officer"}
    assert names(state="missing") == {"stranger", "comms"}
    assert names(service_area=other_service_area.pk) == {"stranger"}
    assert names(course=courses.respond.pk) == {"officer", "stranger"}
    assert names(course=courses.respond.pk, state="missing") == {"stranger"}
    assert names(q=world["stranger"].last_name) == {"stranger"}


def test_compliance_exports_csv_and_xlsx(clients, courses, people, world):
    CompletionFactory(person=people["officer"], course=courses.block)
    csv = clients["comms"].get("/training/compliance/export.csv").content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0] == "email,name,service area,required,valid,expiring,missing,fully trained"
    assert (
        f"officer@northfield.gov.uk,{people['officer'].get_full_name()},Waste and Recycling,BLOCK; RESPOND,BLOCK,,RESPOND,no"
        in lines
    )
    book = openpyxl.load_workbook(
        io.BytesIO(clients["auditor"].get("/training/compliance/export.xlsx").content)
    )
    assert book.active.max_row == 4  # the header and three people


def test_the_demand_table_counts_people_waiting_per_course_and_audience(clients, courses, people):
    for person in [PersonFactory(roles=["Officer"]) for _ in range(3)]:
        services.request_create(by=person, course=courses.block)
    services.request_create(by=people["councillor"], course=courses.block)
    services.request_create(by=people["councillor"], course=None, need="Help with trolls")
    page = clients["comms"].get("/training/requests/")
    rows = {
        (r["course"].code if r["course"] else None): (r["officers"], r["councillors"])
        for r in page.context["demand"]
    }
    assert rows == {"BLOCK": (3, 1), "RESPOND": (0, 0), "REVIEW": (0, 0), None: (0, 1)}


def test_arranging_a_session_offers_it_to_those_waiting(clients, courses, people):
    asked = services.request_create(by=people["councillor"], course=courses.block)
    page = clients["comms"].get(f"/training/sessions/new/{courses.block.pk}/").content.decode()
    assert escape(str(people["councillor"])) in page
    response = clients["comms"].post(
        f"/training/sessions/new/{courses.block.pk}/",
        {
            "starts_at": (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Town Hall",
            "capacity": 10,
            "trainer": "Tom",
            "requests": [asked.pk],
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "scheduled"


def test_a_full_session_puts_the_person_on_the_waiting_list_and_says_so(clients, people, world):
    session = TrainingSessionFactory(capacity=1)
    BookingFactory(session=session)
    response = clients["councillor"].post(f"/training/sessions/{session.pk}/book/", follow=True)
    assert "you are number 1 on the waiting list" in response.content.decode()


def test_attendance_page_records_it(clients, people, world):
    started = world["started"]
    booking = BookingFactory(session=started, person=people["councillor"])
    page = clients["comms"].get(f"/training/sessions/{started.pk}/attendance/").content.decode()
    assert escape(str(people["councillor"])) in page
    response = clients["comms"].post(
        f"/training/sessions/{started.pk}/attendance/", {f"booking_{booking.pk}": "attended"}
    )
    assert response.status_code == 302
    assert people["councillor"].training_completions.count() == 1


# ---------------------------------------------------------------------------------------------------
# Query guards: the same queries whatever the number of rows behind a page


def test_the_compliance_report_lists_25_people_a_page(clients, courses, service_area):
    from training.views import COMPLIANCE_PAGE_SIZE

    for _ in range(COMPLIANCE_PAGE_SIZE + 2):
        AccountFactory(
            service_area=service_area, responsible_officer=PersonFactory(service_area=service_area)
        )
    first = clients["comms"].get("/training/compliance/").context["page"]
    assert COMPLIANCE_PAGE_SIZE == 25  # each row's courses are worked out for the rows drawn
    assert len(first.object_list) == 25 and first.paginator.count > 25


def test_list_and_detail_pages_make_the_same_queries_as_they_grow(
    assert_flat_queries, clients, courses, people, world, service_area
):
    officer, session, request = people["officer"], world["session"], world["request"]

    made = iter(range(1000))

    def grow():
        for _ in range(4):
            n = next(made)
            person = PersonFactory(roles=["Officer"], service_area=service_area)
            AccountFactory(service_area=service_area, responsible_officer=person, deputy=PersonFactory())
            AccountFactory(service_area=service_area, responsible_officer=officer)
            CompletionFactory(person=person, course=courses.block)
            CompletionFactory(
                person=officer,
                course=courses.respond,
                completed_on=timezone.localdate() - datetime.timedelta(days=n),
            )
            BookingFactory(session=session, person=person)
            BookingFactory(session=world["started"], person=person)
            BookingFactory(
                person=officer,
                session=TrainingSessionFactory(course=courses.block, created_by=people["comms"]),
            )
            TrainingRequestFactory(requester=person, course=courses.block)
            TrainingRequestFactory(requester=officer, course=None, need="More help")
            services.request_withdraw(
                request=TrainingRequestFactory(requester=officer, course=courses.review), by=officer
            )
        services.booking_cancel(booking=world["booking"], by=officer) if world[
            "booking"
        ].status == "booked" else None
        world["booking"].refresh_from_db()

    pages = [
        (clients["officer"], "/training/", 19),
        (clients["officer"], "/training/courses/", 8),
        (clients["officer"], f"/training/courses/{courses.block.pk}/", 10),
        (clients["comms"], f"/training/people/{officer.pk}/", 19),
        (clients["comms"], "/training/requests/", 9),
        (clients["comms"], f"/training/requests/{request.pk}/", 5),
        (clients["comms"], "/training/sessions/", 7),
        (clients["comms"], f"/training/sessions/{session.pk}/", 9),
        (clients["comms"], f"/training/sessions/{world['started'].pk}/attendance/", 5),
        (clients["comms"], f"/training/bookings/{world['booking'].pk}/", 5),
        (clients["comms"], "/training/compliance/", 12),
        (clients["head_of_service"], "/training/compliance/", 14),
        (clients["comms"], "/training/compliance/export.csv", 4),
        (clients["comms"], "/training/import/", 3),
    ]
    for client, address, at_most in pages:
        assert_flat_queries(lambda c=client, a=address: c.get(a), grow, at_most=at_most)


def test_the_compliance_report_with_nobody_to_list(clients, courses):
    page = clients["comms"].get("/training/compliance/", {"q": "nobody-has-this-name"})
    assert page.status_code == 200 and not page.context["page"].object_list
    assert "Nobody matches these filters" in page.content.decode()
