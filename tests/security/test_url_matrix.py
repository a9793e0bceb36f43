"""Every URL, every role (issue 9): walk every URL pattern of the service (Django's resolver, so a new
page is found without anyone listing it) and open it as anonymous and as every persona, including an
officer and a head of service of another service area, with GET and with an empty POST (rolled back);
each answer must be what `tests/security/url_matrix.py` says. A URL without an entry fails with a
message saying where to add it.

To see the table the service gives today (to add a new app's entries, then check each cell by hand):
`URL_MATRIX_PRINT=1 .venv/bin/pytest tests/security/test_url_matrix.py -s`."""

import copy
import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from content_review.models import ApprovalChain, PreElectionPeriod
from dashboard.models import Export
from organisation.models import Role, RoleGrant
from planning.models import CalendarFeed
from tests.blocking.factories import AppealFactory, BlockFactory, ReferralFactory
from tests.factories import (
    AccountFactory,
    BookingFactory,
    CampaignFactory,
    CourseFactory,
    DraftFactory,
    InboundMessageFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
    StandardResponseFactory,
    TrainingRequestFactory,
    TrainingSessionFactory,
)
from tests.security.url_matrix import COLUMNS, SKIPPED_NAMESPACES, entries
from tests.surveys.helpers import invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db

# In the world's drafts, messages, referrals and blocks: pages of people who may not see those records
# must not show it.
SECRET = "Xyzzy-private-words"


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """(name with its namespace, route, app module of the view) for every URL pattern."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            outer, _, name = (namespace + (entry.name or "")).rpartition(":")
            if outer in SKIPPED_NAMESPACES and name not in SKIPPED_NAMESPACES[outer]:
                continue
            yield namespace + (entry.name or ""), route, entry.callback.__module__.split(".")[0]


def png() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return ContentFile(out.getvalue(), name="picture.png")


@pytest.fixture
def matrix_clients(people, other_service_area):
    """The personas' clients and two more, in another service area."""
    made = {"anonymous": Client()}
    others = {
        "other_officer": PersonFactory(roles=[Role.OFFICER], service_area=other_service_area),
        "other_head_of_service": PersonFactory(roles=[Role.HEAD_OF_SERVICE], service_area=other_service_area),
    }
    other_service_area.head_of_service = others["other_head_of_service"]
    other_service_area.save()
    for name, person in {**people, **others}.items():
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        made[name] = client
    return made


@pytest.fixture
def world(people, service_area):
    """One record of every kind a URL names, belonging to the personas' service area (the officer's
    account, reviewed by the reviewer): the URL arguments each table entry refers to by name."""
    officer, comms = people["officer"], people["comms"]
    account = AccountFactory(service_area=service_area, responsible_officer=officer)
    ReviewerAssignmentFactory(person=people["reviewer"], account=account)
    message = InboundMessageFactory(account=account, text=f"{SECRET} said by a resident")
    draft = DraftFactory(account=account, text=f"{SECRET} drafted by the officer")
    image = draft.images.create(image=png(), alt_text="A bin")
    referral = ReferralFactory(account=account, quoted_text=f"{SECRET} quoted", person_handle="@secretperson")
    block = BlockFactory(account=account, reason=f"{SECRET} reason", person_handle="@secretblocked")
    evidence = block.evidence.create(file=png(), kind="png", size=10, sha256="0" * 64, uploaded_by=officer)
    appeal = AppealFactory(block=block, logged_by=comms)
    today = timezone.localdate()
    questionnaire = make_questionnaire(
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30)
    )
    invitation = invite(questionnaire, officer)
    response = respond(questionnaire, {"uses": "yes"})
    course = CourseFactory()
    session = TrainingSessionFactory(course=course, created_by=comms)
    booking = BookingFactory(session=session, person=officer)
    request = TrainingRequestFactory(requester=officer, course=course)
    upload = account.__class__._meta.apps.get_model("accounts_registry", "AccountImport").objects.create(
        uploaded_by=comms, file_name="register.csv", content=b"platform,handle\n"
    )
    grant = RoleGrant.objects.create(
        person=officer, role=Role.AUDITOR, reason="Covering audit", requested_by=comms
    )
    campaign = CampaignFactory(owner=officer, service_area=service_area)
    draft.campaign = campaign
    draft.save(update_fields=["campaign"])
    chain = ApprovalChain.objects.create(name="Head then Comms", account=account, created_by=comms)
    period = PreElectionPeriod.objects.create(
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=90),
        created_by=comms,
    )
    feed = CalendarFeed.objects.create(person=officer, token="t" * 43)
    export = Export.objects.create(kind="drafts", file_format="csv", requested_by=comms)
    return {
        "none": {},
        "person": {"pk": officer.pk},
        "person_pk": {"person_pk": officer.pk},
        "role_grant": {"pk": grant.pk},
        "account": {"pk": account.pk},
        "account_import": {"pk": upload.pk},
        "history": {"model": "accounts_registry.account", "pk": str(account.pk)},
        "reset": {"uidb64": "MQ", "token": "set-password"},
        "questionnaire": {"slug": questionnaire.slug},
        "invitation": {"pk": invitation.pk},
        "invitation_question": {"pk": invitation.pk, "code": "uses"},
        "response": {"slug": questionnaire.slug, "pk": response.pk},
        "message": {"pk": message.pk},
        "message_pk": {"message_pk": message.pk},
        "standard_response": {"pk": StandardResponseFactory(owner=comms).pk},
        "draft": {"pk": draft.pk},
        "draft_image": {"pk": draft.pk, "image_pk": image.pk},
        "referral": {"pk": referral.pk},
        "block": {"pk": block.pk},
        "appeal": {"pk": appeal.pk},
        "evidence": {"pk": evidence.pk},
        "course": {"pk": course.pk},
        "course_pk": {"course_pk": course.pk},
        "session": {"pk": session.pk},
        "booking": {"pk": booking.pk},
        "training_request": {"pk": request.pk},
        "campaign": {"pk": campaign.pk},
        "chain": {"pk": chain.pk},
        "pre_election_period": {"pk": period.pk},
        "feed": {"token": feed.token},
        "dashboard_figure": {"name": "responses.breaches"},
        "export": {"pk": export.pk},
    }


