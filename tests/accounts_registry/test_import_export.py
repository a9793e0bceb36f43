"""The register's spreadsheet round trip: import with a preview (services.accounts_import_*), and the
export people read, which imports again unchanged."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts_registry import services, sheet
from accounts_registry.models import Account, AccountImport, AccountStatus, AccountStatusChange, ImportStatus
from organisation.models import Role, User
from tests.factories import AccountFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADINGS = [c.heading for c in sheet.TEMPLATE_COLUMNS]


def csv_file(*rows: dict, headings: list[str] = HEADINGS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def bins(**changes) -> dict:
    """A row for a new account in the Waste and Recycling service area (the `service_area` fixture)."""
    return {
        "Platform": "X (Twitter)",
        "Handle": "@NorthfieldBins",
        "Display name": "Northfield Bins",
        "Kind": "Service area",
        "Service area": "waste",
        "Purpose": "Collection days",
        "Audience": "Residents",
        "Responsible officer's email": "officer@northfield.gov.uk",
        "Deputy's email": "reviewer@northfield.gov.uk",
        "Managed by Communications": "no",
        "Expected posting frequency": "daily",
        "Every post reviewed": "yes",
        "Agreed response time (working hours)": "8",
        "Two-factor sign-in": "yes",
        "Where the sign-in details are held": "Council password manager",
        **changes,
    }


def recycles(**changes) -> dict:
    return bins(
        **{
            "Platform": "facebook",
            "Handle": "",
            "Profile link": "https://www.facebook.com/NorthfieldRecycles/",
            "Display name": "Northfield Recycles",
            "Deputy's email": "",
            **changes,
        }
    )


def preview(people, content: bytes, name: str = "accounts.csv") -> AccountImport:
    return services.accounts_import_preview(by=people["comms"], file_name=name, content=content)


def apply(people, upload: AccountImport) -> AccountImport:
    return services.accounts_import_apply(upload=upload, by=people["comms"])


def problems(people, content: bytes) -> list[str]:
    with pytest.raises(services.ImportRejected) as rejected:
        preview(people, content)
    return [str(p) for p in rejected.value.problems]


def what_rows_do(upload: AccountImport) -> list[tuple[int, str]]:
    return list(upload.preview_rows.order_by("number").values_list("number", "outcome"))


def changes_of(upload: AccountImport, number: int = 2) -> list[list]:
    return upload.preview_rows.get(number=number).changes


# Import: new accounts, changes, and nothing saved before confirming


def test_a_previewed_file_saves_nothing_until_confirmed(people, service_area):
    upload = preview(people, csv_file(bins(), recycles()))

    assert what_rows_do(upload) == [(2, "new"), (3, "new")]
    assert not Account.objects.exists()
    assert upload.status == ImportStatus.PENDING and bytes(upload.content).startswith(b"Platform")

    done = apply(people, upload)

    assert (done.status, done.content, done.new) == (ImportStatus.APPLIED, None, 2)
    assert not done.preview_rows.exists()
    account = Account.objects.get(platform="x")
    assert (account.handle, account.handle_key, account.profile_url) == (
        "@NorthfieldBins",
        "northfieldbins",
        "https://x.com/NorthfieldBins",
    )
    assert (account.status, account.service_area, account.responsible_officer, account.deputy) == (
        AccountStatus.ACTIVE,
        service_area,
        people["officer"],
        people["reviewer"],
    )
    assert (account.posting_frequency, account.response_time_hours, account.two_factor_enabled) == (
        "daily",
        8,
        True,
    )
    assert Account.objects.get(platform="facebook").handle_key == "northfieldrecycles"
    [logged] = AccountStatusChange.objects.filter(account=account)
    assert (logged.action, logged.actor, logged.to_status) == ("registered", people["comms"], "active")
    assert logged.comment == "Imported from accounts.csv."


def test_a_row_for_an_existing_account_shows_only_what_changes(people, service_area):
    account = AccountFactory(
        handle="NorthfieldBins",
        display_name="Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
        purpose="Collection days",
        audience="Residents",
    )
    upload = preview(
        people, csv_file(bins(Handle="https://twitter.com/northfieldbins/", **{"Display name": "Bins"}))
    )

    [row] = upload.preview_rows.all()
    assert (row.number, row.outcome, row.label, row.account) == (
        2,
        "changed",
        "Bins (X @NorthfieldBins)",
        account,
    )
    assert row.changes == [
        ["Deputy's email", "(none)", f"{people['reviewer']} (reviewer@northfield.gov.uk)"],
        ["Expected posting frequency", "Once a week", "Every day"],
        ["Agreed response time (working hours)", "16", "8"],
        ["Two-factor sign-in", "No", "Yes"],
        ["Where the sign-in details are held", "(none)", "Council password manager"],
    ]
    apply(people, upload)
    account.refresh_from_db()
    assert (account.deputy, account.posting_frequency, account.version) == (people["reviewer"], "daily", 2)


def test_blank_cells_leave_an_account_as_it_is_and_none_clears_a_field(people, service_area):
    account = AccountFactory(
        handle="NorthfieldBins",
        service_area=service_area,
        responsible_officer=people["officer"],
        deputy=people["reviewer"],
        purpose="Collection days",
        posting_frequency="daily",
        two_factor_enabled=True,
        credentials_location="Council password manager",
    )
    # A short spreadsheet: which account, and one new purpose. Nothing else is wiped.
    short = csv_file(
        {"Platform": "x", "Handle": "x.com/NorthfieldBins/", "Purpose": "Bin days"},
        headings=["Platform", "Handle", "Purpose"],
    )
    apply(people, preview(people, short))
    account.refresh_from_db()
    assert account.purpose == "Bin days"
    assert (account.deputy, account.posting_frequency, account.two_factor_enabled) == (
        people["reviewer"],
        "daily",
        True,
    )
    assert account.credentials_location == "Council password manager"

    cleared = csv_file(
        {
            "Platform": "x",
            "Handle": "@NorthfieldBins",
            "Deputy's email": "(none)",
            "Where the sign-in details are held": "(NONE)",
        }
    )
    upload = preview(people, cleared)
    assert changes_of(upload) == [
        ["Deputy's email", f"{people['reviewer']} (reviewer@northfield.gov.uk)", "(none)"],
        ["Where the sign-in details are held", "Council password manager", "(none)"],
    ]
    apply(people, upload)
    account.refresh_from_db()
    assert (account.deputy, account.credentials_location) == (None, "")


def test_none_cannot_empty_what_every_account_has(people, service_area):
    AccountFactory(handle="NorthfieldBins", service_area=service_area, responsible_officer=people["officer"])
    found = problems(
        people, csv_file({"Platform": "x", "Handle": "NorthfieldBins", "Display name": "(none)"})
    )
    assert found == [
        "Row 2, Display name: an account always has this, so it cannot be (none). "
        "Leave the cell blank to keep what the register holds."
    ]


def test_rows_naming_the_same_account_twice_are_refused_whatever_form_they_use(people, service_area):
    AccountFactory(handle="NorthfieldLibs", service_area=service_area, responsible_officer=people["officer"])
    found = problems(
        people,
        csv_file(
            {"Platform": "x", "Handle": "x.com/NorthfieldLibs/", "Purpose": "One"},
            bins(),
            {
                "Platform": "X (Twitter)",
                "Profile link": "https://twitter.com/northfieldlibs?s=20",
                "Purpose": "Two",
            },
            {"Platform": "Twitter", "Handle": "@NorthfieldLibs", "Purpose": "Three"},
        ),
    )
    assert found == [
        "Row 4, Profile link: row 2 names the same account (@northfieldlibs on X): an account can be in the file only once.",
        "Row 5, Handle: row 2 names the same account (@NorthfieldLibs on X): an account can be in the file only once.",
    ]
    assert Account.objects.count() == 1


def test_every_problem_of_every_row_is_listed_with_its_column_and_nothing_is_saved(people, service_area):
    AccountFactory(handle="NfieldClosed", service_area=service_area, status=AccountStatus.CLOSED)
    rows = [
        bins(),  # row 2: good
        recycles(Platform="MySpace"),  # row 3
        recycles(**{"Profile link": "https://www.instagram.com/northfieldrecycles/"}),  # row 4
        recycles(
            Handle="NfieldTwo",
            Platform="x",
            **{"Profile link": "", "Responsible officer's email": "nobody@northfield.gov.uk"},
            **{
                "Where the sign-in details are held": "password: Summer2024!",
                "Every post reviewed": "perhaps",
            },
        ),  # row 5: three problems
        {"Platform": "x", "Handle": "NfieldClosed", "Purpose": "Revived"},  # row 6: closed
        recycles(
            Handle="NfieldSix",
            Platform="x",
            **{"Profile link": "", "Display name": "", "Kind": "Councillor's official account"},
        ),
    ]
    found = problems(people, csv_file(*rows))
    assert found == [
        "Row 3, Platform: “MySpace” is not one of: X (Twitter), Facebook, Instagram, YouTube, LinkedIn, TikTok, "
        "Flickr, Nextdoor, Bluesky, Threads, WhatsApp channel, Other.",
        "Row 4, Profile link: This is an Instagram link, not a Facebook one. Choose Instagram as the platform or "
        "use the account's Facebook link.",
        "Row 5, Responsible officer's email: nobody with the address nobody@northfield.gov.uk is in the list of people.",
        "Row 5, Every post reviewed: write Yes or No, not “perhaps”.",
        "Row 5, Where the sign-in details are held: This looks like a password. Say where the sign-in details are "
        "kept (for example, the council's password manager), never the password.",
        "Row 6: This account is closed: it can no longer be edited.",
        "Row 7, Display name: a new account needs its display name.",
        "Row 7, Ward: Choose the ward of the councillor this account belongs to.",
    ]
    assert Account.objects.count() == 1


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("Purpose", "x" * 2001, "Row 2, Purpose: 2,001 characters; it can hold at most 2,000."),
        (
            "Display name",
            "Bins\x00",
            "Row 2, Display name: it holds a control character (such as a NUL): retype the cell.",
        ),
        (
            "Display name",
            "Northfield\r\nBins",
            "Row 2, Display name: enter it on one line, without line breaks",
        ),
        ("Audience", "Residents\tof the borough", "Row 2, Audience: enter it on one line"),
        ("Purpose", "Collection days\nand recycling", None),
        (
            "Agreed response time (working hours)",
            "-3",
            "write a whole number of working hours, like 16, not “-3”.",
        ),
        (
            "Agreed response time (working hours)",
            "99999",
            "The agreed response time must be from 1 to 480 working hours.",
        ),
        ("Kind", "Personal", "Row 2, Kind: “Personal” is not one of: Corporate, Service area"),
        (
            "Service area",
            "Nowhere",
            "Row 2, Service area: no service area is called “Nowhere” (nor has that code).",
        ),
    ],
)
def test_each_cell_is_bounded(people, service_area, cell, value, message):
    if message is None:  # allowed
        assert preview(people, csv_file(bins(**{cell: value}))).new == 1
        return
    [found] = problems(people, csv_file(bins(**{cell: value})))
    assert message in found


def test_a_file_that_is_not_a_register_is_refused_as_a_whole(people, service_area, monkeypatch):
    assert problems(people, b"\x89PNG\r\n\x1a\n\xff\xfe\x00") == [
        "This file is neither a CSV file (UTF-8 or Windows-1252) nor an Excel workbook."
    ]
    assert problems(people, b"PK\x03\x04 not really a workbook") == [
        "This file is not an Excel workbook that can be read (.xlsx)."
    ]
    assert problems(people, b"") == ["The file is empty: the first row must be the column headings."]
    assert "no column called “Purpse”" in problems(people, b"Platform,Handle,Purpse\nx,NfieldA,News\n")[0]
    assert "needs a Platform column" in problems(people, b"Display name,Purpose\nBins,News\n")[0]
    monkeypatch.setattr(sheet, "MAX_ROWS", 2)
    assert problems(people, csv_file(bins(), recycles(), bins(Handle="NfieldThree"))) == [
        "The file has more than 2 accounts: split it into smaller files."
    ]
    assert not AccountImport.objects.exists()


# Applying: the same rules as the edit page, and a preview that has gone stale


def test_a_confirmation_refuses_rows_whose_account_changed_since_the_preview(people, service_area):
    account = AccountFactory(
        handle="NorthfieldBins", service_area=service_area, responsible_officer=people["officer"]
    )
    upload = preview(
        people,
        csv_file({"Platform": "x", "Handle": "@NorthfieldBins", "Purpose": "From the file"}, recycles()),
    )
    services.account_update(
        account=account, by=people["officer"], version=account.version, changes={"purpose": "Typed"}
    )

    with pytest.raises(services.ImportRejected) as rejected:
        apply(people, upload)

    assert [str(p) for p in rejected.value.problems] == [
        f"Row 2: {account} was changed since you previewed the file: preview it again."
    ]
    assert Account.objects.get(pk=account.pk).purpose == "Typed"
    assert not Account.objects.filter(platform="facebook").exists()  # the good row waits too
    upload = services.accounts_import_preview_again(upload=upload, by=people["comms"])
    assert changes_of(upload) == [["Purpose", "Typed", "From the file"]]
    apply(people, upload)
    assert Account.objects.get(pk=account.pk).purpose == "From the file"


def test_an_account_added_since_the_preview_is_refused(people, service_area):
    upload = preview(people, csv_file(bins()))
    AccountFactory(handle="NorthfieldBins", service_area=service_area)
    with pytest.raises(services.ImportRejected, match="Nothing was saved") as rejected:
        apply(people, upload)
    assert "was added to the register since you previewed the file" in str(rejected.value.problems[0])


def test_only_the_uploader_confirms_and_only_once(people, service_area):
    upload = preview(people, csv_file(bins()))
    other = PersonFactory(roles=[Role.COMMS])
    with pytest.raises(PermissionDenied):
        services.accounts_import_apply(upload=upload, by=other)
    with pytest.raises(PermissionDenied):
        services.accounts_import_preview(by=people["auditor"], file_name="a.csv", content=csv_file(bins()))
    apply(people, upload)
    with pytest.raises(services.ValidationError, match="already applied"):
        apply(people, upload)
    assert Account.objects.count() == 1


def test_a_new_upload_replaces_the_one_waiting_and_a_discarded_one_keeps_nothing(people, service_area):
    first = preview(people, csv_file(bins()))
    second = preview(people, csv_file(recycles()))
    first.refresh_from_db()
    assert (first.status, first.content) == (ImportStatus.DISCARDED, None)
    services.accounts_import_discard(upload=second, by=people["comms"])
    second.refresh_from_db()
    assert (second.status, second.content) == (ImportStatus.DISCARDED, None)
    assert not Account.objects.exists()


def test_an_imported_change_is_in_the_accounts_history(people, service_area, clients):
    account = AccountFactory(
        handle="NorthfieldBins", service_area=service_area, responsible_officer=people["officer"]
    )
    apply(
        people,
        preview(people, csv_file({"Platform": "x", "Handle": "NorthfieldBins", "Purpose": "Bin days"})),
    )
    page = (
        clients["comms"]
        .get(reverse("history", args=["accounts_registry.account", account.pk]))
        .content.decode()
    )
    assert "Bin days" in page and escape(str(people["comms"])) in page


def test_importing_takes_the_same_queries_for_3_rows_as_for_60(people, service_area):
    for n in range(60):
        AccountFactory(
            handle=f"NfieldOld{n}", service_area=service_area, responsible_officer=people["officer"]
        )

    def counted(rows: list[dict]) -> tuple[int, int]:
        content = csv_file(*rows)
        comms = User.objects.get(pk=people["comms"].pk)  # as a request would have it: roles not loaded
        with CaptureQueriesContext(connection) as previewing:
            upload = services.accounts_import_preview(by=comms, file_name="a.csv", content=content)
        comms = User.objects.get(pk=people["comms"].pk)
        with CaptureQueriesContext(connection) as applying:
            services.accounts_import_apply(upload=upload, by=comms)
        return len(previewing), len(applying)

    def rows(n: int, tag: str) -> list[dict]:
        changed = [{"Platform": "x", "Handle": f"NfieldOld{i}", "Purpose": tag} for i in range(n)]
        return changed + [bins(Handle=f"NfieldNew{tag}{i}") for i in range(n)]

    small, large = counted(rows(3, "a")), counted(rows(30, "b"))
    assert small == large
    assert large[0] <= 14 and large[1] <= 18
    assert Account.objects.filter(purpose="b").count() == 30


# Export: read by people, and imported again unchanged


@pytest.fixture
def register(people, service_area, ward):
    leaver = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1), roles=[Role.OFFICER])
    return [
        AccountFactory(
            platform="x",
            handle="NorthfieldBins",
            service_area=service_area,
            responsible_officer=people["officer"],
            deputy=people["reviewer"],
            posting_frequency="daily",
            two_factor_enabled=True,
            credentials_location="Council password manager",
            purpose="Collection days\r\nand recycling",
            last_activity_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC),
        ),
        AccountFactory(
            platform="facebook",
            handle="NorthfieldRecycles",
            service_area=service_area,
            responsible_officer=leaver,
            managed_by_comms=True,
            review_required=False,
            display_name='=HYPERLINK("http://evil.example")',
        ),
        AccountFactory(
            platform="instagram",
            handle="cllr_riverside",
            kind="councillor",
            service_area=None,
            ward=ward,
            responsible_officer=people["councillor"],
            status=AccountStatus.CLOSED,
        ),
        AccountFactory(
            platform="youtube",
            handle="@NorthfieldTV",
            service_area=service_area,
            responsible_officer=people["officer"],
        ),
    ]


def exported_csv(clients, **query) -> bytes:
    response = clients["comms"].get(reverse("accounts:export_csv"), query)
    assert response.status_code == 200
    return response.content


def test_the_export_speaks_words(clients, register, people):
    text = exported_csv(clients).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    headings = list(rows[0])
    assert headings[:13] == [
        "Platform",
        "Handle",
        "Profile link",
        "Display name",
        "Kind",
        "Service area",
        "Ward",
        "Purpose",
        "Audience",
        "Responsible officer",
        "Responsible officer's email",
        "Deputy",
        "Deputy's email",
    ]
    assert {
        "Status",
        "Last activity",
        "No deputy",
        "Responsible officer has left",
        "No two-factor sign-in",
    } <= set(headings)
    bins = next(r for r in rows if r["Handle"] == "NorthfieldBins")  # no "@": no apostrophe to show
    assert (bins["Platform"], bins["Service area"], bins["Responsible officer"]) == (
        "X (Twitter)",
        "Waste and Recycling",
        str(people["officer"]),
    )
    assert (bins["Responsible officer's email"], bins["Deputy's email"]) == (
        "officer@northfield.gov.uk",
        "reviewer@northfield.gov.uk",
    )
    assert (bins["No deputy"], bins["No two-factor sign-in"], bins["Last activity"]) == (
        "No",
        "No",
        "2026-03-01",
    )
    assert "'@" not in text
    # A cell that really starts a formula stays neutralised.
    assert (
        next(r for r in rows if r["Platform"] == "Facebook")["Display name"]
        == '\'=HYPERLINK("http://evil.example")'
    )
    assert next(r for r in rows if r["Platform"] == "Facebook")["Responsible officer has left"] == "Yes"


def test_the_excel_export_is_titled_with_real_dates(clients, register):
    response = clients["auditor"].get(reverse("accounts:export_xlsx"))
    sheet_ = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet_.title == "Account register"
    rows = list(sheet_.iter_rows(values_only=True))
    last_activity = rows[0].index("Last activity")
    bins = next(r for r in rows if r[1] == "NorthfieldBins")
    assert bins[last_activity] == datetime.datetime(2026, 3, 1)
    assert isinstance(bins[rows[0].index("Agreed response time (working hours)")], int)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_what_is_exported_imports_again_with_no_changes(clients, register, people, file_format):
    before = list(Account.objects.order_by("pk").values())
    content = clients["comms"].get(reverse(f"accounts:export_{file_format}")).content

    upload = preview(people, content, name=f"register.{file_format}")

    assert what_rows_do(upload) == [(n, "unchanged") for n in range(2, 6)]
    assert "Status" in upload.ignored_columns and "No deputy" in upload.ignored_columns
    apply(people, upload)
    assert list(Account.objects.order_by("pk").values()) == before


def test_an_export_imports_into_an_empty_register(clients, people, service_area):
    AccountFactory(platform="facebook", handle="NorthfieldRecycles", service_area=service_area)
    AccountFactory(platform="youtube", handle="@NorthfieldTV", service_area=service_area)
    AccountFactory(platform="bluesky", handle="greennorthfield.bsky.social", service_area=service_area)
    content = exported_csv(clients)
    identities = set(Account.objects.values_list("platform", "handle", "handle_key", "display_name"))
    Account.objects.all().delete()

    apply(people, preview(people, content))

    assert set(Account.objects.values_list("platform", "handle", "handle_key", "display_name")) == identities


def test_a_csv_exported_by_the_earlier_register_still_imports(people, service_area):
    """The earlier export's machine headings, its service area codes and its apostrophe before "@"."""
    account = AccountFactory(
        handle="Waste_Team", service_area=service_area, responsible_officer=people["officer"]
    )
    old = (
        "platform,handle,profile_url,display_name,kind,service_area,ward,purpose,audience,responsible_officer,"
        "deputy,managed_by_comms,posting_frequency,review_required,response_time_hours,two_factor_enabled,"
        "credentials_location,status,last_activity\n"
        f"X (Twitter),'@Waste_Team,https://x.com/Waste_Team,{account.display_name},Service area,waste,,"
        f"{account.purpose},{account.audience},officer@northfield.gov.uk,,no,Once a week,yes,16,no,,Active,\n"
        "Instagram,'@Waste_Pics,,Waste pictures,service,waste,,Pictures,Residents,officer@northfield.gov.uk,"
        ",no,weekly,yes,16,yes,,Active,2025-01-01\n"
    )
    upload = preview(people, old.encode())
    assert what_rows_do(upload) == [(2, "unchanged"), (3, "new")]


