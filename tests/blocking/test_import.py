"""The earlier block list, imported once: all or nothing, every line's problems, bounded cells, the
command's exit status, a page with a preview, and lookups once per file."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocking.imports import COLUMNS, blocks_import
from blocking.models import Block, BlockEvent, BlockSource, BlockStatus
from core.csvfile import ImportRejected

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False)


def row(**cells) -> str:
    values = {
        "platform": "x",
        "council_account": "@NfieldBins",
        "person_handle": "@Jo_Bloggs",
        "person_profile_url": "",
        "category": "abuse",
        "reason": "Swore at staff.",
        "blocked_on": "2026-03-04",
        "lifted_on": "",
        "decided_by": "comms@northfield.gov.uk",
        **cells,
    }
    return ",".join(values[c] for c in COLUMNS)


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def test_a_good_file_imports_every_block(people, account):
    made = blocks_import(
        by=people["comms"],
        data=csv(
            row(),
            row(
                person_handle="",
                person_profile_url="https://twitter.com/other_person",
                blocked_on="04/03/2025",
                lifted_on="01/06/2025",
                category="spam",
                council_account="https://x.com/nfieldbins",
            ),
        ),
    )
    first, second = sorted(made, key=lambda b: b.blocked_on, reverse=True)
    assert (first.status, first.blocked_on, first.review_on) == (
        BlockStatus.ACTIVE,
        datetime.date(2026, 3, 4),
        datetime.date(2026, 9, 4),
    )
    assert (first.person_key, first.decided_by, first.source) == (
        "jo_bloggs",
        people["comms"],
        BlockSource.IMPORTED,
    )
    assert (second.status, second.lifted_on, second.person_handle) == (
        BlockStatus.LIFTED,
        datetime.date(2025, 6, 1),
        "@other_person",
    )
    assert BlockEvent.objects.filter(action="imported").count() == 2


def test_one_bad_line_saves_nothing_and_every_problem_is_listed(people, account):
    with pytest.raises(ImportRejected) as rejected:
        blocks_import(
            by=people["comms"],
            data=csv(
                row(),
                row(platform="myspace"),
                row(council_account="@NotOurs", category="rude", reason=""),
                row(blocked_on="2026-13-01", decided_by="nobody@example.com"),
                row(blocked_on="1999-12-31"),
                row(blocked_on="2026-03-04", lifted_on="2026-03-01", person_handle="@second"),
                row(),
            ),
        )
    problems = rejected.value.problems
    lines = {line for line, _ in problems}
    assert lines == {3, 4, 5, 6, 7, 8}
    text = "\n".join(f"{line}: {message}" for line, message in problems)
    assert "3: platform “myspace” is not one of" in text
    assert "4: council_account “@NotOurs” is not in the register." in text
    assert "4: category “rude” is not one of" in text
    assert "4: reason is empty: there is no block without a recorded reason." in text
    assert "5: blocked_on: “2026-13-01” is not a date" in text
    assert "5: decided_by: nobody with the email address nobody@example.com" in text
    assert "6: blocked_on must be between 01/01/2000 and today." in text
    assert "7: lifted_on is before blocked_on." in text
    assert "8: The same block as line 2." in text
    assert not Block.objects.exists()


def test_cells_are_bounded(people, account):
    with pytest.raises(ImportRejected) as rejected:
        blocks_import(
            by=people["comms"],
            data=csv(row(reason="x" * 2001), row(person_handle="@a\x00b"), row(blocked_on="2026-12-01")),
        )
    text = " ".join(message for _, message in rejected.value.problems)
    assert "reason is longer than 2000 characters." in text
    assert "person_handle contains a control character" in text
    assert "blocked_on must be between 01/01/2000 and today." in text


def test_a_nul_in_a_looked_up_cell_is_a_row_error_not_a_database_error(people, account):
    # Found by hypothesis: the people named in decided_by were looked up before the cells were checked.
    with pytest.raises(ImportRejected) as rejected:
        blocks_import(by=people["comms"], data=csv(row(decided_by="comms\x00@example.org")))
    assert {line for line, _ in rejected.value.problems} == {2}
    assert "decided_by contains a control character" in " ".join(m for _, m in rejected.value.problems)
    assert not Block.objects.exists()


def test_the_header_must_be_exactly_the_columns(people, account):
    with pytest.raises(ImportRejected) as rejected:
        blocks_import(by=people["comms"], data=b"platform,council_account,handle\nx,@NfieldBins,@jo\n")
    text = " ".join(message for _, message in rejected.value.problems)
    assert "The header needs the columns person_handle" in text and "Unknown column: handle." in text


def test_importing_the_same_block_twice_is_refused(people, account):
    blocks_import(by=people["comms"], data=csv(row()))
    with pytest.raises(ImportRejected, match="1 line has problems"):
        blocks_import(by=people["comms"], data=csv(row()))
    assert Block.objects.count() == 1


def test_lookups_are_made_once_per_file(people, account):
    def queries(rows: int) -> int:
        # New people each time: blocks and their logs are never deleted.
        data = csv(*(row(person_handle=f"@p{rows}_{n}", blocked_on="2026-01-05") for n in range(rows)))
        with CaptureQueriesContext(connection) as captured:
            assert len(blocks_import(by=people["comms"], data=data)) == rows
        return len(captured)

    queries(5)  # the importer's roles are read once, then cached
    assert queries(10) == queries(20) == queries(40) <= 10


def test_the_command_prints_every_problem_and_exits_non_zero(people, account, tmp_path):
    bad = tmp_path / "blocks.csv"
    bad.write_bytes(csv(row(), row(category="rude", person_handle="@b"), row(blocked_on="soon")))
    err = StringIO()
    with pytest.raises(CommandError, match=r"2 lines have problems\. Nothing was saved\."):
        call_command("blocks_import", str(bad), stderr=err)
    assert err.getvalue().splitlines()[0].startswith("line 3: category “rude”")
    assert err.getvalue().splitlines()[1].startswith("line 4: blocked_on: “soon” is not a date")
    assert not Block.objects.exists()
    good = tmp_path / "good.csv"
    good.write_bytes(csv(row()))
    out = StringIO()
    call_command("blocks_import", str(good), stdout=out)
    assert out.getvalue().strip() == "Imported 1 block into the register."


def test_the_page_shows_a_preview_then_imports(clients, account):
    url = reverse("blocking:import")
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = clients["comms"].post(url, {"file": SimpleUploadedFile("blocks.csv", csv(row()))})
    page = preview.content.decode()
    assert preview.status_code == 200 and "1 block to import" in page and "@Jo_Bloggs" in page
    assert not Block.objects.exists()
    content = preview.context["confirm"].initial["content"]
    done = clients["comms"].post(url, {"content": content})
    assert done.status_code == 302 and Block.objects.count() == 1


def test_the_page_lists_the_problems(clients, account):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = clients["comms"].post(
        reverse("blocking:import"), {"file": SimpleUploadedFile("blocks.csv", csv(row(category="rude")))}
    )
    assert page.status_code == 200 and "category “rude” is not one of" in page.content.decode()
    assert "Import these blocks" not in page.content.decode()
