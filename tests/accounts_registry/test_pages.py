"""The register's pages: who may open and post to each, the list's search, filters and speed, forms, export."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts_registry import services
from accounts_registry.models import Account, AccountStatus, ActivityCheck
from organisation.models import Role
from tests.factories import AccountFactory, PersonFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db
S = AccountStatus

REGISTER_READERS = {
    "comms": 200,
    "officer": 200,
    "reviewer": 200,
    "head_of_service": 200,
    "councillor": 200,
    "auditor": 200,
    "outsider": 403,
}
COMMS_AND_AUDITOR = {
    "comms": 200,
    "auditor": 200,
    "officer": 403,
    "reviewer": 403,
    "head_of_service": 403,
    "councillor": 403,
    "outsider": 403,
}
COMMS_ONLY = {**COMMS_AND_AUDITOR, "auditor": 403}
REQUESTERS = {
    "comms": 200,
    "officer": 200,
    "reviewer": 200,
    "councillor": 200,
    "head_of_service": 403,
    "auditor": 403,
    "outsider": 403,
}
# An account in the officer's service area that the officer runs: others who can't see it get 404.
CAN_SEE = {"comms": 200, "auditor": 200, "officer": 200, "head_of_service": 200}
CANNOT_SEE = {"reviewer": 404, "councillor": 404, "outsider": 404}
COMMS_ACTS = {"auditor": 403, "officer": 403, "head_of_service": 403, **CANNOT_SEE, "comms": 200}


def comms_last(expected: dict, comms: int) -> dict:
    """The matrix with Comms checked last: their POST changes the account for everyone after."""
    return {**{k: v for k, v in expected.items() if k != "comms"}, "comms": comms}


@pytest.fixture
def account(people, service_area):
    return AccountFactory(
        display_name="Northfield Bins",
        handle="@NorthfieldBins",
        service_area=service_area,
        responsible_officer=people["officer"],
        requested_by=people["officer"],
    )


@pytest.fixture
def requested(people, service_area):
    return AccountFactory(
        status=S.REQUESTED,
        service_area=service_area,
        responsible_officer=people["officer"],
        requested_by=people["officer"],
    )


def url(name: str, *args) -> str:
    return reverse(f"accounts:{name}", args=args)


def form_data(account: Account, **changes) -> dict:
    """Every field of the Comms form as the edit page would post it (unticked boxes left out)."""
    data = {
        "platform": account.platform,
        "handle": account.handle,
        "profile_url": account.profile_url,
        "display_name": account.display_name,
        "kind": account.kind,
        "service_area": account.service_area_id or "",
        "ward": account.ward_id or "",
        "purpose": account.purpose,
        "audience": account.audience,
        "responsible_officer": account.responsible_officer_id,
        "deputy": account.deputy_id or "",
        "posting_frequency": account.posting_frequency,
        "two_factor_enabled": account.two_factor_enabled,
        "credentials_location": account.credentials_location,
        "managed_by_comms": account.managed_by_comms,
        "review_required": account.review_required,
        "response_time_hours": account.response_time_hours,
        **changes,
    }
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def date_fields(name: str, day: datetime.date) -> dict:
    """A date as the GOV.UK date input posts it: day, month and year boxes."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def names_listed(response) -> list[str]:
    return re.findall(r'href="/accounts-register/\d+/">([^<]+)</a>', response.content.decode())


# The permission matrix, for every page


@pytest.mark.parametrize("name", ["list", "mine"])
def test_register_pages_permissions(assert_statuses, account, name):
    assert_statuses(url(name), REGISTER_READERS)


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_export_permissions(assert_statuses, account, name):
    assert_statuses(url(name), COMMS_AND_AUDITOR)


def test_request_page_permissions(assert_statuses):
    assert_statuses(url("request"), REQUESTERS)
    # An empty form comes back with its errors to those who may request, and is refused to the rest.
    assert_statuses(url("request"), REQUESTERS, method="post", data={})
    assert not Account.objects.exists()


