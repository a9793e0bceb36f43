"""The CSV layout: every rejection with its line, encodings, all-or-nothing, and export → import → report."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from core.spreadsheet import protect, unprotect
from surveys.models import Response
from surveys.report import report_json
from surveys.resources import ImportRejected, responses_dataset
from surveys.selectors import counted_responses, questionnaire_report, questionnaire_spec
from surveys.services import responses_import
from tests.factories import PersonFactory
from tests.surveys.helpers import invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db

HEADER = (
    "respondent,audience,submitted_at,uses,platforms,often,reviews,rank:a,rank:b,rank:c,accounts,comments\n"
)
GOOD = "amy@x.test,officer,2026-03-02T10:30:00,yes,x;facebook,daily,yes,1,2,,3,Fine\n"


@pytest.fixture
def pulse():
    return make_questionnaire()


def run(questionnaire, text: str, encoding: str = "utf-8") -> int:
    return responses_import(questionnaire=questionnaire, by=None, data=text.encode(encoding))


def problems(questionnaire, text: str) -> dict[int, str]:
    with pytest.raises(ImportRejected) as caught:
        run(questionnaire, text)
    found: dict[int, str] = {}
    for line, message in caught.value.problems:
        found[line] = f"{found[line]} | {message}" if line in found else message
    return found


def test_a_good_file_is_imported_with_every_type_of_answer(pulse):
    made = run(pulse, HEADER + GOOD + "cllr@x.test,councillor,2026-03-03T09:00:00+00:00,no,,,,,3,1,,\n")
    assert made == 2
    amy = Response.objects.get(respondent="amy@x.test")
    assert amy.answers == {
        "uses": "yes",
        "platforms": ["x", "facebook"],
        "often": "daily",
        "reviews": "yes",
        "rank": {"a": 1, "b": 2},
        "accounts": 3,
        "comments": "Fine",
    }
    assert (
        amy.source == Response.Source.IMPORT and amy.submitted_at.isoformat() == "2026-03-02T10:30:00+00:00"
    )
    assert Response.objects.get(respondent="cllr@x.test").answers == {"uses": "no", "rank": {"b": 3, "c": 1}}


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            "a@x.test,officer,2026-03-02T10:30:00,yes,x;tiktok,,,,,,,",
            "platforms: “tiktok” is not an option of platforms",
        ),
        (
            "a@x.test,officer,2026-03-02T10:30:00,yes,x,hourly,,,,,,",
            "often: “hourly” is not an option of often",
        ),
        ("a@x.test,officer,2026-03-02T10:30:00,maybe,,,,,,,,", "uses must be yes or no, not “maybe”"),
        (
            "a@x.test,officer,2026-03-02T10:30:00,no,,,,1,1,,,",
            "rank: Rank 1 is given to more than one option",
        ),
        (
            "a@x.test,officer,2026-03-02T10:30:00,no,,,,4,,,,",
            "rank: The rank for a is 4: ranks run from 1 to 3",
        ),
        (
            "a@x.test,officer,2026-03-02T10:30:00,no,,,,0,,,,",
            "rank: The rank for a is 0: ranks run from 1 to 3",
        ),
        (
            "a@x.test,officer,2026-03-02T10:30:00,no,,,,first,,,,",
            "rank: The rank for a must be a whole number",
        ),
        (
            "a@x.test,resident,2026-03-02T10:30:00,no,,,,,,,,",
            "Unknown audience “resident”: this questionnaire is for officer or councillor",
        ),
        ("a@x.test,officer,2026-03-02T10:30:00,no,,,,,,,lots,", "accounts: “lots” is not a number"),
        (
            "a@x.test,officer,02/03/2026,no,,,,,,,,",
            "submitted_at “02/03/2026” is not an ISO 8601 date and time",
        ),
        ("a@x.test,officer,,no,,,,,,,,", "submitted_at is empty"),
        (",officer,2026-03-02T10:30:00,no,,,,,,,,", "respondent is empty"),
        (
            "a@x.test,officer,2026-03-02T10:30:00,no,x,,,,,,,",
            "platforms is answered, but it is only asked when uses is yes",
        ),
        (
            "a@x.test,councillor,2026-03-02T10:30:00,yes,x,,yes,,,,,",
            "reviews is answered, but it is not asked of councillors",
        ),
        ("a@x.test,officer,2026-03-02T10:30:00,yes,,,,,,,,", "platforms must be answered"),
        ("a@x.test,officer,2026-03-02T10:30:00,,,,,,,,,", "uses must be answered"),
        (
            "a@x.test,officer,2026-03-02T10:30:00,no,,,,,,,,,extra",
            "This line has 13 cells but the header has 12",
        ),
    ],
)
def test_each_bad_row_is_rejected_with_its_line_and_nothing_is_saved(pulse, row, expected):
    found = problems(pulse, HEADER + GOOD + row + "\n")
    assert list(found) == [3], found
    assert expected in found[3], found[3]
    assert not Response.objects.exists()  # the good first row was not saved either


def test_every_bad_row_is_listed(pulse):
    text = (
        HEADER
        + GOOD
        + "b@x.test,nobody,2026-03-02T10:30:00,no,,,,,,,,\n"
        + GOOD
        + "c@x.test,officer,2026-03-02T10:30:00,no,,,,2,2,,,\n"
    )
    found = problems(pulse, text)
    assert sorted(found) == [3, 4, 5]
    assert "Unknown audience" in found[3]
    assert "Duplicate respondent amy@x.test: already on line 2" in found[4]
    assert "Rank 2 is given to more than one option" in found[5]


def test_several_problems_on_one_line_are_all_listed(pulse):
    found = problems(pulse, HEADER + "a@x.test,staff,yesterday,maybe,,,,9,,,,\n")
    assert all(
        part in found[2]
        for part in ["Unknown audience", "submitted_at", "uses must be yes or no", "rank for a is 9"]
    )


def _rows(n: int, start: int = 0) -> str:
    return "".join(
        f"p{i}@x.test,officer,2026-03-02T10:30:00,yes,x,weekly,no,1,2,3,{i},\n"
        for i in range(start, start + n)
    )


def test_importing_many_rows_takes_a_fixed_number_of_queries_and_one_more_per_batch(
    pulse, django_assert_max_num_queries, monkeypatch
):
    with django_assert_max_num_queries(12):
        assert run(pulse, HEADER + _rows(200)) == 200
    monkeypatch.setattr("surveys.services.IMPORT_BATCH", 50)
    with django_assert_max_num_queries(12 + 3):
        assert run(pulse, HEADER + _rows(200, start=200)) == 200
    assert Response.objects.count() == 400


def test_a_bad_line_after_some_batches_are_in_saves_nothing_and_every_problem_is_listed(pulse, monkeypatch):
    monkeypatch.setattr("surveys.services.IMPORT_BATCH", 2)
    bad = "bad@x.test,officer,yesterday,maybe,,,,,,,,\n"
    # Lines 2-6 are good (two batches are inserted before line 7 is read), then a bad line, more good
    # lines, a duplicate of line 2 and another bad line.
    text = HEADER + _rows(5) + bad + _rows(3, start=5) + _rows(1) + bad.replace("bad@", "worse@")
    found = problems(pulse, text)
    assert list(found) == [7, 11, 12]
    assert "submitted_at" in found[7] and "uses must be yes or no" in found[7]
    assert "Duplicate respondent p0@x.test: already on line 2" in found[11]
    assert not Response.objects.exists()


def test_a_respondent_who_has_already_answered_is_a_duplicate(pulse):
    respond(pulse, {"uses": "no"}, respondent="amy@x.test")
    found = problems(pulse, HEADER + GOOD.replace("amy@", "AMY@"))
    assert "Duplicate respondent amy@x.test: they already have a response" in found[2]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("respondent,audience,uses\n", "The header needs the column submitted_at"),
        (HEADER.replace("rank:a", "rank"), "Unknown column: rank"),
        (HEADER.replace("platforms", "platfroms"), "Unknown column: platfroms"),
        (HEADER.replace(",comments", ",uses"), "Column given twice: uses"),
    ],
)
def test_a_bad_header_is_rejected_on_line_1(pulse, header, expected):
    found = problems(pulse, header + GOOD)
    assert expected in found[1]


def test_empty_files_are_rejected(pulse):
    assert "The file is empty" in problems(pulse, "")[1]
    assert "has a header but no responses" in problems(pulse, HEADER + "\n,,,\n")[2]


def test_line_numbers_count_physical_lines_when_a_cell_spans_several(pulse):
    text = (
        HEADER
        + 'amy@x.test,officer,2026-03-02T10:30:00,no,,,,,,,,"line one\nline two"\n'
        + "b@x.test,officer,bad,no,,,,,,,,\n"
    )
    found = problems(pulse, text)
    assert list(found) == [4]


def test_blank_lines_at_the_end_are_ignored_and_missing_question_columns_are_not_answered(pulse):
    made = run(
        pulse,
        "respondent,audience,submitted_at,uses\r\na@x.test,officer,2026-03-02T10:30:00,no\r\n,,,\r\n\r\n",
    )
    assert made == 1 and [r.answers for r in Response.objects.all()] == [{"uses": "no"}]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_or_without_bom_and_excels_windows_1252_are_read(pulse, encoding):
    run(
        pulse,
        HEADER + "zoë@x.test,officer,2026-03-02T10:30:00,no,,,,,,,,“Café” costs £5 \u2013 fine\n",
        encoding,
    )
    response = Response.objects.get()
    assert response.respondent == "zoë@x.test"
    assert response.answers["comments"] == "“Café” costs £5 \u2013 fine"


def test_a_file_that_is_not_text_is_rejected(pulse):
    with pytest.raises(ImportRejected) as caught:
        responses_import(questionnaire=pulse, by=None, data=b"\x81\x8d\x8f\x90\x9d")
    assert caught.value.problems == [(1, "The file is not a text CSV file (UTF-8 or Windows-1252).")]


def test_an_invitees_address_links_the_response_to_the_invitation(pulse, people):
    invitation = invite(pulse, people["head_of_service"], "officer")
    run(pulse, HEADER + GOOD.replace("amy@x.test", people["head_of_service"].email.upper()))
    response = Response.objects.get()
    assert response.invitation == invitation
    report = questionnaire_report(pulse)
    assert (report.group("officer").responses, report.group("officer").invited) == (1, 1)
    found = problems(pulse, HEADER + GOOD.replace("amy@x.test", people["head_of_service"].email))
    assert "already have a response" in found[2]


def test_an_invitee_must_be_imported_in_the_audience_they_were_invited_as(pulse, people):
    invite(pulse, people["councillor"], "councillor")
    found = problems(pulse, HEADER + GOOD.replace("amy@x.test", people["councillor"].email))
    assert f"{people['councillor'].email} was invited as councillor, not officer" in found[2]


def _export(questionnaire) -> str:
    rows = counted_responses(questionnaire).order_by("submitted_at", "pk")
    return responses_dataset(
        questionnaire_spec(questionnaire),
        rows.values_list("respondent", "audience", "submitted_at", "answers"),
    ).export("csv")


def test_export_uses_the_import_layout(pulse):
    respond(
        pulse,
        {
            "uses": "yes",
            "platforms": ["x", "youtube"],
            "rank": {"c": 1, "a": 2},
            "accounts": 2.5,
            "comments": 'Said "hi", twice',
        },
        respondent="a@x.test",
    )
    respond(pulse, {"uses": "no"}, respondent="draft@x.test", submitted=False)  # not sent: not exported
    text = _export(pulse)
    assert text.splitlines() == [
        HEADER.strip(),
        'a@x.test,officer,2026-03-02T10:30:00+00:00,yes,x;youtube,,,2,,1,2.5,"Said ""hi"", twice"',
    ]


def test_export_then_import_gives_identical_report_numbers(pulse, people):
    officers = [PersonFactory(roles=["Head of Service"]) for _ in range(3)]
    invitations = [invite(pulse, person, "officer") for person in officers] + [
        invite(pulse, people["councillor"], "councillor")
    ]
    respond(
        pulse,
        {
            "uses": "yes",
            "platforms": ["x"],
            "often": "daily",
            "reviews": "no",
            "rank": {"a": 1, "b": 2, "c": 3},
            "accounts": 1,
        },
        invitation=invitations[0],
    )
    respond(
        pulse,
        {
            "uses": "yes",
            "platforms": ["x", "facebook"],
            "rank": {"b": 1},
            "accounts": 4,
            "comments": "Ça va; “quoted”",
        },
        invitation=invitations[1],
    )
    respond(pulse, {"uses": "no", "rank": {"c": 1, "a": 3}}, invitation=invitations[3], audience="councillor")
    respond(pulse, {"uses": "no"}, respondent="paper-form-7", audience="councillor")
    before = report_json(questionnaire_report(pulse))
    exported = _export(pulse)

    Response.objects.all().delete()
    run(pulse, "\ufeff" + exported)  # as downloaded: with the byte-order mark

    assert report_json(questionnaire_report(pulse)) == before
    assert _export(pulse) == exported
    assert Response.objects.filter(invitation__isnull=False).count() == 3  # re-linked to their invitations


def test_the_command_imports_and_lists_every_problem(pulse, tmp_path, capsys):
    path = tmp_path / "responses.csv"
    path.write_bytes((HEADER + GOOD + "b@x.test,officer,2026-03-02T10:30:00,no,,,,,,,,\n").encode("cp1252"))
    call_command("survey_import", "pulse", str(path))
    assert "Imported 2 responses into pulse." in capsys.readouterr().out

    path.write_text(
        HEADER + "c@x.test,nobody,2026-03-02,no,,,,,,,,\n" + "amy@x.test,officer,2026-03-02,no,,,,,,,,\n"
    )
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("survey_import", "pulse", str(path))
    err = capsys.readouterr().err
    assert "line 2: Unknown audience “nobody”" in err
    assert "line 3: Duplicate respondent amy@x.test" in err
    assert Response.objects.count() == 2
    with pytest.raises(CommandError, match="no questionnaire called nope"):
        call_command("survey_import", "nope", str(path))


# Spreadsheet formulas: text cells that would run as a formula get a quote in front on export, which
# the import takes off again; numbers stay numbers.

FORMULAS = ["=1+1", "+44 20 7946 0000", "-minus", "@SUM(A1:A9)", '=HYPERLINK("http://x.test","x")']


def test_protect_and_unprotect_are_exact_inverses():
    for text in [*FORMULAS, "\tTabbed", "\rReturn", "plain", "", "'", "'quoted", "'=own", "''+two", "a=b"]:
        assert unprotect(protect(text)) == text, text
    assert [protect(t) for t in ["=1+1", "-minus", "@x", "+1", "\tT", "\rR"]] == [
        "'=1+1",
        "'-minus",
        "'@x",
        "'+1",
        "'\tT",
        "'\rR",
    ]
    assert protect("plain") == "plain" and protect("'quoted") == "'quoted" and protect("a=b") == "a=b"
    assert protect("'=own") == "''=own"  # one more quote, so the import can tell it from theirs
    assert unprotect("'=1+1") == "=1+1" and unprotect("'quoted") == "'quoted" and unprotect("''=x") == "'=x"


def test_export_puts_a_quote_before_text_that_would_run_as_a_formula(pulse):
    for n, comment in enumerate(FORMULAS):
        respond(pulse, {"uses": "no", "comments": comment}, respondent=f"r{n}@x.test")
    respond(pulse, {"uses": "no", "comments": "'=own quote"}, respondent="@handle")
    respond(pulse, {"uses": "no", "accounts": -3, "comments": "Fine"}, respondent="negative@x.test")
    respond(pulse, {"uses": "no", "accounts": -2.5}, respondent="half@x.test")
    rows = list(csv.DictReader(io.StringIO(_export(pulse))))
    assert [row["comments"] for row in rows[: len(FORMULAS)]] == [f"'{c}" for c in FORMULAS]
    assert (rows[5]["respondent"], rows[5]["comments"]) == ("'@handle", "''=own quote")
    # Numbers are written as numbers: a negative answer is not text, so it gets no quote.
    assert (rows[6]["accounts"], rows[6]["comments"]) == ("-3", "Fine")
    assert rows[7]["accounts"] == "-2.5"
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[:6] for cell in row.values()
    )


def test_import_takes_off_the_quote_the_export_added(pulse):
    rows = [
        "a@x.test,officer,2026-03-02T10:30:00,no,,,,,,,-3,'=1+1",
        "b@x.test,officer,2026-03-02T10:30:00,no,,,,,,,'-3,'@SUM(A1)",
        "c@x.test,officer,2026-03-02T10:30:00,no,,,,,,,,'quoted stays quoted",
        "d@x.test,officer,2026-03-02T10:30:00,no,,,,,,,,''=their own quote",
        "'@e,officer,2026-03-02T10:30:00,no,,,,,,,,\"'-1, said twice\"",
    ]
    run(pulse, HEADER + "\n".join(rows) + "\n")
    answers = {r.respondent: r.answers for r in Response.objects.all()}
    assert answers == {
        "a@x.test": {"uses": "no", "accounts": -3, "comments": "=1+1"},
        "b@x.test": {"uses": "no", "accounts": -3, "comments": "@SUM(A1)"},
        "c@x.test": {"uses": "no", "comments": "'quoted stays quoted"},
        "d@x.test": {"uses": "no", "comments": "'=their own quote"},
        "@e": {"uses": "no", "comments": "-1, said twice"},
    }


def test_formulas_and_negative_numbers_survive_export_then_import(pulse):
    comments = [*FORMULAS, "'=own quote", "'plain quote", "Fine"]
    for n, comment in enumerate(comments):
        respond(pulse, {"uses": "no", "accounts": -3 - n / 2, "comments": comment}, respondent=f"r{n}@x.test")
    respond(pulse, {"uses": "no", "accounts": -3}, respondent="=cmd|' /c calc'!a0", audience="councillor")
    before_answers = {r.respondent: r.answers for r in Response.objects.all()}
    before = report_json(questionnaire_report(pulse))
    exported = _export(pulse)

    Response.objects.all().delete()
    run(pulse, "\ufeff" + exported)

    assert {r.respondent: r.answers for r in Response.objects.all()} == before_answers
    assert before_answers["r0@x.test"] == {"uses": "no", "accounts": -3, "comments": "=1+1"}
    assert report_json(questionnaire_report(pulse)) == before
    assert report_json(questionnaire_report(pulse))["groups"]["all"]["questions"]["accounts"]["mean"] < 0
    assert _export(pulse) == exported
