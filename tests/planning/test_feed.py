"""The private calendar feed: opened with its token and no sign-in, revocable, and scoped to what its
owner may see now. The iCalendar text is escaped and folded as RFC 5545 says."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from content_review.models import D
from organisation.services import person_set_roles
from planning import ics
from planning.models import CalendarFeed
from tests.factories import DraftFactory
from tests.planning.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-11-16", 9)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def make_feed(client) -> str:
    client.post(reverse("planning:feed"), {"do": "create"})
    page = client.get(reverse("planning:feed")).content.decode()
    return page.split('id="feed-address" type="text" value="')[1].split('"')[0]


def path_of(address: str) -> str:
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


def test_the_feed_page_matrix(assert_statuses):
    allowed = dict.fromkeys(("comms", "officer", "reviewer", "head_of_service", "auditor"), 200)
    assert_statuses(reverse("planning:feed"), {**allowed, "councillor": 403, "outsider": 403})


def test_the_feed_opens_without_signing_in_and_shows_only_what_its_owner_may_see(clients, accounts):
    ours = DraftFactory(account=accounts["ours"], planned_for=at("2026-11-20", 10), text="Ours; with, commas")
    DraftFactory(account=accounts["theirs"], planned_for=at("2026-11-20", 11), text="Theirs")
    address = make_feed(clients["officer"])
    response = Client().get(path_of(address))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert "Ours\\; with\\, commas" in body
    assert "DTSTART:20261120T100000Z" in body  # 10:00 in London in November is 10:00 UTC
    assert f"/content/{ours.pk}/" in body.replace("\r\n ", "")


def test_the_feed_follows_what_the_owner_may_see_now(clients, people, accounts):
    DraftFactory(
        account=accounts["ours"], author=people["comms"], planned_for=at("2026-11-20"), status=D.APPROVED
    )
    address = make_feed(clients["officer"])
    assert Client().get(path_of(address)).content.decode().count("BEGIN:VEVENT") == 1
    accounts["ours"].responsible_officer = people["comms"]
    accounts["ours"].save()
    accounts["second"].responsible_officer = people["comms"]
    accounts["second"].save()
    person_set_roles(person=people["officer"], roles=[])
    assert Client().get(path_of(address)).content.decode().count("BEGIN:VEVENT") == 0


def test_revoking_or_regenerating_stops_the_old_address(clients, people, accounts):
    first = make_feed(clients["officer"])
    second = make_feed(clients["officer"])
    assert first != second
    assert Client().get(path_of(first)).status_code == 404
    assert Client().get(path_of(second)).status_code == 200
    clients["officer"].post(reverse("planning:feed"), {"do": "revoke"})
    assert Client().get(path_of(second)).status_code == 404
    feed = CalendarFeed.objects.get(person=people["officer"])
    assert feed.token is None and feed.revoked_at is not None
    assert "Make my calendar address" in clients["officer"].get(reverse("planning:feed")).content.decode()


@pytest.mark.parametrize("token", ["nope", "x" * 500, "", "../../etc"])
def test_an_unknown_token_is_a_404(token, db):
    assert Client().get(f"/planning/feed/{token}.ics").status_code == 404


def test_the_token_stays_out_of_the_audit_trail(clients, people):
    make_feed(clients["officer"])
    feed = CalendarFeed.objects.get(person=people["officer"])
    history = CalendarFeed.pgh_event_models["insert"].objects.filter(pgh_obj_id=feed.pk)
    assert history.exists()
    assert "token" not in {f.name for f in history.model._meta.get_fields()}


def test_feed_queries_do_not_grow_with_its_events(clients, accounts, assert_flat_queries):
    address = make_feed(clients["comms"])

    def grow():
        for hour in range(8, 18):
            DraftFactory(account=accounts["theirs"], planned_for=at("2026-11-21", hour))

    grow()
    assert_flat_queries(lambda: Client().get(path_of(address)), grow, at_most=4)


def test_text_is_escaped_and_long_lines_folded_at_75_octets():
    assert ics.escape("a\\b;c,d\r\ne\x07") == "a\\\\b\\;c\\,d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_the_token_is_taken_out_of_logged_paths():
    from config.logging import redact

    line = '"GET /planning/feed/RvutPBI-cPycA1AN7ZGu9Ze461zqrEQGX62yKqKsIRA.ics HTTP/1.1" 200'
    assert redact(line) == '"GET /planning/feed/[token removed].ics HTTP/1.1" 200'
