"""Completions from elsewhere: the command and the page with preview. All or nothing, every row's
problems, bounded cells, one lookup per file."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CompletionFactory, PersonFactory
from training.imports import ImportRejected, parse_completions
from training.models import Completion

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)
FROZEN = time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC))


def csv(*rows: str, header: str = "email,course,completed_on") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def run(tmp_path: Path, data: bytes) -> tuple[str, str]:
    file = tmp_path / "completions.csv"
    file.write_bytes(data)
    out, err = StringIO(), StringIO()
    call_command("training_import", str(file), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@FROZEN
def test_the_command_imports_iso_and_uk_dates_and_leaves_recorded_ones(courses, people, tmp_path):
    CompletionFactory(
        person=people["councillor"], course=courses.block, completed_on=datetime.date(2026, 3, 1)
    )
    out, _ = run(
        tmp_path,
        csv(
            "officer@northfield.gov.uk,RESPOND,2026-03-01",
            "OFFICER@Northfield.gov.uk,block,01/03/2026",  # any case
            "councillor@northfield.gov.uk,BLOCK,2026-03-01",  # already recorded
        ),
    )
    assert out.strip() == "2 completions imported; 1 already recorded."
    assert set(
        Completion.objects.filter(person=people["officer"]).values_list(
            "course__code", "completed_on", "source"
        )
    ) == {
        ("RESPOND", datetime.date(2026, 3, 1), "import"),
        ("BLOCK", datetime.date(2026, 3, 1), "import"),
    }


@FROZEN
def test_any_bad_row_saves_nothing_and_every_problem_is_listed(courses, people, tmp_path):
    data = csv(
        "officer@northfield.gov.uk,RESPOND,2026-03-01",  # fine, but not saved
        "nobody@northfield.gov.uk,RESPOND,2026-03-01",
        "officer@northfield.gov.uk,NOSUCH,2026-03-01",
        "officer@northfield.gov.uk,BLOCK,2026-12-01",
        "officer@northfield.gov.uk,BLOCK,31/12/1999",
        "officer@northfield.gov.uk,BLOCK,March 2026",
        "not-an-email,BLOCK,2026-01-01",
        "officer@northfield.gov.uk,BLOCK\x00,2026-01-01",
        "officer@northfield.gov.uk,BLOCK",
        f"{'a' * 250}@x.gov.uk,BLOCK,2026-01-01",
        "officer@northfield.gov.uk,RESPOND,01/03/2026",  # repeats line 2
    )
    with pytest.raises(CommandError, match=r"10 lines have problems\. Nothing was saved\."):
        run(tmp_path, data)
    assert not Completion.objects.exists()
    with pytest.raises(ImportRejected) as rejected:
        parse_completions(data, today=TODAY)
    assert rejected.value.problems == [
        (3, "Nobody in the service has the email address nobody@northfield.gov.uk."),
        (4, "No course has the code “NOSUCH”."),
        (5, "The date 01/12/2026 is in the future."),
        (6, "The date 31/12/1999 is before 2000."),
        (7, "“March 2026” is not a date: write 2026-03-01 or 01/03/2026."),
        (8, "“not-an-email” is not an email address."),
        (9, "The course contains a control character."),
        (10, "Expected 3 cells, found 2."),
        (11, "The email is longer than 254 characters."),
        (12, "Repeats line 2."),
    ]


def test_the_columns_must_be_the_agreed_ones(courses, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        parse_completions(csv("a@x.gov.uk,BLOCK,2026-01-01", header="email,course,date"), today=TODAY)
    assert "must name the columns email, course, completed_on" in rejected.value.problems[0][1]
    for data in (b"", b"\xff\xfe\x00\x00", csv()):
        with pytest.raises(ImportRejected):
            parse_completions(data, today=TODAY)


def test_an_unreadable_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("training_import", str(tmp_path / "missing.csv"))


@FROZEN
def test_lookups_are_made_once_per_file_whatever_its_length(courses, tmp_path):
    people = [PersonFactory(email=f"p{i}@northfield.gov.uk") for i in range(40)]

    def queries(rows: int) -> int:
        data = csv(
            *[f"{p.email},RESPOND,2026-0{1 + i % 9}-0{1 + i % 9}" for i, p in enumerate(people[:rows])]
        )
        with CaptureQueriesContext(connection) as captured:
            assert len(parse_completions(data, today=TODAY)) == rows
        return len(captured)

    assert queries(10) == queries(20) == queries(40) == 3


@FROZEN
def test_the_page_previews_then_imports_after_checking_again(courses, people, clients):
    data = csv(
        "officer@northfield.gov.uk,RESPOND,2026-03-01", "councillor@northfield.gov.uk,BLOCK,01/03/2026"
    )
    preview = clients["comms"].post("/training/import/", {"completions": SimpleUploadedFile("c.csv", data)})
    page = preview.content.decode()
    assert "Check the completions before importing them" in page and "Responding to the public" in page
    assert not Completion.objects.exists()  # nothing saved by the preview

    confirm = clients["comms"].post("/training/import/", {"data": data.decode()})
    assert confirm.status_code == 302
    assert Completion.objects.count() == 2


@FROZEN
def test_the_page_lists_every_problem_and_saves_nothing(courses, people, clients):
    data = csv("officer@northfield.gov.uk,RESPOND,2026-03-01", "ghost@northfield.gov.uk,BLOCK,2026-03-01")
    page = (
        clients["comms"]
        .post("/training/import/", {"completions": SimpleUploadedFile("c.csv", data)})
        .content.decode()
    )
    assert "Nobody in the service has the email address ghost@northfield.gov.uk." in page
    assert "Nothing was imported" in page
    # A confirmation tampered with after the preview is checked again.
    page = clients["comms"].post("/training/import/", {"data": data.decode()}).content.decode()
    assert "ghost@northfield.gov.uk" in page
    assert not Completion.objects.exists()


def test_the_page_refuses_what_is_not_a_csv(courses, clients):
    page = clients["comms"].post(
        "/training/import/", {"completions": SimpleUploadedFile("c.xlsx", b"PK\x03\x04")}
    )
    assert "must be a CSV file" in page.content.decode()
