"""The register's daily journeys in the browser: a spreadsheet imported through its preview, an
export imported back unchanged, and some of a leaver's accounts handed over. axe-core on every page."""

import csv
import datetime

from playwright.sync_api import expect

from accounts_registry.models import Account, AccountImport, AccountStatusChange
from organisation.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import AccountFactory, PersonFactory


def test_import_a_spreadsheet_through_its_preview(page, live_server, people, service_area, tmp_path):
    existing = AccountFactory(
        platform="x",
        handle="NorthfieldLibs",
        service_area=service_area,
        responsible_officer=people["officer"],
    )
    spreadsheet = tmp_path / "accounts.csv"
    with spreadsheet.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Platform",
                "Handle",
                "Display name",
                "Service area",
                "Purpose",
                "Audience",
                "Responsible officer's email",
            ]
        )
        writer.writerow(
            [
                "Instagram",
                "@northfield_bins",
                "Northfield Bins",
                "Waste and Recycling",
                "Collection days",
                "Residents",
                "officer@northfield.gov.uk",
            ]
        )
        writer.writerow(["X (Twitter)", "x.com/NorthfieldLibs/", "", "", "Library news", "", ""])

    sign_in(page, live_server, people["comms"].email)
    page.goto(f"{live_server.url}/accounts-register/")
    page.get_by_role("link", name="Import a spreadsheet").click()
    expect(page.locator("h1")).to_have_text("Import accounts from a spreadsheet")
    assert_accessible(page)
    page.get_by_label("Upload a spreadsheet of accounts").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.locator("h1")).to_have_text("Check the import before it is saved")
    expect(page.locator('tr[data-row="2"]')).to_contain_text("New account")
    expect(page.locator('tr[data-row="3"]')).to_contain_text("Purpose:")
    expect(page.locator('tr[data-row="3"]')).to_contain_text("Library news")
    assert_accessible(page)
    assert not Account.objects.filter(handle_key="northfield_bins").exists()  # nothing saved yet

    page.get_by_role("button", name="Confirm and save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "1 account added, 1 changed, 0 unchanged"
    )
    assert Account.objects.get(handle_key="northfield_bins").responsible_officer == people["officer"]
    existing.refresh_from_db()
    assert existing.purpose == "Library news" and existing.version == 2


def test_an_export_imported_back_changes_nothing(page, live_server, people, service_area, ward, tmp_path):
    AccountFactory(platform="x", handle="NorthfieldBins", service_area=service_area, deputy=people["comms"])
    AccountFactory(
        platform="facebook",
        handle="NorthfieldRecycles",
        service_area=service_area,
        display_name="=Recycling (not a formula)",
    )
    AccountFactory(
        platform="instagram",
        handle="cllr_riverside",
        kind="councillor",
        service_area=None,
        ward=ward,
        responsible_officer=people["councillor"],
    )
    before = list(Account.objects.order_by("pk").values())

    sign_in(page, live_server, people["comms"].email)
    page.goto(f"{live_server.url}/accounts-register/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    exported = tmp_path / download.value.suggested_filename  # social-media-accounts-<date>.xlsx
    download.value.save_as(exported)
    page.goto(f"{live_server.url}/accounts-register/import/")
    page.get_by_label("Upload a spreadsheet of accounts").set_input_files(str(exported))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.locator("h1")).to_have_text("Check the import before it is saved")
    expect(page.locator("tr[data-what]")).to_have_count(3)
    expect(page.locator('tr[data-what="unchanged"]')).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "0 accounts added, 0 changed, 3 unchanged"
    )
    assert list(Account.objects.order_by("pk").values()) == before
    assert AccountImport.objects.get().content is None


def test_hand_over_some_of_a_leavers_accounts(page, live_server, people, service_area):
    leaver = PersonFactory(
        first_name="Gone",
        last_name="Away",
        service_area=service_area,
        left_on=datetime.date(2025, 1, 1),
        roles=[Role.OFFICER],
    )
    bins = AccountFactory(
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=leaver,
        deputy=people["officer"],
    )
    parks = AccountFactory(
        display_name="Northfield Parks", service_area=service_area, responsible_officer=leaver
    )

    sign_in(page, live_server, people["comms"].email)
    page.goto(f"{live_server.url}/accounts-register/{bins.pk}/")
    page.get_by_role("link", name="Transfer the account").click()
    expect(page.locator("h1")).to_have_text("Hand over Gone Away's accounts")
    expect(page.get_by_label("Northfield Bins", exact=False)).to_be_checked()
    expect(page.get_by_label("Northfield Parks", exact=False)).not_to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Who takes over these accounts?")
    assert_accessible(page)
    page.get_by_label("Who takes them over?").select_option(
        label=f"{people['officer']} (Officer, Waste and Recycling)"
    )
    page.get_by_role("button", name="Hand them over").click()

    # The officer was the deputy: who deputises now?
    expect(page.locator("h1")).to_have_text("Who becomes the deputy?")
    assert_accessible(page)
    page.get_by_role("button", name="Hand them over").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose who becomes the deputy of Northfield Bins"
    )
    assert_accessible(page)
    page.get_by_label("Who becomes the deputy of Northfield Bins").select_option(
        label=f"{people['reviewer']} (Officer, Reviewer, Waste and Recycling)"
    )
    page.get_by_role("button", name="Hand them over").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 account handed over.")
    bins.refresh_from_db()
    assert (bins.responsible_officer, bins.deputy) == (people["officer"], people["reviewer"])
    assert Account.objects.get(pk=parks.pk).responsible_officer == leaver
    assert AccountStatusChange.objects.filter(account=bins, action="handed_over").exists()
    page.goto(f"{live_server.url}/accounts-register/{bins.pk}/")
    expect(page.locator("main")).to_contain_text("Handed over from Gone Away to")
