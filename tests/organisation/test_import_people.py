"""Importing people from an HR export: all-or-nothing, row-level errors, re-import updates."""

import io

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from organisation.admin import PersonAdmin
from organisation.models import Role, User
from organisation.resources import PersonResource

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,employee_number,job_title,service_area,ward,roles,left_on\n"


def dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(HEADER + text, format="csv")


def run_import(text: str, dry_run: bool = False):
    return PersonResource().import_data(dataset(text), dry_run=dry_run, use_transactions=True)


def row_errors(result) -> dict[int, str]:
    return {
        row.number: "; ".join(str(e) for errs in row.error_dict.values() for e in errs)
        for row in result.invalid_rows
    }


def test_a_good_file_creates_people_with_their_roles(service_area, ward):
    result = run_import(
        "amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer; Reviewer,\n"
        "cllr.khan@northfield.gov.uk,Sam,Khan,,Councillor,,Riverside,councillor,\n"
    )
    assert not result.has_errors() and not result.has_validation_errors()
    amy = User.objects.get(email="amy.jones@northfield.gov.uk")
    assert (amy.service_area, amy.employee_number) == (service_area, "E100")
    assert amy.role_names == {Role.OFFICER, Role.REVIEWER}
    assert not amy.has_usable_password()  # they set one through "forgotten your password"
    assert User.objects.get(email="cllr.khan@northfield.gov.uk").ward == ward


def test_importing_again_updates_rather_than_duplicates(service_area):
    run_import("amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer,\n")
    result = run_import(
        "AMY.JONES@northfield.gov.uk,Amy,Jones-Smith,E100,Senior Waste Officer,waste,,Reviewer,\n"
    )
    assert not result.has_validation_errors()
    assert User.objects.filter(email__iexact="amy.jones@northfield.gov.uk").count() == 1
    amy = User.objects.get(email="amy.jones@northfield.gov.uk")
    assert (amy.last_name, amy.job_title, amy.role_names) == (
        "Jones-Smith",
        "Senior Waste Officer",
        {Role.REVIEWER},
    )


def test_a_leaving_date_in_the_export_marks_the_person_as_left(service_area):
    run_import("amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer,\n")
    run_import("amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer,2026-10-31\n")
    amy = User.objects.get(email="amy.jones@northfield.gov.uk")
    assert str(amy.left_on) == "2026-10-31" and not amy.is_active


def test_a_broken_file_changes_nothing_and_lists_every_bad_row(service_area):
    before = User.objects.count()
    result = run_import(
        "good.person@northfield.gov.uk,Good,Person,E1,Officer,waste,,Officer,\n"
        "not-an-email,Bad,Email,E2,Officer,waste,,Officer,\n"
        "bad.area@northfield.gov.uk,Bad,Area,E3,Officer,no-such-area,,Officer,\n"
        "bad.role@northfield.gov.uk,Bad,Role,E4,Officer,waste,,Overlord,\n"
    )
    assert result.has_validation_errors()
    errors = row_errors(result)
    assert set(errors) == {2, 3, 4}
    assert "valid email" in errors[2]
    assert "No service area has the code or name “no-such-area”" in errors[3]
    assert "Unknown role “Overlord”" in errors[4]
    assert User.objects.count() == before  # the good row was not saved either


def test_comms_import_through_the_admin_with_a_preview_and_confirmation(clients, service_area):
    upload = SimpleUploadedFile(
        "hr.csv",
        (HEADER + "amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer,\n").encode(),
    )
    preview = clients["comms"].post(
        "/admin/organisation/user/import/", {"resource": "0", "format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    assert "amy.jones@northfield.gov.uk" in preview.content.decode()
    assert not User.objects.filter(email="amy.jones@northfield.gov.uk").exists()  # only a preview so far
    confirm = preview.context["confirm_form"]
    done = clients["comms"].post("/admin/organisation/user/process_import/", confirm.initial)
    assert done.status_code == 302
    assert User.objects.filter(email="amy.jones@northfield.gov.uk").exists()


def test_the_admin_shows_row_errors_for_a_bad_xlsx_file(clients, service_area):
    data = tablib.Dataset(headers=HEADER.strip().split(","))
    data.append(["someone@northfield.gov.uk", "Some", "One", "", "", "nowhere", "", "Officer", ""])
    upload = SimpleUploadedFile("hr.xlsx", data.export("xlsx"))
    formats = PersonAdmin(User, admin.site).get_import_formats()
    xlsx_index = [f().get_title() for f in formats].index("xlsx")
    response = clients["comms"].post(
        "/admin/organisation/user/import/",
        {"resource": "0", "format": str(xlsx_index), "import_file": upload},
    )
    page = response.content.decode()
    assert "No service area has the code or name “nowhere”" in page
    assert not User.objects.filter(email="someone@northfield.gov.uk").exists()


def test_only_comms_may_import(clients):
    for persona in ["officer", "auditor", "head_of_service"]:
        response = clients[persona].get("/admin/organisation/user/import/", follow=True)
        assert response.status_code == 403, persona


def test_export_round_trips(service_area):
    run_import("amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer; Reviewer,\n")
    exported = PersonResource().export().export("csv")
    assert "amy.jones@northfield.gov.uk,Amy,Jones,E100,Waste Officer,waste,,Officer; Reviewer," in exported
    result = PersonResource().import_data(tablib.Dataset().load(io.StringIO(exported).read(), format="csv"))
    assert not result.has_validation_errors() and User.objects.count() == 1