def test_every_url_pattern_has_an_entry_and_every_entry_a_url():
    table = entries()
    found = {name: (route, app) for name, route, app in url_patterns()}
    missing = [f"{name} ({route}, in {app})" for name, (route, app) in found.items() if name not in table]
    assert not missing, (
        "These URLs have no entry in tests/security/url_matrix.py: add each to its app's dict there, with "
        "the record its arguments name and the status every persona should get (URL_MATRIX_PRINT=1 shows "
        "what they get today):\n  " + "\n  ".join(missing)
    )
    stale = sorted(set(table) - set(found))
    assert not stale, f"tests/security/url_matrix.py names URLs that no longer exist: {stale}"
    unnamed = [route for name, route, _ in url_patterns() if not name.rpartition(":")[2]]
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"


def answer(client: Client, method: str, url: str) -> int:
    # Each request in a savepoint that is rolled back, with the client's cookies put back: an empty POST
    # that does something (signing out included) must not change what the next request sees.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        status = getattr(client, method)(url).status_code
        transaction.set_rollback(True)
    client.cookies = cookies
    return status


def test_every_url_answers_every_persona_as_the_table_says(matrix_clients, world):
    table = entries()
    wrong, printed = [], []
    for name, _route, app in url_patterns():
        entry = table[name]
        url = reverse(name, kwargs=world[entry.args])
        for method in ("get", "post"):
            got = tuple(answer(matrix_clients[column], method, url) for column in COLUMNS)
            expected = entry.get if method == "get" else entry.post
            printed.append((app, name, method, got))
            if got != expected:
                cells = [
                    f"{column} {want}→{had}"
                    for column, want, had in zip(COLUMNS, expected, got, strict=True)
                    if want != had
                ]
                wrong.append(f"{method.upper()} {url} ({name}): " + ", ".join(cells))
    if os.environ.get("URL_MATRIX_PRINT"):
        for app, name, method, got in printed:
            print(app, name, method, " ".join(map(str, got)))
    assert not wrong, "Answers differ from tests/security/url_matrix.py (expected→got):\n" + "\n".join(wrong)


def test_no_list_shows_another_service_areas_records_or_personal_data(matrix_clients, world):
    """The table says who may open each page; the pages everyone may open must also not show the
    drafts, messages, referrals and blocks of a service area that is not theirs."""
    # The words are on the pages of those who may see them (or this test could never fail).
    assert SECRET in matrix_clients["comms"].get(reverse("content:inbox")).content.decode()
    assert "secretblocked" in matrix_clients["comms"].get(reverse("blocking:register")).content.decode()
    table = entries()
    leaks = []
    for name, _route, _app in url_patterns():
        if table[name].args != "none":
            continue
        url = reverse(name)
        for column in ("other_officer", "other_head_of_service", "outsider", "councillor"):
            page = matrix_clients[column].get(url)
            content = page.content.decode(errors="replace") if page.status_code == 200 else ""
            for secret in (SECRET, "secretperson", "secretblocked"):
                if secret.lower() in content.lower():
                    leaks.append(f"{column} sees {secret!r} on {url} ({name})")
    assert not leaks, "\n".join(leaks)
