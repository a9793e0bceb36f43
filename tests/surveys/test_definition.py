"""Definition files: the shipped 2018 questionnaire, every check, loading and the structure freeze."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from surveys.definition import DefinitionError, parse_definition, spec_from_dict, spec_to_dict
from surveys.models import Question, Questionnaire
from surveys.selectors import questionnaire_spec
from tests.surveys.helpers import definition, make_questionnaire, respond

SHIPPED = Path(__file__).resolve().parents[2] / "surveys" / "definitions" / "social-media-2018.json"


def test_the_shipped_2018_questionnaire_is_valid_and_covers_the_audit():
    spec = parse_definition(SHIPPED.read_bytes())
    assert spec.slug == "social-media-2018"
    assert spec.audiences == ("officer", "councillor")
    codes = [q.code for q in spec.questions]
    for code in [
        "uses_social_media",
        "platforms",
        "frequency",
        "objectives",
        "target_audiences",
        "benefits",
        "risks",
        "reviews_posts",
        "responds_to_public",
        "blocked_anyone",
        "support_wanted",
    ]:
        assert code in codes
    assert len(spec.question("benefits").options) == 5
    assert len(spec.question("risks").options) == 4
    assert spec.question("platforms").show_if == ("uses_social_media", "yes")
    assert spec.question("reviews_posts").audiences == ("officer",)
    assert {q.type for q in spec.questions} == {
        "yes_no",
        "single_choice",
        "multiple_choice",
        "ranking",
        "number",
        "text",
    }


def test_writing_a_definition_and_reading_it_back_gives_the_same_structure():
    spec = parse_definition(SHIPPED.read_bytes())
    assert parse_definition(json.dumps(spec_to_dict(spec))) == spec


def errors_of(data) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        spec_from_dict(data)
    return caught.value.errors


def test_every_problem_is_reported_at_once():
    questions = [
        {"code": "uses", "text": "Uses?", "type": "yes_no"},
        {"code": "uses", "text": "Again?", "type": "yes_no"},
        {"code": "pick", "text": "Pick", "type": "single_choice", "options": [{"code": "a", "label": "A"}]},
        {
            "code": "rank",
            "text": "Rank",
            "type": "ranking",
            "options": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}],
        },
        {"code": "n", "text": "How many?", "type": "number", "options": [{"code": "a", "label": "A"}]},
        {
            "code": "later",
            "text": "Later",
            "type": "yes_no",
            "show_if": {"question": "after", "equals": "yes"},
        },
        {
            "code": "cond",
            "text": "Cond",
            "type": "yes_no",
            "show_if": {"question": "uses", "equals": "maybe"},
        },
        {"code": "odd", "text": "Odd", "type": "sliding_scale"},
        {"code": "Bad Code", "text": "Bad", "type": "text"},
        {
            "code": "yn",
            "text": "Y",
            "type": "yes_no",
            "options": [{"code": "y", "label": "Y"}, {"code": "n", "label": "N"}],
        },
        {"code": "after", "text": "After", "type": "yes_no", "audiences": ["resident"]},
    ]
    errors = errors_of(definition(slug="Not A Slug", audiences=["staff"], questions=questions))
    expected = [
        "slug “Not A Slug” must use only",
        "audiences must be a list of officer and/or councillor",
        "Question 2 (uses): another question already has this code",
        "Question 3 (pick): a single_choice question needs at least two options",
        "Question 4 (rank): the option code “a” is used twice",
        "Question 5 (n): a number question has no options",
        "Question 6 (later): show_if must name an earlier question, not “after”",
        "Question 7 (cond): “maybe” is not an option of uses",
        "Question 8 (odd): type must be one of",
        "Question 9 (Bad Code): the code must use only",
        "Question 10 (yn): a yes_no question's options must have the codes yes and no",
        "Question 11 (after): audiences must be a list",
    ]
    for fragment in expected:
        assert any(fragment in e for e in errors), (fragment, errors)


def test_reserved_slugs_and_bad_dates_are_refused():
    assert any("reserved" in e for e in errors_of(definition(slug="compare")))
    assert any(
        "closes_on must not be before opens_on" in e
        for e in errors_of(definition(opens_on="2026-05-01", closes_on="2026-04-01"))
    )
    assert any("YYYY-MM-DD" in e for e in errors_of(definition(opens_on="1st May")))


def test_not_json_is_refused():
    with pytest.raises(DefinitionError, match="not valid JSON"):
        parse_definition(b"{nope")


@pytest.mark.django_db
def test_survey_load_creates_then_updates_until_someone_answers(tmp_path, capsys):
    path = tmp_path / "pulse.json"
    path.write_text(json.dumps(definition()), encoding="utf-8")
    call_command("survey_load", str(path))
    assert "Created pulse" in capsys.readouterr().out
    questionnaire = Questionnaire.objects.get(slug="pulse")
    assert questionnaire_spec(questionnaire) == spec_from_dict(definition())

    changed = definition(title="Pulse, revised")
    changed["questions"] = changed["questions"][:3]
    path.write_text(json.dumps(changed), encoding="utf-8")
    call_command("survey_load", str(path))
    assert "Updated pulse" in capsys.readouterr().out
    assert Question.objects.filter(questionnaire=questionnaire).count() == 3

    respond(questionnaire, {"uses": "no"})
    path.write_text(json.dumps(definition()), encoding="utf-8")
    with pytest.raises(CommandError, match="already has responses"):
        call_command("survey_load", str(path))
    assert Question.objects.filter(questionnaire=questionnaire).count() == 3


@pytest.mark.django_db
def test_survey_load_lists_every_problem_in_a_bad_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(definition(slug="", questions=[{"code": "x", "text": "X", "type": "nope"}])))
    with pytest.raises(CommandError) as caught:
        call_command("survey_load", str(path))
    assert "needs a “slug”" in str(caught.value) and "type must be one of" in str(caught.value)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("survey_load", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_a_copy_is_a_new_run_with_the_same_codes(people):
    from surveys.services import questionnaire_copy

    original = make_questionnaire()
    respond(original, {"uses": "no"})
    copy = questionnaire_copy(
        questionnaire=original,
        by=people["comms"],
        slug="pulse-2027",
        title="Pulse 2027",
        opens_on=None,
        closes_on=None,
    )
    assert copy.copied_from == original and not copy.is_frozen
    assert [q.code for q in questionnaire_spec(copy).questions] == [
        q.code for q in questionnaire_spec(original).questions
    ]


# Template code: definition text is shown as written, so template syntax in it is refused.


def test_template_code_in_any_text_is_refused_with_a_message_per_question():
    data = definition(title="Pulse {{ settings.SECRET_KEY }}", description="Hi {# note #}")
    data["questions"] = [
        {**data["questions"][0], "text": "Do you use {{ request.user.email }}?"},
        {
            **data["questions"][1],
            "hint": "{% debug %}",
            "options": [{"code": "x", "label": "X {{ 1 }}"}, *data["questions"][1]["options"][1:]],
        },
        *data["questions"][2:],
    ]
    assert errors_of(data) == [
        "The questionnaire's title must not contain “{{”: "
        "text is shown as written and cannot hold template code.",
        "The questionnaire's description must not contain “{#”: "
        "text is shown as written and cannot hold template code.",
        "Question 1 (uses): the text must not contain “{{”: "
        "text is shown as written and cannot hold template code.",
        "Question 2 (platforms): the hint must not contain “{%”: "
        "text is shown as written and cannot hold template code.",
        "Question 2 (platforms), option 1: the label must not contain “{{”: "
        "text is shown as written and cannot hold template code.",
    ]


def test_html_and_single_braces_are_allowed_and_kept_as_written():
    data = definition()
    data["questions"] = [
        {**data["questions"][0], "text": "<i id=injected> {braces} 50% {x}?", "hint": "Tick {one}"},
        *data["questions"][1:],
    ]
    question = spec_from_dict(data).question("uses")
    assert (question.text, question.hint) == ("<i id=injected> {braces} 50% {x}?", "Tick {one}")


@pytest.mark.django_db
def test_survey_load_refuses_a_definition_with_template_code(tmp_path):
    data = definition()
    data["questions"] = [{**data["questions"][0], "hint": "{{ request.user.email }}"}, *data["questions"][1:]]
    path = tmp_path / "pulse.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("survey_load", str(path))
    assert "Question 1 (uses): the hint must not contain “{{”" in str(caught.value)
    assert not Questionnaire.objects.exists()


@pytest.mark.django_db
def test_the_admin_checks_refuse_template_code_too():
    questionnaire = make_questionnaire()
    questionnaire.title = "{{ request.user.email }}"
    with pytest.raises(ValidationError) as caught:
        questionnaire.clean()
    assert "title" in caught.value.message_dict
    question = questionnaire.questions.get(code="platforms")
    question.hint = "{% now 'Y' %}"
    with pytest.raises(ValidationError) as caught:
        question.clean()
    assert caught.value.message_dict["hint"] == [
        "The hint must not contain “{%”: text is shown as written and cannot hold template code."
    ]
    option = question.options.first()
    option.label = "{{ x }}"
    with pytest.raises(ValidationError) as caught:
        option.clean()
    assert "label" in caught.value.message_dict
