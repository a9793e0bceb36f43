"""Every cell of a responses import is bounded and cleaned, with a row error (issue 9, items 5 and 7):
respondents are compared normalised (invisible characters cannot make one person two), and dates,
control characters and lengths out of bounds are refused: never a 500, never stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Response
from surveys.resources import ImportRejected
from surveys.services import responses_import
from tests.surveys.helpers import make_questionnaire, respond

pytestmark = pytest.mark.django_db

HEADER = "respondent,audience,submitted_at,uses,comments\n"
WHEN = "2026-03-02T10:30:00"


@pytest.fixture
def pulse():
    return make_questionnaire()


def problems(questionnaire, text: str) -> dict[int, str]:
    with pytest.raises(ImportRejected) as caught:
        responses_import(questionnaire=questionnaire, by=None, data=text.encode("utf-8"))
    found: dict[int, str] = {}
    for line, message in caught.value.problems:
        found[line] = f"{found[line]} | {message}" if line in found else message
    return found


@pytest.mark.parametrize(
    "twin",
    [
        "amy\u200b@x.test",  # zero-width space
        "a\u200dmy@x.test",  # zero-width joiner
        "\u202eamy@x.test",  # right-to-left override
        "amy@x.test\u2066",  # left-to-right isolate
        "\ufeffamy@x.test",  # byte-order mark
        "am\u00ady@x.test",  # soft hyphen
        "\uff21\uff2d\uff39@\uff58.test",  # full-width letters
        " Amy@X.TEST ",
    ],
)
def test_invisible_and_look_alike_characters_do_not_make_a_second_respondent(pulse, twin):
    found = problems(pulse, HEADER + f"amy@x.test,officer,{WHEN},no,\n{twin},officer,{WHEN},no,\n")
    assert list(found) == [3]
    assert "Duplicate respondent amy@x.test: already on line 2" in found[3]
    assert not Response.objects.exists()


def test_a_respondent_already_answered_is_found_however_it_is_written(pulse):
    respond(pulse, {"uses": "no"}, respondent="amy@x.test")
    found = problems(pulse, HEADER + f"\u200bAMY@x.test\u202c,officer,{WHEN},no,\n")
    assert "Duplicate respondent amy@x.test: they already have a response" in found[2]


def test_respondents_are_stored_normalised(pulse):
    responses_import(
        questionnaire=pulse,
        by=None,
        data=(HEADER + f"\uff3a\uff2f\u00cb\u200b@x.test,officer,{WHEN},no,\n").encode(),
    )
    assert Response.objects.get().respondent == "zoë@x.test"


@pytest.mark.parametrize(
    "respondent, expected",
    [
        ("amy\x07@x.test", "contains control characters"),
        ("amy\x00@x.test", "contains control characters"),
        ("a" * 300 + "@x.test", "respondent is 307 characters long: at most 254"),
    ],
)
def test_a_respondent_with_control_characters_or_too_long_is_a_row_error(pulse, respondent, expected):
    found = problems(pulse, HEADER + f"{respondent},officer,{WHEN},no,\n")
    assert expected in found[2]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "1999-12-31T23:59:59",
        "2999-01-01T00:00:00",
        "2026-03-02T10:30:00" + "0" * 500,
    ],
)
def test_a_date_out_of_range_is_a_row_error(pulse, when):
    found = problems(pulse, HEADER + f"amy@x.test,officer,{when},no,\n")
    assert "submitted_at" in found[2]
    assert len(found[2]) < 200  # the cell is quoted, cut short
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "row, expected",
    [
        (f"amy@x.test,officer,{WHEN},no,Hello\x00there", "comments: The answer contains control characters"),
        (f"amy@x.test,officer,{WHEN},n\x00o,", "uses must be yes or no"),
        (f"amy@x.test,offi\x00cer,{WHEN},no,", "Unknown audience “offi\\x00cer”"),
        (
            f"amy@x.test,officer,{WHEN},no,{'x' * 5001}",
            "comments: The answer must be 5000 characters or fewer",
        ),
    ],
)
def test_nul_bytes_and_overlong_text_are_row_errors(pulse, row, expected):
    found = problems(pulse, HEADER + row + "\n")
    assert expected in found[2], found
    assert not Response.objects.exists()


def test_the_import_page_lists_hostile_rows_and_never_fails(clients, pulse):
    rows = [
        f"amy@x.test,officer,{WHEN},no,",
        f"amy\u200b@x.test,officer,{WHEN},no,",
        f"{'b' * 300},officer,{WHEN},no,",
        "c@x.test,officer,0001-01-01T00:00:00+14:00,no,",
        "d@x.test,officer,9999-12-31T23:59:59-12:00,no,",
        f"e@x.test,officer,{WHEN},no,NUL\x00here",
    ]
    upload = SimpleUploadedFile("r.csv", (HEADER + "\n".join(rows) + "\n").encode(), content_type="text/csv")
    response = clients["comms"].post(reverse("surveys:import", args=[pulse.slug]), {"responses": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was not imported: 5 lines have problems. Nothing was saved." in page
    assert not Response.objects.exists()
