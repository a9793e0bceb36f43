"""Importing the existing spreadsheet of accounts, and exporting the register in the same columns."""

import pytest
import tablib

from accounts_registry.models import Account, AccountStatus
from accounts_registry.resources import AccountResource
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "platform,handle,profile_url,display_name,kind,service_area,ward,purpose,audience,responsible_officer,"
    "deputy,managed_by_comms,posting_frequency,review_required,response_time_hours,two_factor_enabled,"
    "credentials_location\n"
)
BINS = (
    "X (Twitter),@NorthfieldBins,,Northfield Bins,Service area,waste,,Collection days,Residents,"
    "officer@northfield.gov.uk,reviewer@northfield.gov.uk,no,daily,yes,8,yes,Council password manager\n"
)
RECYCLES = (
    "facebook,,https://www.facebook.com/NorthfieldRecycles/,Northfield Recycles,service,Waste and Recycling,,"
    "Recycling tips,Residents,OFFICER@northfield.gov.uk,,yes,weekly,no,16,no,\n"
)


# AccountResource.init_instance assigns the protected FSM status after Account() is built, so every new row
# fails with "Direct status modification is not allowed".


def run_import(text: str, dry_run: bool = False):
    dataset = tablib.Dataset().load(HEADER + text, format="csv")
    return AccountResource().import_data(dataset, dry_run=dry_run)


def row_errors(result) -> dict[int, str]:
    """Row number (1 = the first row after the header) -> every message about that row."""
    errors = {
        row.number: " ".join(str(m) for messages in row.error_dict.values() for m in messages)
        for row in result.invalid_rows
    }
    for number, row in result.row_errors():
        errors[number] = " ".join([errors.get(number, ""), *(str(e.error) for e in row)])
    return errors


def assert_clean(result) -> None:
    assert row_errors(result) == {}
    assert not result.has_errors() and not result.has_validation_errors()


def test_a_good_file_registers_active_accounts(people, service_area):
    result = run_import(BINS + RECYCLES)

    assert_clean(result)
    bins = Account.objects.get(platform="x")
    assert (bins.handle, bins.handle_key, bins.profile_url) == (
        "@NorthfieldBins",
        "northfieldbins",
        "https://x.com/NorthfieldBins",
    )
    assert (bins.status, bins.service_area, bins.responsible_officer, bins.deputy) == (
        AccountStatus.ACTIVE,
        service_area,
        people["officer"],
        people["reviewer"],
    )
    assert (bins.posting_frequency, bins.response_time_hours, bins.review_required) == ("daily", 8, True)
    assert (bins.two_factor_enabled, bins.managed_by_comms) == (True, False)
    recycles = Account.objects.get(platform="facebook")
    assert (recycles.handle_key, recycles.responsible_officer) == ("northfieldrecycles", people["officer"])
    assert (recycles.managed_by_comms, recycles.review_required) == (True, False)


def test_a_dry_run_previews_without_saving(people, service_area):
    result = run_import(BINS + RECYCLES, dry_run=True)
    assert_clean(result)
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert not Account.objects.exists()


def test_importing_again_updates_rather_than_duplicates(people, service_area):
    existing = AccountFactory(
        handle="NorthfieldBins", display_name="Bins", service_area=service_area, purpose="Old purpose"
    )
    result = run_import(
        BINS.replace("X (Twitter),@NorthfieldBins,,", "x,,https://twitter.com/northfieldbins/,").replace(
            "Collection days", "Bin days"
        )
    )

    assert_clean(result)
    assert [row.import_type for row in result.rows] == ["update"]
    account = Account.objects.get()
    assert account.pk == existing.pk
    assert (account.display_name, account.purpose) == ("Northfield Bins", "Bin days")
    assert account.version == existing.version + 1


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(people, service_area):
    rows = [
        BINS,  # row 1: good
        RECYCLES.replace("facebook,", "MySpace,", 1),  # row 2: unknown platform
        RECYCLES.replace("https://www.facebook.com/", "https://www.instagram.com/").replace(
            "facebook,", "facebook,", 1
        ),  # row 3: an Instagram link on a Facebook account
        RECYCLES.replace("OFFICER@", "nobody@"),  # row 4: unknown officer
        RECYCLES.replace("yes,weekly,no,16,no,", "yes,weekly,no,16,no,password: Summer2024!"),  # row 5
    ]
    result = run_import("".join(rows))

    errors = row_errors(result)
    assert sorted(errors) == [2, 3, 4, 5]
    assert "MySpace" in errors[2]
    assert "This is an Instagram link, not a Facebook one" in errors[3]
    assert "nobody@northfield.gov.uk" in errors[4]
    assert "This looks like a password" in errors[5]
    assert not Account.objects.exists()


