"""Answering: one question per page, save and come back, conditions, check answers, send once."""

import contextlib
import dataclasses
import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from surveys.definition import spec_from_dict
from surveys.models import Response
from surveys.services import (
    questionnaire_load,
    questionnaires_follow_dates,
    response_save_answer,
    response_submit,
)
from tests.surveys.helpers import definition, invite, make_questionnaire

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def invitation(people):
    questionnaire = make_questionnaire(
        opens_on=TODAY - datetime.timedelta(days=7), closes_on=TODAY + datetime.timedelta(days=7)
    )
    return invite(questionnaire, people["head_of_service"], "officer")


def url(name, invitation, *args):
    return reverse(f"surveys:{name}", args=[invitation.pk, *args])


def test_answers_are_saved_page_by_page_and_can_be_resumed(clients, invitation):
    client = clients["head_of_service"]
    start = client.get(url("start", invitation))
    assert "Start now" in start.content.decode()
    assert not Response.objects.exists()  # looking does not start a response (or freeze the questions)

    response = client.post(url("question", invitation, "uses"), {"answer": "yes"})
    assert response["Location"] == url("question", invitation, "platforms")
    response = client.post(url("question", invitation, "platforms"), {"answer": ["x", "youtube"], "save": ""})
    assert response["Location"] == url("start", invitation)

    saved = Response.objects.get()
    assert saved.answers == {"uses": "yes", "platforms": ["x", "youtube"]} and saved.submitted_at is None
    page = client.get(url("start", invitation), follow=True).content.decode()
    assert "You have answered 2 questions so far" in page
    assert f'href="{url("answer", invitation)}"' in page
    # Continuing goes to the first question not answered yet.
    assert client.get(url("answer", invitation))["Location"] == url("question", invitation, "often")
    form = client.get(url("question", invitation, "platforms")).content.decode()
    assert (
        'value="youtube" checked' in form
        or 'checked value="youtube"' in form
        or ('value="youtube"' in form and "checked" in form)
    )


def test_every_question_page_shows_its_question_as_the_heading(clients, invitation):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "yes"})
    for code, text in [
        ("uses", "Do you use social media for work?"),
        ("platforms", "Which platforms?"),
        ("often", "How often?"),
        ("reviews", "Are posts reviewed first?"),
        ("rank", "Rank these benefits"),
        ("accounts", "How many accounts do you run?"),
        ("comments", "Anything else?"),
    ]:
        page = client.get(url("question", invitation, code))
        assert page.status_code == 200, code
        assert "<h1" in page.content.decode() and text in page.content.decode(), code


def test_save_and_come_back_later_tells_them_until_when(clients, invitation):
    response = clients["head_of_service"].post(
        url("question", invitation, "uses"), {"answer": "no", "save": ""}, follow=True
    )
    assert (
        "Your answers are saved. You can come back and finish until 17 March 2026."
        in response.content.decode()
    )


def test_a_required_question_must_be_answered_to_continue_but_not_to_save(clients, invitation):
    client = clients["head_of_service"]
    response = client.post(url("question", invitation, "uses"), {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Select yes or no" in page
    assert client.post(url("question", invitation, "uses"), {"save": ""}).status_code == 302
    assert not Response.objects.exists()


def test_a_question_not_asked_given_earlier_answers_is_skipped_and_its_answer_removed(
    clients, invitation, people
):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "yes"})
    client.post(url("question", invitation, "platforms"), {"answer": ["x"]})
    # Changing "uses" to no removes the platforms answer and skips to the next question asked.
    response = client.post(url("question", invitation, "uses"), {"answer": "no"})
    assert response["Location"] == url("question", invitation, "rank")
    assert Response.objects.get().answers == {"uses": "no"}
    assert client.get(url("question", invitation, "platforms"))["Location"] == url("start", invitation)
    with pytest.raises(ValidationError, match="not asked of you"):
        response_save_answer(
            invitation=invitation, by=people["head_of_service"], question_code="platforms", value=["x"]
        )


def test_ranking_and_number_pages_check_what_was_typed(clients, invitation):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "no"})
    page = client.post(url("question", invitation, "rank"), {"rank_a": "1", "rank_b": "1"}).content.decode()
    assert "Rank 1 is given to more than one option" in page
    assert client.post(url("question", invitation, "rank"), {"rank_a": "2", "rank_c": "1"}).status_code == 302
    assert (
        "Enter a number, like 3 or 2.5"
        in client.post(url("question", invitation, "accounts"), {"answer": "a few"}).content.decode()
    )
    client.post(url("question", invitation, "accounts"), {"answer": "2"})
    assert Response.objects.get().answers == {"uses": "no", "rank": {"a": 2, "c": 1}, "accounts": 2}