def test_handover_permissions(assert_statuses, people, service_area):
    leaver = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))
    account = AccountFactory(service_area=service_area, responsible_officer=leaver)
    chosen = f"?accounts={account.pk}"
    assert_statuses(url("handover"), COMMS_ONLY)
    assert_statuses(url("transfer", leaver.pk), COMMS_ONLY)
    assert_statuses(url("transfer_to", leaver.pk) + chosen, COMMS_ONLY)
    assert_statuses(
        url("transfer_to", leaver.pk) + chosen,
        comms_last(COMMS_ONLY, 302),
        method="post",
        data={"to_person": people["officer"].pk},
    )
    assert Account.objects.get(pk=account.pk).responsible_officer == people["officer"]


def test_detail_permissions(assert_statuses, account):
    assert_statuses(url("detail", account.pk), {**CAN_SEE, **CANNOT_SEE})


def test_edit_permissions(assert_statuses, account):
    editors = {"comms": 200, "officer": 200, "auditor": 403, "head_of_service": 403, **CANNOT_SEE}
    assert_statuses(url("edit", account.pk), editors)
    assert_statuses(
        url("edit", account.pk),
        comms_last({**editors, "officer": 302}, 302),
        method="post",
        data=form_data(account, display_name="Northfield Bins and Recycling"),
    )
    assert Account.objects.get(pk=account.pk).display_name == "Northfield Bins and Recycling"


def test_decide_permissions(assert_statuses, requested, people):
    assert_statuses(url("decide", requested.pk), COMMS_ACTS)
    assert_statuses(
        url("decide", requested.pk),
        comms_last(COMMS_ACTS, 302),
        method="post",
        data={"decision": "reject", "reason": "Use the corporate account."},
    )
    requested.refresh_from_db()
    assert (requested.status, requested.status_reason) == (S.REJECTED, "Use the corporate account.")


def test_status_permissions(assert_statuses, account):
    assert_statuses(url("status", account.pk), COMMS_ACTS)
    assert_statuses(
        url("status", account.pk),
        comms_last(COMMS_ACTS, 302),
        method="post",
        data={"action": "start_closing", "reason": "Moving to the corporate account."},
    )
    assert Account.objects.get(pk=account.pk).status == S.CLOSING


def test_check_permissions(assert_statuses, account):
    assert_statuses(url("check", account.pk), COMMS_ACTS)
    assert_statuses(
        url("check", account.pk),
        comms_last(COMMS_ACTS, 302),
        method="post",
        data={**date_fields("checked_on", timezone.localdate()), "posts_last_30_days": 7, "followers": 900},
    )
    assert ActivityCheck.objects.get().account == account
    assert Account.objects.get(pk=account.pk).posts_last_30_days == 7


def test_a_closed_account_cannot_be_edited_even_by_comms(clients, account):
    closed = AccountFactory(status=S.CLOSED, service_area=account.service_area)
    assert clients["comms"].get(url("edit", closed.pk)).status_code == 403
    response = clients["comms"].post(url("edit", closed.pk), form_data(closed, display_name="Revived"))
    assert response.status_code == 403
    assert Account.objects.get(pk=closed.pk).display_name != "Revived"


def test_the_detail_page_shows_flags_and_activity_checks(clients, people, service_area):
    leaver = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))
    account = AccountFactory(service_area=service_area, responsible_officer=leaver, two_factor_enabled=True)
    ActivityCheck.objects.create(
        account=account, checked_by=people["comms"], posts_last_30_days=4, notes="Spotted a spam reply"
    )
    page = clients["comms"].get(url("detail", account.pk)).content.decode()
    assert "Responsible officer has left" in page and "No deputy" in page
    assert "No two-factor sign-in" not in page
    assert "Spotted a spam reply" in page


def test_an_account_elsewhere_is_private_to_an_officer_but_not_to_its_head(
    clients, people, other_service_area
):
    head = PersonFactory(service_area=other_service_area, roles=[Role.HEAD_OF_SERVICE])
    remote_head = PersonFactory(roles=[Role.HEAD_OF_SERVICE])  # heads it without working in it
    other_service_area.head_of_service = remote_head
    other_service_area.save()
    elsewhere = AccountFactory(display_name="Northfield Libraries", service_area=other_service_area)

    for persona in ("officer", "head_of_service", "reviewer"):
        assert clients[persona].get(url("detail", elsewhere.pk)).status_code == 404
        assert clients[persona].get(url("edit", elsewhere.pk)).status_code == 404
        assert "Northfield Libraries" not in names_listed(clients[persona].get(url("list")))
    for person in (head, remote_head):
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        assert client.get(url("detail", elsewhere.pk)).status_code == 200
        assert client.get(url("edit", elsewhere.pk)).status_code == 403
        assert names_listed(client.get(url("list"))) == ["Northfield Libraries"]


