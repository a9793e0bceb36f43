"""survey_report: the agreed JSON layout, exactly, and the readable text version."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import PersonFactory
from tests.surveys.helpers import invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db

SMALL = [
    {"code": "uses", "text": "Use it?", "type": "yes_no", "required": True},
    {
        "code": "rank",
        "text": "Rank",
        "type": "ranking",
        "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
    },
    {"code": "n", "text": "How many?", "type": "number"},
    {"code": "why", "text": "Why?", "type": "text", "audiences": ["officer"]},
]


@pytest.fixture
def small():
    questionnaire = make_questionnaire(slug="small", questions=SMALL)
    officers = [invite(questionnaire, PersonFactory(), "officer") for _ in range(3)]
    invite(questionnaire, PersonFactory(), "councillor")
    respond(
        questionnaire,
        {"uses": "yes", "rank": {"a": 1, "b": 2}, "n": 2, "why": "Reach"},
        invitation=officers[0],
    )
    respond(questionnaire, {"uses": "no", "rank": {"b": 1}, "n": 3}, invitation=officers[1])
    respond(questionnaire, {"uses": "no"}, audience="councillor", respondent="paper-1")
    respond(questionnaire, {"uses": "yes"}, invitation=officers[2], submitted=False)  # not sent: not counted
    return questionnaire


def test_the_json_report_has_exactly_the_agreed_layout(small, capsys):
    call_command("survey_report", "small", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {
        "questionnaire": "small",
        "groups": {
            "officer": {
                "responses": 2,
                "invited": 3,
                "response_rate": 66.7,
                "questions": {
                    "uses": {
                        "type": "yes_no",
                        "base": 2,
                        "options": {
                            "yes": {"count": 1, "percent": 50.0},
                            "no": {"count": 1, "percent": 50.0},
                        },
                    },
                    "rank": {
                        "type": "ranking",
                        "base": 2,
                        "ranked_by": {"a": 1, "b": 2},
                        "weighted_average": {"a": 2.0, "b": 1.5},
                        "weighted_average_all": {"a": 1.0, "b": 1.5},
                    },
                    "n": {"type": "number", "base": 2, "mean": 2.5},
                    "why": {"type": "text", "base": 1},
                },
            },
            "councillor": {
                "responses": 1,
                "invited": 1,
                "response_rate": 100.0,
                "questions": {
                    "uses": {
                        "type": "yes_no",
                        "base": 1,
                        "options": {
                            "yes": {"count": 0, "percent": 0.0},
                            "no": {"count": 1, "percent": 100.0},
                        },
                    },
                    "rank": {
                        "type": "ranking",
                        "base": 0,
                        "ranked_by": {"a": 0, "b": 0},
                        "weighted_average": {"a": None, "b": None},
                        "weighted_average_all": {"a": None, "b": None},
                    },
                    "n": {"type": "number", "base": 0, "mean": None},
                },
            },
            "all": {
                "responses": 3,
                "invited": 4,
                "response_rate": 75.0,
                "questions": {
                    "uses": {
                        "type": "yes_no",
                        "base": 3,
                        "options": {
                            "yes": {"count": 1, "percent": 33.3},
                            "no": {"count": 2, "percent": 66.7},
                        },
                    },
                    "rank": {
                        "type": "ranking",
                        "base": 2,
                        "ranked_by": {"a": 1, "b": 2},
                        "weighted_average": {"a": 2.0, "b": 1.5},
                        "weighted_average_all": {"a": 1.0, "b": 1.5},
                    },
                    "n": {"type": "number", "base": 2, "mean": 2.5},
                    "why": {"type": "text", "base": 1},
                },
            },
        },
    }


def test_the_command_shows_small_groups_that_pages_withhold(small, capsys):
    call_command("survey_report", "small")
    out = capsys.readouterr().out
    assert "Councillors: 1 responses of 1 invited, 100.0% response rate" in out
    assert "A = Weighted average of those who ranked it" in out
    assert "B = Score counting unranked as 0 (everyone who answered)" in out
    assert "- Reach" in out


def test_an_unknown_questionnaire_is_an_error():
    with pytest.raises(CommandError, match="no questionnaire called nope"):
        call_command("survey_report", "nope", "--format", "json")
