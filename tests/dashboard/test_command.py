"""`manage.py dashboard --format json` prints the issue's shape, with said versus did."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.surveys.helpers import make_questionnaire, respond

YES_NO = [
    {"code": code, "text": f"{code}?", "type": "yes_no"}
    for code in (
        "reviews_posts",
        "responses_reviewed",
        "agreed_response_times",
        "standard_responses",
        "blocked_anyone",
    )
]


def run(*args) -> dict:
    out = io.StringIO()
    call_command("dashboard", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def questionnaire(db):
    made = make_questionnaire(slug="practice-2026", questions=YES_NO)
    # reviews_posts: 1 yes of 3 answering; agreed_response_times: 2 yes of 2; the rest unanswered.
    respond(made, {"reviews_posts": "yes", "agreed_response_times": "yes"}, respondent="a@x.gov.uk")
    respond(made, {"reviews_posts": "no", "agreed_response_times": "yes"}, respondent="b@x.gov.uk")
    respond(made, {"reviews_posts": "no"}, respondent="c@x.gov.uk")
    return made


def test_command_prints_the_shape_with_said_vs_did(council, questionnaire):
    found = run("--from", "2026-05-01", "--to", "2026-06-30")
    assert set(found) == {"from", "to", "service_area", "indicators", "said_vs_did"}
    assert (found["from"], found["to"], found["service_area"]) == ("2026-05-01", "2026-06-30", None)
    indicators = found["indicators"]
    assert indicators["review.approved_before_publication_share"] == 66.7
    assert indicators["responses.within_target_share"] == 50.0
    assert indicators["responses.median_working_hours"] == 4.0
    assert indicators["responses.p90_working_hours"] == 8.8
    assert indicators["register.dormant"] == 1
    assert indicators["review.urgent_reviewed_after_share"] == 100.0
    practices = {row["practice"]: row for row in found["said_vs_did"]}
    assert practices["Reviewing posts before they go out"] == {
        "practice": "Reviewing posts before they go out",
        "said": {"count": 1, "base": 3, "percent": 33.3},
        "did": {"count": 2, "base": 3, "percent": 66.7},
    }
    assert practices["Replying within agreed response times"]["said"] == {
        "count": 2,
        "base": 2,
        "percent": 100.0,
    }
    assert practices["Replying within agreed response times"]["did"] == {
        "count": 2,
        "base": 4,
        "percent": 50.0,
    }
    assert practices["Using standard responses"]["said"] == {"count": 0, "base": 0, "percent": None}
    # Replies, urgent apart: R1 was approved before it went out.
    assert practices["Reviewing replies to the public before they go out"]["did"] == {
        "count": 1,
        "base": 1,
        "percent": 100.0,
    }
    # Open accounts A1, A2, A4; blocks in the period on A1 and A4.
    assert practices["Blocking members of the public"]["did"] == {"count": 2, "base": 3, "percent": 66.7}


def test_command_for_one_service_area_and_a_share_with_no_base_is_null(council):
    found = run("--from", "2026-05-01", "--to", "2026-06-30", "--service-area", "waste")
    assert found["service_area"] == "waste"
    assert found["indicators"]["review.urgent_reviewed_after_share"] is None
    assert found["said_vs_did"][0]["said"] == {"count": None, "base": None, "percent": None}


def test_command_refuses_bad_input(db):
    with pytest.raises(CommandError, match="not a date"):
        run("--from", "yesterday")
    with pytest.raises(CommandError, match="no service area"):
        run("--service-area", "nowhere")
    with pytest.raises(CommandError, match="after"):
        run("--from", "2026-06-01", "--to", "2026-05-01")


def test_said_is_null_without_the_surveys_app(council, questionnaire, monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda label: label != "surveys" and real(label))
    found = run("--from", "2026-05-01", "--to", "2026-06-30")
    assert {tuple(row["said"].values()) for row in found["said_vs_did"]} == {(None, None, None)}
    assert found["said_vs_did"][0]["did"]["percent"] == 66.7