def test_a_file_of_updates_with_bad_rows_changes_nothing_and_lists_every_bad_row(people, service_area):
    for handle in ("NorthfieldBins", "NfieldBins2", "NfieldBins3", "NfieldBins4"):
        AccountFactory(handle=handle, purpose="As before", service_area=service_area)
    AccountFactory(handle="NfieldBins5", purpose="As before", service_area=service_area, status="closed")
    row = BINS.replace("X (Twitter)", "x").replace("Collection days", "Changed")
    rows = [
        row,  # row 1: good
        row.replace("NorthfieldBins", "NfieldBins2").replace("officer@", "nobody@"),
        row.replace("NorthfieldBins", "NfieldBins3").replace("Council password manager", "Tr0ub4dor&3"),
        row.replace("NorthfieldBins", "NfieldBins4").replace(",yes,8,", ",perhaps,8,"),
        row.replace("NorthfieldBins", "NfieldBins5"),  # closed: no longer changed
    ]
    result = run_import("".join(rows))

    errors = row_errors(result)
    assert sorted(errors) == [2, 3, 4, 5]
    assert "nobody@northfield.gov.uk" in errors[2]
    assert "This looks like a password" in errors[3]
    assert "Write yes or no" in errors[4]
    assert "can no longer be changed" in errors[5]
    assert set(Account.objects.values_list("purpose", flat=True)) == {"As before"}


def test_an_exported_facebook_row_finds_its_account_again(people, service_area):
    account = AccountFactory(platform="facebook", handle="NorthfieldRecycles", service_area=service_area)
    [row] = AccountResource().export().dict
    assert AccountResource().get_instance(None, row) == account


def test_an_exported_x_row_finds_its_account_again(people, service_area):
    account = AccountFactory(platform="x", handle="NorthfieldBins", service_area=service_area)
    [row] = AccountResource().export().dict
    assert row["platform"] == "X (Twitter)"
    assert AccountResource().get_instance(None, row) == account


def test_export_then_import_gives_back_the_same_register(people, service_area, ward):
    AccountFactory(
        platform="x",
        handle="NorthfieldBins",
        service_area=service_area,
        responsible_officer=people["officer"],
        deputy=people["reviewer"],
        posting_frequency="daily",
        two_factor_enabled=True,
        credentials_location="Council password manager",
    )
    AccountFactory(
        platform="facebook",
        handle="NorthfieldRecycles",
        service_area=service_area,
        responsible_officer=people["officer"],
        managed_by_comms=True,
        review_required=False,
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
    exported = AccountResource().export()

    result = AccountResource().import_data(tablib.Dataset().load(exported.csv, format="csv"))

    assert_clean(result)
    assert {row.import_type for row in result.rows} == {"update"}
    after = list(Account.objects.order_by("pk").values())
    assert [{**row, "version": None} for row in after] == [{**row, "version": None} for row in before]


def test_an_exported_register_imports_into_an_empty_one(people, service_area):
    AccountFactory(platform="facebook", handle="NorthfieldRecycles", service_area=service_area)
    AccountFactory(platform="youtube", handle="@NorthfieldTV", service_area=service_area)
    exported = AccountResource().export()
    identities = set(Account.objects.values_list("platform", "handle_key", "display_name"))
    Account.objects.all().delete()

    assert_clean(AccountResource().import_data(tablib.Dataset().load(exported.csv, format="csv")))
    assert set(Account.objects.values_list("platform", "handle_key", "display_name")) == identities


def test_importing_thirty_rows_takes_a_bounded_number_of_queries(
    people, service_area, django_assert_max_num_queries
):
    for n in range(30):
        AccountFactory(handle=f"NfieldBins{n}", service_area=service_area)
    row = BINS.replace("X (Twitter)", "x")
    text = "".join(row.replace("NorthfieldBins", f"NfieldBins{n}") for n in range(30))
    with django_assert_max_num_queries(30 * 16):
        assert_clean(run_import(text))
    assert set(Account.objects.values_list("purpose", flat=True)) == {"Collection days"}


def test_text_that_a_spreadsheet_would_run_is_made_harmless_and_round_trips(people, service_area):
    account = AccountFactory(
        platform="facebook",
        handle="NorthfieldRecycles",
        service_area=service_area,
        display_name='=HYPERLINK("http://evil.example")',
    )
    exported = AccountResource().export(Account.objects.all()).export("csv")
    assert "'=HYPERLINK" in exported
    result = AccountResource().import_data(tablib.Dataset().load(exported, format="csv"))
    assert not result.has_validation_errors() and not result.has_errors()
    account.refresh_from_db()
    assert account.display_name == '=HYPERLINK("http://evil.example")'