# The register list


def test_the_register_lists_120_accounts_in_a_fixed_number_of_queries(
    clients, people, service_area, django_assert_max_num_queries
):
    from accounts_registry.views import LIST_PAGE_SIZE

    assert LIST_PAGE_SIZE == 25  # bench/RESULTS.md: drawing the rows was much of the page's cost
    areas = [service_area, *ServiceAreaFactory.create_batch(3)]
    officers = [PersonFactory(service_area=area, roles=[Role.OFFICER]) for area in areas]
    left = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))
    for n in range(120):
        area = areas[n % 4]
        AccountFactory(
            display_name=f"Account {n:03}",
            service_area=area,
            responsible_officer=left if n % 10 == 0 else officers[n % 4],
            deputy=people["comms"] if n % 3 else None,
            posts_last_30_days=n % 5,
            status=[S.ACTIVE, S.DORMANT, S.REQUESTED][n % 3],
        )

    for persona in ("head_of_service", "comms"):
        with django_assert_max_num_queries(7):
            first = clients[persona].get(url("list"))
        with django_assert_max_num_queries(7):
            clients[persona].get(url("list"), {"page": 2, "flag": "no_deputy", "sort": "activity"})

    assert first.status_code == 200
    assert names_listed(first) == [f"Account {n:03}" for n in range(25)]
    assert "120 accounts" in first.content.decode()
    last = clients["comms"].get(url("list"), {"page": 5})
    assert names_listed(last) == [f"Account {n:03}" for n in range(100, 120)]
    assert "Responsible officer has left" in first.content.decode()


@pytest.fixture
def register(people, service_area, other_service_area):
    zebedee = PersonFactory(
        first_name="Zebedee", last_name="Quill", service_area=other_service_area, roles=[Role.OFFICER]
    )
    return {
        "bins": AccountFactory(
            display_name="Northfield Bins",
            handle="@NorthfieldBins",
            service_area=service_area,
            responsible_officer=people["officer"],
            deputy=people["reviewer"],
            last_activity_at=timezone.now(),
        ),
        "libraries": AccountFactory(
            display_name="Libraries on Facebook",
            platform="facebook",
            handle="northfieldlibraries",
            service_area=other_service_area,
            responsible_officer=zebedee,
            status=S.DORMANT,
        ),
        "summer": AccountFactory(
            display_name="Summer Reading Challenge",
            platform="instagram",
            handle="northfield_reads",
            kind="campaign",
            service_area=other_service_area,
            responsible_officer=zebedee,
            two_factor_enabled=True,
            status=S.REQUESTED,
            last_activity_at=timezone.now(),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Libraries on Facebook", "Northfield Bins", "Summer Reading Challenge"]),
        ({"q": "bins"}, ["Northfield Bins"]),
        ({"q": "@northfield_READS"}, ["Summer Reading Challenge"]),
        ({"q": "quill"}, ["Libraries on Facebook", "Summer Reading Challenge"]),
        ({"q": "zebedee summer"}, ["Summer Reading Challenge"]),
        ({"q": "nothing-like-this"}, []),
        ({"platform": "facebook"}, ["Libraries on Facebook"]),
        ({"status": "requested"}, ["Summer Reading Challenge"]),
        ({"kind": "campaign"}, ["Summer Reading Challenge"]),
        ({"flag": "no_activity"}, ["Libraries on Facebook"]),
        ({"flag": "no_deputy"}, ["Libraries on Facebook"]),
        ({"flag": "no_two_factor"}, ["Libraries on Facebook", "Northfield Bins"]),
        ({"sort": "status"}, ["Northfield Bins", "Libraries on Facebook", "Summer Reading Challenge"]),
    ],
)
def test_search_and_each_filter_narrow_the_register(clients, register, query, expected):
    response = clients["comms"].get(url("list"), query)
    assert names_listed(response) == expected
    if not expected:
        assert "No accounts match these filters" in response.content.decode()


