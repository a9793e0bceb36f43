"""Number answers keep a range (issue 9, item 2): "1e400" is refused when answering, importing and
loading, never stored as 401 digits; "1e5000" gets a plain message, not Python's; and a report
survives whatever is already stored: an answer out of range is counted as not valid, never a 500."""

import io
import json

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from surveys.definition import DefinitionError, spec_from_dict
from surveys.models import Questionnaire, Response
from surveys.resources import ImportRejected
from surveys.services import responses_import
from tests.surveys.helpers import definition, invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db

# A number question as most definitions write it: no range given, so the default (0 to 1,000,000,
# whole numbers) applies.
PLAIN = [
    {"code": "uses", "text": "Do you use social media for work?", "type": "yes_no", "required": True},
    {"code": "accounts", "text": "How many accounts do you run?", "type": "number"},
]
PYTHON_INTERNALS = ["Exceeds the limit", "set_int_max_str_digits", "Traceback", "InvalidOperation"]


@pytest.fixture
def plain(people):
    questionnaire = make_questionnaire(questions=PLAIN)
    return invite(questionnaire, people["head_of_service"], "officer")


def answer(client, invitation, text: str):
    return client.post(reverse("surveys:question", args=[invitation.pk, "accounts"]), {"answer": text})


@pytest.mark.parametrize("typed", ["1e400", "1e5000", "-1", "1000001", "2.5", "1" * 50, "NaN", "Infinity"])
def test_a_number_outside_the_default_range_is_refused_in_plain_words(clients, plain, typed):
    page = answer(clients["head_of_service"], plain, typed)
    assert page.status_code == 200, typed  # the page again, with the error; nothing saved
    text = page.content.decode()
    assert "There is a problem" in text
    assert not any(internal in text for internal in PYTHON_INTERNALS), typed
    assert not Response.objects.filter(answers__has_key="accounts").exists()


def test_the_messages_say_what_is_allowed(clients, plain):
    client = clients["head_of_service"]
    assert "The number must be between 0 and 1,000,000" in answer(client, plain, "1e400").content.decode()
    assert "The number must be a whole number, like 3" in answer(client, plain, "2.5").content.decode()
    assert "Enter a number, like 3" in answer(client, plain, "a few").content.decode()


@pytest.mark.parametrize("typed, stored", [("0", 0), ("1,000,000", 1_000_000), ("1e3", 1000), (" 42 ", 42)])
def test_numbers_in_range_are_stored_as_numbers(clients, plain, typed, stored):
    assert answer(clients["head_of_service"], plain, typed).status_code == 302
    assert Response.objects.get().answers["accounts"] == stored


def test_a_definition_sets_the_range_and_decimal_places(clients, people):
    questions = [{**PLAIN[1], "min": -5, "max": 10, "decimals": 1}]
    invitation = invite(make_questionnaire(questions=questions), people["head_of_service"])
    client = clients["head_of_service"]
    assert "The number must be between -5 and 10" in answer(client, invitation, "11").content.decode()
    assert "no more than 1 decimal place" in answer(client, invitation, "2.25").content.decode()
    assert "Enter a number, like 3 or 2.5" in answer(client, invitation, "lots").content.decode()
    assert answer(client, invitation, "-4.5").status_code == 302
    assert Response.objects.get().answers["accounts"] == -4.5


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"min": 10, "max": 1}, "max must be the same as or more than min"),
        ({"min": "ten"}, "min must be a number"),
        ({"max": True}, "max must be a number"),
        ({"max": 1e13}, "max must be between -1,000,000,000,000 and 1,000,000,000,000"),
        ({"decimals": 7}, "decimals must be a whole number of decimal places from 0 to 6"),
        ({"decimals": 1.5}, "decimals must be a whole number of decimal places from 0 to 6"),
    ],
)
def test_a_definitions_range_is_checked_when_loading(changes, expected):
    with pytest.raises(DefinitionError) as caught:
        spec_from_dict(definition(questions=[{**PLAIN[1], **changes}]))
    assert any(expected in error for error in caught.value.errors), caught.value.errors


def test_only_number_questions_have_a_range():
    with pytest.raises(DefinitionError) as caught:
        spec_from_dict(definition(questions=[{**PLAIN[0], "min": 1}]))
    assert "Question 1 (uses): only a number question has min." in caught.value.errors


def test_a_range_survives_the_definition_file_and_a_copy(clients):
    questionnaire = make_questionnaire(questions=[{**PLAIN[1], "min": -5, "max": 10.5, "decimals": 2}])
    data = json.loads(clients["comms"].get(reverse("surveys:definition", args=[questionnaire.slug])).content)
    assert data["questions"][0] | {"min": -5, "max": 10.5, "decimals": 2} == data["questions"][0]
    clients["comms"].post(
        reverse("surveys:copy", args=[questionnaire.slug]), {"slug": "copy", "title": "Copy"}
    )
    question = Questionnaire.objects.get(slug="copy").questions.get()
    assert (question.minimum, question.maximum, question.decimals) == (-5, 10.5, 2)


IMPORT_HEADER = "respondent,audience,submitted_at,uses,accounts\n"


