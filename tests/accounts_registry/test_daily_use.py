"""The register's pages for daily use: import with a preview, the summary, handover of chosen accounts,
forms whose errors name their question, and a query guard on every list and detail page."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts_registry import services
from accounts_registry.models import Account, AccountImport, AccountStatus, AccountStatusChange, ImportStatus
from organisation.models import Role, User
from tests.factories import AccountFactory, PersonFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db
S = AccountStatus

COMMS_ONLY = {
    "comms": 200,
    "auditor": 403,
    "officer": 403,
    "reviewer": 403,
    "head_of_service": 403,
    "councillor": 403,
    "outsider": 403,
}
COMMS_AND_AUDITOR = {**COMMS_ONLY, "auditor": 200}


def url(name: str, *args) -> str:
    return reverse(f"accounts:{name}", args=args)


def upload(client, rows: list[dict], name: str = "accounts.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    file = SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")
    return client.post(url("import"), {"spreadsheet": file})


def bins(**changes) -> dict:
    return {
        "Platform": "X (Twitter)",
        "Handle": "NfieldBins",
        "Display name": "Northfield Bins",
        "Service area": "Waste and Recycling",
        "Purpose": "Collection days",
        "Audience": "Residents",
        "Responsible officer's email": "officer@northfield.gov.uk",
        **changes,
    }


# Import pages


@pytest.mark.parametrize(
    "name", ["import", "import_template_csv", "import_template_xlsx", "import_allowed_values"]
)
def test_the_import_pages_are_for_comms(assert_statuses, name):
    assert_statuses(url(name), COMMS_ONLY)


def test_the_import_link_and_the_import_ask_the_same_permission(clients):
    link = f'href="{url("import")}"'
    for persona in COMMS_ONLY:
        page = clients[persona].get(url("list"))
        shown = page.status_code == 200 and link in page.content.decode()
        assert shown == (clients[persona].get(url("import")).status_code == 200), persona


def test_upload_preview_confirm(clients, people, service_area):
    response = upload(clients["comms"], [bins(), bins(Handle="NfieldBins2", **{"Display name": "Bins two"})])
    made = AccountImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("import_preview", made.pk)
    page = clients["comms"].get(url("import_preview", made.pk)).content.decode()
    assert page.count('data-what="new"') == 2 and "Confirming adds 2 accounts and changes 0" in page
    assert not Account.objects.exists()

    response = clients["comms"].post(url("import_confirm", made.pk))

    assert response.status_code == 302 and response["Location"] == url("list")
    assert Account.objects.count() == 2
    assert "2 accounts added, 0 changed, 0 unchanged" in clients["comms"].get(url("list")).content.decode()


def test_a_bad_file_lists_every_problem_on_the_upload_page(clients, people, service_area):
    response = upload(
        clients["comms"],
        [bins(), bins(Handle="NfieldTwo", **{"Responsible officer's email": "nobody@northfield.gov.uk"})],
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Nothing was saved: 1 problem in 1 row." in page
    assert re.search(r"<td[^>]*>3</td><td[^>]*>Responsible officer&#x27;s email</td>", page)
    assert "nobody with the address nobody@northfield.gov.uk is in the list of people." in page
    assert not AccountImport.objects.exists() and not Account.objects.exists()


def test_the_upload_form_refuses_other_files_by_name_and_size(clients, people, monkeypatch):
    page = (
        clients["comms"]
        .post(
            url("import"),
            {"spreadsheet": SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")},
        )
        .content.decode()
    )
    assert "The selected file must be a CSV file or an Excel workbook (.xlsx)" in page
    page = clients["comms"].post(url("import"), {"spreadsheet": ""}).content.decode()
    assert "Choose a CSV or Excel file to upload" in page and "This field is required" not in page
    monkeypatch.setattr("accounts_registry.sheet.MAX_BYTES", 10)
    page = (
        clients["comms"]
        .post(url("import"), {"spreadsheet": SimpleUploadedFile("a.csv", b"Platform,Handle\nx,NfieldBins\n")})
        .content.decode()
    )
    assert "The selected file must be smaller than" in page


def test_a_stale_preview_is_refused_on_the_page_and_can_be_previewed_again(clients, people, service_area):
    account = AccountFactory(
        handle="NfieldBins", service_area=service_area, responsible_officer=people["officer"]
    )
    upload(clients["comms"], [{"Platform": "x", "Handle": "NfieldBins", "Purpose": "From the file"}])
    made = AccountImport.objects.get()
    services.account_update(account=account, by=people["officer"], version=1, changes={"purpose": "Typed"})

    page = clients["comms"].post(url("import_confirm", made.pk)).content.decode()

    assert "changed since you previewed the file: preview it again." in page
    assert "Confirm and save" not in page
    assert Account.objects.get(pk=account.pk).purpose == "Typed"
    clients["comms"].post(url("import_again", made.pk))
    page = clients["comms"].get(url("import_preview", made.pk)).content.decode()
    assert "Typed" in page and "Confirm and save" in page
    clients["comms"].post(url("import_confirm", made.pk))
    assert Account.objects.get(pk=account.pk).purpose == "From the file"


def test_an_upload_is_seen_only_by_who_made_it(clients, people, service_area, assert_statuses):
    upload(clients["comms"], [bins()])
    made = AccountImport.objects.get()
    other = Client()
    other.force_login(PersonFactory(roles=[Role.COMMS]), backend="django.contrib.auth.backends.ModelBackend")
    assert other.get(url("import_preview", made.pk)).status_code == 404
    assert other.post(url("import_confirm", made.pk)).status_code == 404
    assert_statuses(url("import_preview", made.pk), COMMS_ONLY)
    clients["comms"].post(url("import_discard", made.pk))
    made.refresh_from_db()
    assert made.status == ImportStatus.DISCARDED and not Account.objects.exists()
    assert "Import discarded" in clients["comms"].get(url("import_preview", made.pk)).content.decode()


def test_the_preview_page_makes_the_same_queries_for_3_rows_as_for_300(
    clients, people, service_area, assert_flat_queries
):
    upload(clients["comms"], [bins(Handle=f"NfieldSmall{n}") for n in range(3)])
    made = AccountImport.objects.get()

    def grow():
        old = [
            AccountFactory(service_area=service_area, responsible_officer=people["officer"])
            for _ in range(20)
        ]
        rows = [bins(Handle=f"NfieldBig{n}") for n in range(280)]
        rows += [{**bins(Handle=a.handle), "Purpose": "Changed"} for a in old]
        made.content = _csv(rows)
        made.save()
        services.accounts_import_preview_again(upload=made, by=people["comms"])

    assert_flat_queries(lambda: clients["comms"].get(url("import_preview", made.pk)), grow, at_most=8)
    assert_flat_queries(
        lambda: clients["comms"].get(url("import_preview", made.pk), {"show": "changed", "page": 1}),
        grow,
        at_most=8,
    )
    assert (
        'data-row="301"' in clients["comms"].get(url("import_preview", made.pk), {"page": 4}).content.decode()
    )


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# The summary


def test_the_summary_is_for_comms_and_auditors(assert_statuses):
    assert_statuses(url("summary"), COMMS_AND_AUDITOR)


def test_the_summary_counts_and_links_each_figure_to_the_register(clients, people, service_area, ward):
    AccountFactory.create_batch(2, service_area=service_area)
    AccountFactory(service_area=service_area, status=S.DORMANT, platform="facebook", handle="NfieldDormant")
    AccountFactory(kind="corporate", service_area=None)
    page = clients["auditor"].get(url("summary")).content.decode()

    link = f"{url('list')}?platform=x&amp;status=active"
    assert re.search(rf'href="{re.escape(link)}">3<', page)
    area = f"{url('list')}?service_area={service_area.pk}&amp;status=dormant"
    assert re.search(rf'href="{re.escape(area)}">1<', page)
    assert "No service area (corporate or councillor)" in page
    # The links lead to exactly the accounts counted.
    listed = clients["auditor"].get(url("list"), {"service_area": "null"}).content.decode()
    assert "1 account<" in listed
    listed = clients["auditor"].get(url("list"), {"platform": "x", "status": "active"}).content.decode()
    assert "3 accounts<" in listed


def test_the_summary_counts_in_the_database(clients, people, assert_flat_queries):
    def grow():
        for n in range(6):
            area = ServiceAreaFactory()
            AccountFactory(service_area=area, platform=["x", "facebook", "tiktok"][n % 3])

    grow()
    assert_flat_queries(lambda: clients["comms"].get(url("summary")), grow, at_most=8)


# Handover


@pytest.fixture
def leaver(service_area):
    return PersonFactory(
        first_name="Gone",
        last_name="Away",
        service_area=service_area,
        left_on=datetime.date(2025, 1, 1),
        roles=[Role.OFFICER],
    )


def test_handing_over_some_accounts_to_someone_who_may_run_them(
    clients, people, service_area, other_service_area, leaver
):
    bins_ = AccountFactory(display_name="Bins", service_area=service_area, responsible_officer=leaver)
    parks = AccountFactory(display_name="Parks", service_area=service_area, responsible_officer=leaver)
    PersonFactory(
        first_name="Libby", last_name="Rarian", service_area=other_service_area, roles=[Role.OFFICER]
    )

    page = clients["comms"].get(url("transfer", leaver.pk)).content.decode()
    assert "Bins" in page and "Parks" in page and "checked" not in page
    response = clients["comms"].get(url("transfer", leaver.pk), {"accounts": [bins_.pk], "continue": "1"})
    assert response.status_code == 302
    step_two = response["Location"]
    page = clients["comms"].get(step_two).content.decode()
    assert "Choose a person" in page
    assert f"{people['officer']} (Officer, Waste and Recycling)" in page
    assert escape(f"{people['comms']} (Communications, Waste and Recycling)") in page
    assert "Libby Rarian" not in page and "Gone Away (" not in page  # may not run it; is leaving

    response = clients["comms"].post(step_two, {"to_person": people["officer"].pk})

    assert response.status_code == 302
    assert Account.objects.get(pk=bins_.pk).responsible_officer == people["officer"]
    assert Account.objects.get(pk=parks.pk).responsible_officer == leaver
    assert AccountStatusChange.objects.get(account=bins_, action="handed_over").actor == people["comms"]


def test_choosing_no_account_says_so(clients, leaver, service_area):
    AccountFactory(service_area=service_area, responsible_officer=leaver)
    page = clients["comms"].get(url("transfer", leaver.pk), {"continue": "1"}).content.decode()
    assert "Choose at least one account to hand over" in page


def test_handing_an_account_to_its_deputy_asks_who_becomes_the_deputy(clients, people, service_area, leaver):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver, deputy=people["officer"])
    step_two = f"{url('transfer_to', leaver.pk)}?accounts={account.pk}"

    response = clients["comms"].post(step_two, {"to_person": people["officer"].pk})

    assert response.status_code == 302 and "/deputies/" in response["Location"]
    assert Account.objects.get(pk=account.pk).responsible_officer == leaver  # nothing yet
    page = clients["comms"].get(response["Location"]).content.decode()
    assert f"Who becomes the deputy of {account.display_name}" in page and "No deputy for now" in page
    empty = clients["comms"].post(response["Location"], {"submit": "1"}).content.decode()
    assert f"Choose who becomes the deputy of {account.display_name}" in empty
    clients["comms"].post(response["Location"], {f"deputy_{account.pk}": people["reviewer"].pk})
    account.refresh_from_db()
    assert (account.responsible_officer, account.deputy) == (people["officer"], people["reviewer"])


def test_the_account_page_links_its_transfer_advice_to_the_handover(clients, people, service_area, leaver):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver)
    page = clients["comms"].get(url("detail", account.pk)).content.decode()
    link = f"{url('transfer', leaver.pk)}?account={account.pk}"
    assert f'href="{link}"' in page
    ticked = clients["comms"].get(link).content.decode()
    assert re.search(rf'value="{account.pk}"[^>]*checked', ticked)
    assert f'href="{link}"' not in clients["auditor"].get(url("detail", account.pk)).content.decode()


def test_handover_pages_make_the_same_queries_however_many_accounts(
    clients, people, service_area, leaver, assert_flat_queries
):
    first = AccountFactory(service_area=service_area, responsible_officer=leaver)

    def grow():
        for _ in range(5):
            AccountFactory(service_area=service_area, responsible_officer=leaver, deputy=people["officer"])
            PersonFactory(service_area=service_area, roles=[Role.OFFICER])
            PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))

    pks = lambda: "&".join(f"accounts={a.pk}" for a in Account.objects.filter(responsible_officer=leaver))  # noqa: E731
    assert_flat_queries(lambda: clients["comms"].get(url("handover")), grow, at_most=8)
    assert_flat_queries(lambda: clients["comms"].get(url("transfer", leaver.pk)), grow, at_most=8)
    assert_flat_queries(
        lambda: clients["comms"].get(f"{url('transfer_to', leaver.pk)}?{pks()}"), grow, at_most=10
    )
    deputies = f"{url('transfer_deputies', leaver.pk)}?to={people['officer'].pk}"
    assert_flat_queries(lambda: clients["comms"].get(f"{deputies}&{pks()}"), grow, at_most=10)
    assert first.pk


# Query guards on the register's lists and the account page


@pytest.mark.parametrize("name", ["list", "mine"])
def test_the_register_lists_make_the_same_queries_at_any_size(
    clients, people, service_area, assert_flat_queries, name
):
    def grow():
        for n in range(8):
            officer = PersonFactory(service_area=service_area, roles=[Role.OFFICER])
            AccountFactory(
                service_area=service_area,
                responsible_officer=people["officer"] if n % 2 else officer,
                deputy=people["reviewer"] if n % 3 else None,
            )

    grow()
    assert_flat_queries(lambda: clients["officer"].get(url(name)), grow, at_most=10)
    assert_flat_queries(lambda: clients["comms"].get(url(name)), grow, at_most=10)


def test_the_account_page_makes_the_same_queries_however_much_it_has(
    clients, people, service_area, assert_flat_queries
):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])

    def grow():
        services.accounts_hand_over(
            from_person=account.responsible_officer,
            to_person=people["comms"],
            accounts=[account.pk],
            by=people["comms"],
        )
        services.accounts_hand_over(
            from_person=people["comms"],
            to_person=people["officer"],
            accounts=[account.pk],
            by=people["comms"],
        )

    assert_flat_queries(lambda: clients["comms"].get(url("detail", account.pk)), grow, at_most=12)


# Forms


def error_messages(page: str) -> list[str]:
    summary = page.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)


def test_an_empty_request_names_each_missing_answer(clients):
    page = clients["officer"].post(url("request"), {"submit": "1"}).content.decode()
    assert error_messages(page) == [
        "Choose the account&#x27;s platform",
        "Enter the account&#x27;s display name",
        "Choose what kind of account it is",
        "Enter what the account is for",
        "Enter who the account is for",
        "Choose the person responsible for the account",
        "Choose how often the account is expected to post",
    ]
    assert "This field is required" not in page


def test_every_register_form_names_its_field_in_errors(clients, people, service_area):
    account = AccountFactory(
        service_area=service_area, responsible_officer=people["officer"], status=S.REQUESTED
    )
    active = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    leaver = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))
    AccountFactory(service_area=service_area, responsible_officer=leaver)
    pages = {
        url("decide", account.pk): {"reason": ""},
        url("status", active.pk): {"reason": ""},
        url("check", active.pk): {
            "checked_on_0": "31",
            "checked_on_1": "2",
            "checked_on_2": "2026",
            "posts_last_30_days": "many",
        },
        url("edit", active.pk): {"response_time_hours": "soon"},
        url("transfer_to", leaver.pk) + f"?accounts={Account.objects.get(responsible_officer=leaver).pk}": {
            "to_person": ""
        },
    }
    for address, data in pages.items():
        page = clients["comms"].post(address, data).content.decode()
        messages = error_messages(page)
        assert messages, address
        assert "This field is required" not in page and "Enter a whole number." not in page, address
    check = clients["comms"].post(url("check", active.pk), pages[url("check", active.pk)]).content.decode()
    assert error_messages(check) == [
        "The date of the check must be a real date",
        "Posts in the last 30 days must be a whole number, like 16",
    ]


def test_the_activity_check_takes_a_date_in_three_boxes_starting_today(clients, people, service_area):
    account = AccountFactory(service_area=service_area)
    today = timezone.localdate()
    page = clients["comms"].get(url("check", account.pk)).content.decode()
    assert 'class="govuk-date-input"' in page and 'inputmode="numeric"' in page
    assert f'name="checked_on_0" value="{today.day}"' in page
    assert f'name="checked_on_2" value="{today.year}"' in page
    missing_month = {
        "checked_on_0": "3",
        "checked_on_1": "",
        "checked_on_2": "2026",
        "posts_last_30_days": "4",
    }
    page = clients["comms"].post(url("check", account.pk), missing_month).content.decode()
    assert error_messages(page) == ["The date of the check must include a month"]
    good = {"checked_on_0": "3", "checked_on_1": "2", "checked_on_2": "2026", "posts_last_30_days": "4"}
    assert clients["comms"].post(url("check", account.pk), good).status_code == 302
    assert account.activity_checks.get().checked_on == datetime.date(2026, 2, 3)


def test_the_request_form_chooses_nobody_for_the_requester(clients, people):
    page = clients["officer"].get(url("request")).content.decode()
    officer_select = page.split('name="responsible_officer"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option value="" selected>Choose a person</option>', officer_select)
    assert " selected" not in officer_select.replace('<option value="" selected>', "")
    assert f"{people['officer']} (Officer, Waste and Recycling)" in officer_select


# The demo council


def test_the_demo_officer_runs_accounts_of_their_own_service_and_may_edit_them():
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())  # twice: nothing moves or doubles
    officer = User.objects.get(email="officer@northfield.gov.uk")
    theirs = Account.objects.filter(responsible_officer=officer, kind="service")
    assert officer.service_area.code == "waste-and-recycling"
    assert theirs.count() >= 2
    assert set(theirs.values_list("service_area", flat=True)) == {officer.service_area_id}
    for account in theirs.exclude(status=S.REQUESTED):
        services.account_update(
            account=account, by=officer, version=account.version, changes={"purpose": "Checked."}
        )