def test_check_answers_then_send_once(clients, invitation):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "yes"})
    client.post(url("question", invitation, "platforms"), {"answer": ["facebook"]})
    check = client.get(url("check", invitation)).content.decode()
    assert "Check your answers before sending them" in check
    assert "Facebook" in check and f"{url('question', invitation, 'platforms')}?change=1" in check

    # A change made from the check page goes back to it.
    response = client.post(url("question", invitation, "platforms") + "?change=1", {"answer": ["x"]})
    assert response["Location"] == url("check", invitation)

    response = client.post(url("check", invitation))
    assert response["Location"] == url("done", invitation)
    assert Response.objects.get().submitted_at is not None
    assert "Answers sent" in client.get(url("done", invitation)).content.decode()
    # After sending, nothing can change.
    assert client.post(url("question", invitation, "uses"), {"answer": "no"})["Location"] == url(
        "start", invitation
    )
    assert Response.objects.get().answers["uses"] == "yes"
    assert "You sent your answers on 10 March 2026" in client.get(url("start", invitation)).content.decode()


def test_sending_with_a_required_answer_missing_lists_it(clients, invitation, people):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "yes"})
    page = client.post(url("check", invitation)).content.decode()
    assert "There is a problem" in page and "Answer “Which platforms?”" in page
    assert Response.objects.get().submitted_at is None


def test_a_changed_answer_that_opens_a_new_question_asks_it_before_returning(clients, invitation):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "no"})
    response = client.post(url("question", invitation, "uses") + "?change=1", {"answer": "yes"})
    assert response["Location"] == url("question", invitation, "platforms") + "?change=1"


@contextlib.contextmanager
def after_closing():
    """The day after it closes, once the scheduled sweep has closed it."""
    with time_machine.travel(datetime.datetime(2026, 3, 18, 9, 0, tzinfo=datetime.UTC), tick=False):
        questionnaires_follow_dates()
        yield


def test_answers_are_refused_outside_the_dates(invitation, people):
    person = people["head_of_service"]
    with after_closing(), pytest.raises(ValidationError, match="closed on 17 March 2026"):
        response_save_answer(invitation=invitation, by=person, question_code="uses", value="yes")
    later = make_questionnaire(slug="later", opens_on=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="opens on 13 March 2026"):
        response_save_answer(invitation=invite(later, person), by=person, question_code="uses", value="yes")


def test_closed_questionnaires_say_so_and_do_not_take_answers(clients, invitation):
    client = clients["head_of_service"]
    client.post(url("question", invitation, "uses"), {"answer": "no"})
    with after_closing():
        assert (
            "closed on 17 March 2026, before your answers were sent"
            in client.get(url("start", invitation)).content.decode()
        )
        assert client.post(url("check", invitation))["Location"] == url("start", invitation)
    assert Response.objects.get().submitted_at is None


def test_only_the_invitee_answers_and_others_get_404(clients, invitation, people):
    for persona in ["comms", "officer", "auditor", "councillor", "outsider"]:
        assert clients[persona].get(url("start", invitation)).status_code == 404, persona
        assert (
            clients[persona].post(url("question", invitation, "uses"), {"answer": "yes"}).status_code == 404
        )
        assert clients[persona].post(url("check", invitation)).status_code == 404
    with pytest.raises(PermissionDenied):
        response_save_answer(invitation=invitation, by=people["comms"], question_code="uses", value="yes")
    with pytest.raises(PermissionDenied):
        response_submit(invitation=invitation, by=people["comms"])
    assert not Response.objects.exists()


def test_an_unknown_question_is_404(clients, invitation):
    assert clients["head_of_service"].get(url("question", invitation, "nope")).status_code == 404