@pytest.mark.parametrize("cell", ["1e400", "1e5000", "-3", "2.5", "9" * 45])
def test_an_imported_number_out_of_range_is_a_row_error_and_nothing_is_saved(cell):
    questionnaire = make_questionnaire(questions=PLAIN)
    text = (
        IMPORT_HEADER
        + "a@x.test,officer,2026-03-01T09:00:00,yes,1\n"
        + f"b@x.test,officer,2026-03-01T09:00:00,yes,{cell}\n"
    )
    with pytest.raises(ImportRejected) as caught:
        responses_import(questionnaire=questionnaire, by=None, data=text.encode())
    [(line, message)] = caught.value.problems
    assert line == 3 and message.startswith("accounts: "), message
    assert not any(internal in message for internal in PYTHON_INTERNALS)
    assert not Response.objects.exists()


# Whatever is stored already: put there before the range existed, or by hand.


@pytest.fixture
def damaged(people):
    """Six officers answered; one answer is a 401-digit number, as "1e400" used to be stored."""
    questionnaire = make_questionnaire(questions=PLAIN)
    for i, accounts in enumerate([1, 2, 3, 4, 5, 10**400]):
        respond(questionnaire, {"uses": "yes", "accounts": accounts}, respondent=f"o{i}@x.test")
    return questionnaire


def test_the_report_and_its_downloads_survive_a_stored_number_out_of_range(clients, damaged):
    for persona in ["comms", "auditor"]:
        for name in ["report", "report_csv", "report_xlsx"]:
            response = clients[persona].get(reverse(f"surveys:{name}", args=[damaged.slug]))
            assert response.status_code == 200, (persona, name)
    page = clients["comms"].get(reverse("surveys:report", args=[damaged.slug])).content.decode()
    assert "1 stored answer is not valid" in page
    assert "Mean: <strong>3.00</strong>" in page  # 1 to 5: the damaged answer is left out
    lines = (
        clients["comms"].get(reverse("surveys:report_csv", args=[damaged.slug])).content.decode("utf-8-sig")
    )
    assert "officer,6,,,accounts,How many accounts do you run?,number,5,,,,,,,,3.0" in lines.splitlines()
    xlsx = clients["auditor"].get(reverse("surveys:report_xlsx", args=[damaged.slug]))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.max_row > 1


def test_the_comparison_survives_a_stored_number_out_of_range(clients, damaged):
    later = make_questionnaire(slug="later", questions=PLAIN)
    respond(later, {"uses": "yes", "accounts": -(10**400)}, respondent="x@x.test")
    for persona in ["comms", "auditor"]:
        page = clients[persona].get(reverse("surveys:compare"), {"first": damaged.slug, "second": "later"})
        assert page.status_code == 200, persona


def test_a_number_too_long_for_python_to_read_is_reported_as_not_valid(clients, damaged):
    # 5,001 digits: more than Python will turn into an int (4,300), so only SQL could have put it there.
    response = Response.objects.filter(questionnaire=damaged).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE surveys_response SET answers = jsonb_set(answers, '{accounts}', '1e5000'::jsonb) WHERE id = %s",
            [response.pk],
        )
    for name in ["report", "report_csv", "report_xlsx", "export_responses", "responses"]:
        assert clients["comms"].get(reverse(f"surveys:{name}", args=[damaged.slug])).status_code == 200, name
    detail = clients["comms"].get(reverse("surveys:response", args=[damaged.slug, response.pk]))
    assert detail.status_code == 200
    assert "Not a valid answer" in detail.content.decode()
    assert (
        "2 stored answers are not valid"
        in clients["comms"].get(reverse("surveys:report", args=[damaged.slug])).content.decode()
    )


def test_other_stored_answers_of_the_wrong_kind_do_not_break_the_report(clients):
    questionnaire = make_questionnaire()
    odd = [
        {"uses": 7},
        {"uses": ["yes"]},
        {"uses": "maybe"},
        {"platforms": "x"},
        {"platforms": [["x"]]},
        {"platforms": ["x", 3]},
        {"rank": {"a": "1"}},
        {"rank": {"a": [1]}},
        {"rank": {"a": 9}},
        {"rank": {"zzz": 1}},
        {"rank": [1, 2]},
        {"accounts": "12"},
        {"accounts": True},
        {"accounts": {"n": 1}},
        {"comments": 5},
        {"comments": ["a"]},
    ]
    for i, answers in enumerate(odd):
        respond(questionnaire, answers, respondent=f"odd{i}@x.test")
    respond(
        questionnaire,
        {"uses": "yes", "platforms": ["x"], "rank": {"a": 1}, "accounts": 2},
        respondent="ok@x.test",
    )
    for name in ["report", "report_csv", "report_xlsx", "export_responses"]:
        assert (
            clients["comms"].get(reverse(f"surveys:{name}", args=[questionnaire.slug])).status_code == 200
        ), name
    page = clients["comms"].get(reverse("surveys:report", args=[questionnaire.slug])).content.decode()
    assert "3 stored answers are not valid" in page  # uses: 7, ["yes"], "maybe"
    assert "5 stored answers are not valid" in page  # rank