def test_the_template_and_its_allowed_values(clients, service_area, ward):
    response = clients["comms"].get(reverse("accounts:import_template_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Accounts", "Allowed values"]
    headings, sample = list(book["Accounts"].iter_rows(values_only=True))
    assert list(headings) == HEADINGS and sample[0] == "X (Twitter)"
    allowed = list(book["Allowed values"].iter_rows(values_only=True))
    assert allowed[0][:5] == ("Platform", "Kind", "Expected posting frequency", "Service area", "Ward")
    assert "Waste and Recycling" in [row[3] for row in allowed] and "Riverside" in [row[4] for row in allowed]
    text = clients["comms"].get(reverse("accounts:import_template_csv")).content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(f'"{h}"' if "," in h else h for h in HEADINGS)


def test_a_filled_in_template_imports(clients, people, service_area):
    book = openpyxl.load_workbook(
        io.BytesIO(clients["comms"].get(reverse("accounts:import_template_xlsx")).content)
    )
    accounts = book["Accounts"]
    accounts["B2"], accounts["C2"], accounts["J2"] = "NfieldWaste", None, "officer@northfield.gov.uk"
    accounts["F2"] = "Waste and Recycling"
    out = io.BytesIO()
    book.save(out)
    upload = preview(people, out.getvalue(), name="template.xlsx")
    assert what_rows_do(upload) == [(2, "new")]