def test_the_service_area_filter(clients, register, service_area):
    response = clients["comms"].get(url("list"), {"service_area": service_area.pk})
    assert names_listed(response) == ["Northfield Bins"]


def test_the_training_flag_is_offered_when_the_training_app_computes_it(clients, register):
    page = clients["comms"].get(url("list")).content.decode()
    assert 'value="no_deputy"' in page
    assert ('value="untrained"' in page) == apps.is_installed("training")


def test_my_accounts_are_those_i_run_deputise_on_or_asked_for(clients, people, register, service_area):
    asked = AccountFactory(
        display_name="Asked for", service_area=service_area, requested_by=people["reviewer"]
    )
    assert names_listed(clients["officer"].get(url("mine"))) == ["Northfield Bins"]
    assert names_listed(clients["reviewer"].get(url("mine"))) == [asked.display_name, "Northfield Bins"]
    assert names_listed(clients["comms"].get(url("mine"))) == []


# Forms


def request_data(people, service_area, **changes) -> dict:
    return {
        "platform": "x",
        "handle": "@NorthfieldParks",
        "profile_url": "",
        "display_name": "Northfield Parks",
        "kind": "service",
        "service_area": service_area.pk,
        "purpose": "Events in the parks.",
        "audience": "Families in the borough",
        "responsible_officer": people["officer"].pk,
        "posting_frequency": "weekly",
        "credentials_location": "Council password manager, vault Social media",
        **changes,
    }