def test_posting_without_the_csrf_token_is_refused(people, invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["head_of_service"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(url("question", invitation, "uses"), {"answer": "yes"}).status_code == 403
    assert not Response.objects.exists()


def test_the_home_page_lists_the_questionnaire_to_answer(clients, invitation):
    page = clients["head_of_service"].get("/").content.decode()
    assert "questionnaire to answer" in page
    clients["head_of_service"].post(url("question", invitation, "uses"), {"answer": "no"})
    clients["head_of_service"].post(url("check", invitation))
    assert "questionnaire to answer" not in clients["head_of_service"].get("/").content.decode()


def test_two_tabs_saving_at_once_keep_one_response(invitation, people):
    person = people["head_of_service"]
    response_save_answer(invitation=invitation, by=person, question_code="uses", value="yes")
    response_save_answer(invitation=invitation, by=person, question_code="comments", value="Hello")
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == {"uses": "yes", "comments": "Hello"}


# Definition text is shown as written: never as HTML, never run as template code.

INJECTED_TEXT = "<i id=injected> Is this shown as written?"
INJECTED_LABEL = "A <b>bold</b>"
INJECTED_HINT = "{{ request.user.email }}"


def _injected_questionnaire():
    """Every question type with HTML in its text and labels and template code in its hint. The parser
    now refuses template code, so the hint is put in afterwards, like text loaded before that check
    (or typed into the admin before it had one)."""
    options = [{"code": "a", "label": INJECTED_LABEL}, {"code": "b", "label": "B"}]
    questions = [
        {
            "code": code,
            "text": f"{INJECTED_TEXT} ({code})",
            "hint": "Hint",
            "type": kind,
            **({"options": options} if kind in ("single_choice", "multiple_choice", "ranking") else {}),
        }
        for code, kind in [
            ("yn", "yes_no"),
            ("one", "single_choice"),
            ("many", "multiple_choice"),
            ("rank", "ranking"),
            ("count", "number"),
            ("words", "text"),
        ]
    ]
    questions[0]["options"] = [{"code": "yes", "label": INJECTED_LABEL}, {"code": "no", "label": "No"}]
    spec = spec_from_dict(
        definition(
            questions=questions,
            opens_on=(TODAY - datetime.timedelta(days=7)).isoformat(),
            closes_on=(TODAY + datetime.timedelta(days=7)).isoformat(),
        )
    )
    spec = dataclasses.replace(
        spec, questions=tuple(dataclasses.replace(q, hint=INJECTED_HINT) for q in spec.questions)
    )
    questionnaire, _ = questionnaire_load(spec=spec)
    return questionnaire


def _main(page) -> str:
    return page.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("code", ["yn", "one", "many", "rank", "count", "words"])
def test_question_text_labels_and_hints_are_shown_as_written(clients, people, code):
    invitation = invite(_injected_questionnaire(), people["head_of_service"], "officer")
    page = clients["head_of_service"].get(url("question", invitation, code))
    assert page.status_code == 200
    main = _main(page)
    assert "&lt;i id=injected&gt; Is this shown as written?" in main
    assert "<i id=injected>" not in main and "id=injected>" not in main
    assert "{{ request.user.email }}" in main
    assert people["head_of_service"].email not in main
    if code not in ("count", "words"):  # the questions with options
        assert "A &lt;b&gt;bold&lt;/b&gt;" in main
    assert "<b>" not in main
    assert "&amp;lt;" not in main  # escaped once, not twice
    # The tab title too.
    assert "&lt;i id=injected&gt;" in page.content.decode().split("<title>", 1)[1].split("</title>")[0]


def test_an_invalid_answer_page_still_shows_the_text_as_written(clients, people):
    invitation = invite(_injected_questionnaire(), people["head_of_service"], "officer")
    client = clients["head_of_service"]
    for code, data in [("one", {"answer": "zzz"}), ("rank", {"rank_a": "1", "rank_b": "1"})]:
        main = _main(client.post(url("question", invitation, code), data))
        assert "There is a problem" in main, code
        assert "&lt;i id=injected&gt;" in main and "<i id=injected>" not in main, code
        assert "A &lt;b&gt;bold&lt;/b&gt;" in main and "<b>" not in main, code
        assert people["head_of_service"].email not in main, code


def test_check_answers_shows_labels_as_written(clients, people):
    invitation = invite(_injected_questionnaire(), people["head_of_service"], "officer")
    client = clients["head_of_service"]
    client.post(url("question", invitation, "one"), {"answer": "a"})
    main = _main(client.get(url("check", invitation)))
    assert "A &lt;b&gt;bold&lt;/b&gt;" in main and "<b>" not in main
    assert "&lt;i id=injected&gt;" in main and "<i id=injected>" not in main
