"""Personas (one signed-in client per role) and the permission-matrix helper used by every app's tests."""

import pytest
from django.test import Client

from organisation.models import Role
from tests.factories import PersonFactory, ServiceAreaFactory, WardFactory

PASSWORD = "correct-horse-battery"

# persona name -> roles held. "outsider" is a signed-in person with no role at all.
PERSONAS = {
    "comms": [Role.COMMS],
    "officer": [Role.OFFICER],
    "reviewer": [Role.REVIEWER, Role.OFFICER],
    "head_of_service": [Role.HEAD_OF_SERVICE],
    "councillor": [Role.COUNCILLOR],
    "auditor": [Role.AUDITOR],
    "outsider": [],
}


@pytest.fixture
def service_area(db):
    return ServiceAreaFactory(name="Waste and Recycling", code="waste")


@pytest.fixture
def other_service_area(db):
    return ServiceAreaFactory(name="Libraries", code="libraries")


@pytest.fixture
def ward(db):
    return WardFactory(name="Riverside", code="riverside")


@pytest.fixture
def people(db, service_area, ward):
    """One person per persona; the service-area roles belong to `service_area`."""
    made = {}
    for name, roles in PERSONAS.items():
        extra = {"ward": ward} if name == "councillor" else {"service_area": service_area}
        if name == "comms":  # a name the pages must escape, so every test that looks for it does too
            extra["last_name"] = "O'Sullivan"
        made[name] = PersonFactory(email=f"{name}@northfield.gov.uk", roles=roles, **extra)
    service_area.head_of_service = made["head_of_service"]
    service_area.save()
    return made


@pytest.fixture
def clients(people):
    """A signed-in test client per persona, plus "anonymous"."""
    made = {"anonymous": Client()}
    for name, person in people.items():
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        made[name] = client
    return made


@pytest.fixture
def assert_statuses(clients):
    """assert_statuses(url, {"comms": 200, "officer": 403, ...}, method="get", data=None)

    Every persona must be listed (so a new persona forces every matrix to be reconsidered);
    anonymous users are checked too and must be sent to sign in."""

    def check(url: str, expected: dict[str, int], method: str = "get", data: dict | None = None):
        missing = set(PERSONAS) - set(expected)
        assert not missing, f"permission matrix for {url} misses {sorted(missing)}"
        anonymous = getattr(clients["anonymous"], method)(url, data or {})
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], (
            f"anonymous {method.upper()} {url} gave {anonymous.status_code}, expected a redirect to sign in"
        )
        got = {name: getattr(clients[name], method)(url, data or {}).status_code for name in expected}
        assert got == expected, f"{method.upper()} {url}"

    return check


@pytest.fixture
def assert_flat_queries():
    """assert_flat_queries(fetch, grow, at_most=N): the page `fetch()` opens makes the same number of
    queries (at most N) before and after `grow()` adds related rows: a page must not make a query per
    row. `fetch` returns a response, which must be 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.contributions import banner_providers

    def check(fetch, grow, *, at_most: int) -> None:
        # The page frame's banners (core.contributions.add_banner) may read one row set each, on every
        # page: allowed on top of the page's own queries (which must still stay flat).
        at_most += len(banner_providers())
        # The connection keeps at most 9,000 queries: a full log would hide what is captured.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as small:
            assert fetch().status_code == 200
        grow()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as large:
            assert fetch().status_code == 200
        queries = "\n".join(q["sql"][:200] for q in large.captured_queries)
        assert len(large) == len(small), f"{len(small)} queries grew to {len(large)}:\n{queries}"
        assert len(large) <= at_most, f"{len(large)} queries, more than {at_most}:\n{queries}"

    return check