def test_an_officer_requests_an_account_and_comms_are_told(clients, people, service_area):
    response = clients["officer"].post(url("request"), request_data(people, service_area))
    account = Account.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", account.pk)
    assert (account.status, account.requested_by, account.handle_key) == (
        S.REQUESTED,
        people["officer"],
        "northfieldparks",
    )
    assert people["comms"].notifications.filter(subject__contains="Northfield Parks").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credentials_location": "password: Summer2024!"}, "This looks like a password"),
        (
            {"profile_url": "https://www.facebook.com/northfieldparks", "handle": ""},
            "This is a Facebook link",
        ),
        ({"handle": "https://twitter.com/northfieldbins/"}, "already in the register"),
    ],
)
def test_the_form_keeps_what_was_typed_when_it_is_refused(
    clients, people, service_area, account, changes, message
):
    data = request_data(people, service_area, display_name="Parks & Open Spaces", **changes)
    response = clients["officer"].post(url("request"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Parks &amp; Open Spaces"' in page
    assert "Events in the parks." in page
    assert Account.objects.count() == 1


def test_an_officer_cannot_change_governance_with_a_hand_made_post(clients, people, account):
    data = form_data(
        account,
        purpose="Bin days and recycling.",
        managed_by_comms=True,
        review_required=False,
        responsible_officer=people["reviewer"].pk,
    )
    assert clients["officer"].post(url("edit", account.pk), data).status_code == 302
    account.refresh_from_db()
    assert account.purpose == "Bin days and recycling."
    assert (account.managed_by_comms, account.review_required, account.responsible_officer) == (
        False,
        True,
        people["officer"],
    )


def test_an_edit_from_an_out_of_date_page_is_refused_keeping_what_was_typed(clients, account):
    stale = account.version
    clients["comms"].post(url("edit", account.pk), form_data(account, purpose="First.", version=stale))
    response = clients["officer"].post(
        url("edit", account.pk), form_data(account, purpose="Second.", version=stale)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this account" in page and "Second." in page
    assert Account.objects.get(pk=account.pk).purpose == "First."

    # Saving again from that page is a deliberate overwrite of the newer version.
    [version] = re.findall(r'name="version" value="(\d+)"', page)
    assert int(version) == Account.objects.get(pk=account.pk).version
    response = clients["officer"].post(
        url("edit", account.pk), form_data(account, purpose="Second.", version=version)
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=account.pk).purpose == "Second."


def test_declining_without_a_reason_is_refused_on_the_page(clients, requested):
    response = clients["comms"].post(url("decide", requested.pk), {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and "Say why the request is declined" in response.content.decode()
    assert Account.objects.get(pk=requested.pk).status == S.REQUESTED


def test_comms_add_an_account_that_already_runs(clients, people, service_area):
    data = {**request_data(people, service_area), "response_time_hours": 8, "existing": "yes"}
    response = clients["comms"].post(url("request"), data)
    assert response.status_code == 302
    account = Account.objects.get()
    assert (account.status, account.response_time_hours, account.review_required) == (S.ACTIVE, 8, False)


def test_the_handover_page_lists_leavers_with_open_accounts(clients, people, service_area):
    leaver = PersonFactory(
        first_name="Gone", last_name="Away", service_area=service_area, left_on=datetime.date(2025, 1, 1)
    )
    closed_only = PersonFactory(
        first_name="Long", last_name="Gone", service_area=service_area, left_on=datetime.date(2024, 1, 1)
    )
    AccountFactory(service_area=service_area, responsible_officer=leaver, status=S.DORMANT)
    AccountFactory(service_area=service_area, responsible_officer=closed_only, status=S.CLOSED)
    page = clients["comms"].get(url("handover")).content.decode()
    assert "Gone Away" in page and "Long Gone" not in page


# Export


@pytest.fixture
def exported(people, service_area, other_service_area):
    AccountFactory(display_name="Northfield Bins", handle="@NorthfieldBins", service_area=service_area)
    AccountFactory(
        display_name="Libraries on Facebook",
        platform="facebook",
        handle="northfieldlibraries",
        service_area=other_service_area,
    )


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_export_is_a_download_of_the_register(clients, exported):
    response = clients["auditor"].get(url("export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="social-media-accounts-')
    rows = csv_rows(response)
    assert {r["Display name"] for r in rows} == {"Northfield Bins", "Libraries on Facebook"}
    assert {r["Service area"] for r in rows} == {"Waste and Recycling", "Libraries"}


def test_the_export_holds_only_the_accounts_listed(clients, exported):
    rows = csv_rows(clients["comms"].get(url("export_csv"), {"platform": "facebook"}))
    assert [r["Display name"] for r in rows] == ["Libraries on Facebook"]
    rows = csv_rows(clients["comms"].get(url("export_csv"), {"q": "nothing-like-this"}))
    assert rows == []


def test_the_xlsx_export(clients, exported):
    response = clients["comms"].get(
        url("export_xlsx"), {"platform": "x"}
    )  # not a search: officers have made-up names
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[rows[0].index("Display name")] for row in rows[1:]] == ["Northfield Bins"]


def test_home_page_items_speak_to_each_role(clients, people, service_area):
    AccountFactory(
        service_area=service_area,
        responsible_officer=people["officer"],
        last_activity_at=None,
        created_at=timezone.now() - datetime.timedelta(days=400),
    )
    officer = clients["officer"].get("/").content.decode()
    auditor = clients["auditor"].get("/").content.decode()
    head = clients["head_of_service"].get("/").content.decode()
    assert "of your accounts has no recent activity" in officer
    assert "account has no recent activity" in auditor and "your accounts" not in auditor
    assert "account in your service area has no recent activity" in head


def test_the_account_page_makes_the_same_queries_however_long_its_past(
    clients, people, service_area, assert_flat_queries
):
    account = AccountFactory(service_area=service_area, status=S.REQUESTED)

    def grow():
        services.account_approve(account=account, by=people["comms"])
        services.account_activate(account=account, by=people["comms"])
        for n in range(5):
            services.account_record_check(
                account=account,
                by=people["comms"],
                checked_on=datetime.date(2026, 1, n + 1),
                posts_last_30_days=n,
            )

    assert_flat_queries(lambda: clients["comms"].get(url("detail", account.pk)), grow, at_most=6)


def test_comms_home_page_lists_requests_to_decide(clients, service_area):
    AccountFactory(service_area=service_area, status=S.REQUESTED)
    page = clients["comms"].get(reverse("home")).content.decode()
    assert "account request to decide" in page
