"""The report's arithmetic, on hand-computed examples, counted in the database as the pages count it
(surveys.figures) and finished by surveys.report."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from surveys.figures import figures_changed, tallies_for
from surveys.models import Questionnaire, Response, ResponseStatus
from surveys.report import (
    ALL,
    Report,
    build_report,
    compare_reports,
    export_rows,
    hide_small_groups,
    report_json,
)
from surveys.selectors import questionnaire_spec
from tests.surveys.helpers import definition, make_questionnaire

pytestmark = pytest.mark.django_db


def report_of(responses, invited=None, **changes) -> Report:
    """The report of these (audience, answers) responses to the pulse questionnaire (or one changed
    by `changes`), with `invited` invitations per audience."""
    taken = Questionnaire.objects.filter(slug__startswith="pulse").count()
    questionnaire = make_questionnaire(**{"slug": f"pulse-{taken}" if taken else "pulse", **changes})
    when = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30))
    Response.objects.bulk_create(
        Response(
            questionnaire=questionnaire,
            respondent=f"r{n}@x.test",
            audience=audience,
            answers=answers,
            status=ResponseStatus.SUBMITTED,
            submitted_at=when,
        )
        for n, (audience, answers) in enumerate(responses)
    )
    figures_changed(questionnaire.pk)  # as the services do
    questionnaire.refresh_from_db(fields=["figures_version"])
    spec = questionnaire_spec(questionnaire)
    return build_report(spec, tallies_for(questionnaire, spec, texts=True), invited or {})


def question_result(code: str, values: list, **changes):
    """One question's figures from each respondent's answer to it (None: not answered)."""
    responses = [("officer", {} if value is None else {code: value}) for value in values]
    return report_of(responses, **changes).group(ALL).question(code)


def test_yes_no_counts_and_percentages_use_those_who_answered_as_the_base():
    values = ["yes"] * 15 + ["no"] * 19 + [None] * 3  # three skipped it
    result = question_result("uses", values)
    assert result.base == 34
    assert [(o.code, o.count, o.percent) for o in result.options] == [
        ("yes", 15, Decimal("44.1")),
        ("no", 19, Decimal("55.9")),
    ]


def test_single_choice_counts_each_option_including_those_nobody_chose():
    result = question_result("often", ["daily", "weekly", "daily", None])
    assert result.base == 3
    assert [(o.code, o.count, o.percent) for o in result.options] == [
        ("daily", 2, Decimal("66.7")),
        ("weekly", 1, Decimal("33.3")),
        ("monthly", 0, Decimal("0.0")),
    ]


def test_multiple_choice_counts_each_selection_so_percentages_can_exceed_100_in_total():
    result = question_result("platforms", [["x", "facebook"], ["x"], ["youtube"], [], None])
    assert result.base == 3  # an empty selection is not an answer
    assert [(o.code, o.count, o.percent) for o in result.options] == [
        ("x", 2, Decimal("66.7")),
        ("facebook", 1, Decimal("33.3")),
        ("youtube", 1, Decimal("33.3")),
    ]


def test_percentages_round_half_up_to_one_place():
    assert question_result("uses", ["yes"] + ["no"] * 7).options[0].percent == Decimal("12.5")
    assert question_result("uses", ["yes"] * 7 + ["no"] * 8).options[0].percent == Decimal(
        "46.7"
    )  # the audit's 7/15


def test_ranking_both_scores_with_partial_rankings_and_a_skipped_question():
    # Three options, so rank 1 scores 3, rank 2 scores 2, rank 3 scores 1.
    values = [
        {"a": 1, "b": 2, "c": 3},  # a full ranking: a 3, b 2, c 1
        {"b": 1, "a": 2},  # partial: b 3, a 2, c unranked
        {"c": 1},  # partial: c 3
        None,  # skipped the question: not in the base
    ]
    result = question_result("rank", values)
    assert result.base == 3
    got = {o.code: (o.ranked_by, o.weighted_average, o.weighted_average_all) for o in result.options}
    assert got == {
        # weighted_average: total score / those who ranked it; weighted_average_all: total / everyone (3)
        "a": (2, Decimal("2.50"), Decimal("1.67")),  # (3 + 2) / 2 and (3 + 2 + 0) / 3
        "b": (2, Decimal("2.50"), Decimal("1.67")),  # (2 + 3) / 2 and 5 / 3
        "c": (2, Decimal("2.00"), Decimal("1.33")),  # (1 + 3) / 2 and 4 / 3
    }


def test_ranking_with_gaps_and_an_option_nobody_ranked():
    values = [{"a": 1, "c": 3}, {"a": 2}]  # a: 3 and 2; c: 1; b never ranked
    result = question_result("rank", values)
    got = {o.code: (o.ranked_by, o.weighted_average, o.weighted_average_all) for o in result.options}
    assert got == {
        "a": (2, Decimal("2.50"), Decimal("2.50")),
        "b": (0, None, Decimal("0.00")),
        "c": (1, Decimal("1.00"), Decimal("0.50")),
    }


def test_averages_round_half_up_to_two_places():
    five = {
        "code": "five",
        "text": "Rank",
        "type": "ranking",
        "options": [{"code": c, "label": c} for c in "abcde"],
    }
    # Five options: rank 1 scores 5, rank 2 scores 4. Three firsts and five seconds: 35 / 8 = 4.375.
    result = question_result("five", [{"a": r} for r in (1, 1, 1, 2, 2, 2, 2, 2)], questions=[five])
    assert result.options[0].weighted_average == Decimal("4.38")  # 35 / 8 = 4.375, half up


def test_number_mean_and_text_listing():
    assert question_result("accounts", [1, 2, 2.5, None]).mean == Decimal("1.83")
    assert question_result("accounts", [None, None]).mean is None
    assert question_result("accounts", [-3, 0.25]).mean == Decimal("-1.38")
    texts = question_result("comments", ["more training", None, "Better guidance", ""]).texts
    assert texts == ["Better guidance", "more training"]  # sorted: the order says nothing about who


def _responses():
    return [
        ("officer", {"uses": "yes", "platforms": ["x"], "reviews": "yes", "rank": {"a": 1}}),
        ("officer", {"uses": "no"}),
        ("councillor", {"uses": "yes", "platforms": ["x", "facebook"], "rank": {"b": 1, "a": 2}}),
    ]


def test_groups_per_audience_and_all_together_with_response_rates():
    report = report_of(_responses(), {"officer": 4, "councillor": 3})
    officer, councillor, everyone = report.groups
    assert [(g.key, g.responses, g.invited, g.response_rate) for g in report.groups] == [
        ("officer", 2, 4, Decimal("50.0")),
        ("councillor", 1, 3, Decimal("33.3")),
        ("all", 3, 7, Decimal("42.9")),
    ]
    assert officer.question("reviews").base == 1
    assert councillor.question("reviews") is None  # only officers are asked it
    assert everyone.question("uses").base == 3
    assert everyone.question("platforms").options[0].count == 2


def test_invited_is_null_without_invitations():
    report = report_of(_responses(), {})
    assert [(g.invited, g.response_rate) for g in report.groups] == [(None, None)] * 3


def test_json_layout_omits_keys_that_do_not_apply():
    data = report_json(report_of(_responses(), {"officer": 4, "councillor": 3}))
    assert list(data) == ["questionnaire", "groups"]
    assert data["questionnaire"] == "pulse"
    assert list(data["groups"]) == ["officer", "councillor", "all"]
    officer = data["groups"]["officer"]
    assert (officer["responses"], officer["invited"], officer["response_rate"]) == (2, 4, 50.0)
    questions = officer["questions"]
    assert questions["uses"] == {
        "type": "yes_no",
        "base": 2,
        "options": {"yes": {"count": 1, "percent": 50.0}, "no": {"count": 1, "percent": 50.0}},
    }
    assert questions["rank"] == {
        "type": "ranking",
        "base": 1,
        "ranked_by": {"a": 1, "b": 0, "c": 0},
        "weighted_average": {"a": 3.0, "b": None, "c": None},
        "weighted_average_all": {"a": 3.0, "b": 0.0, "c": 0.0},
    }
    assert questions["accounts"] == {"type": "number", "base": 0, "mean": None}
    assert questions["comments"] == {"type": "text", "base": 0}
    assert questions["often"]["options"]["daily"] == {"count": 0, "percent": None}  # base 0: no percentage


def test_small_groups_are_withheld_for_people_outside_comms():
    responses = [("officer", {"uses": "yes", "comments": f"note {i}"}) for i in range(6)] + [
        ("councillor", {"uses": "no"}) for _ in range(2)
    ]
    full = report_of(responses, {})
    shown = hide_small_groups(full, 5)
    officer, councillor, everyone = shown.groups
    assert not officer.hidden and councillor.hidden
    assert officer.question("uses").options[0].count == 6
    assert officer.question("comments").texts == []  # free text is for Comms only
    assert officer.question("platforms").base == 0 and not officer.question("platforms").hidden
    assert all(q.hidden for q in councillor.questions if q.base)
    # "Everyone" minus officers would reveal the two councillors: withheld too.
    assert everyone.question("uses").hidden and everyone.question("uses").options[0].count is None
    # The full report (the command's) still has everything.
    assert full.group("councillor").question("uses").options[1].count == 2


def test_a_question_answered_by_few_is_withheld_but_the_rest_of_the_group_is_shown():
    responses = [("officer", {"uses": "no"}) for _ in range(6)] + [
        ("officer", {"uses": "yes", "reviews": "yes"})
    ]
    shown = hide_small_groups(report_of(responses, {}), 5)
    officer = shown.group("officer")
    assert not officer.question("uses").hidden
    assert officer.question("reviews").hidden and officer.question("reviews").options[0].count is None


def test_comparison_gives_the_change_in_each_figure():
    first = report_of(
        [("officer", {"uses": "yes", "rank": {"a": 1}}), ("officer", {"uses": "no"})], {"officer": 4}
    )
    second = report_of(
        [
            ("officer", {"uses": "yes", "rank": {"a": 2, "b": 1}}),
            ("officer", {"uses": "yes"}),
            ("officer", {"uses": "no"}),
        ],
        {"officer": 4},
    )
    officer = next(g for g in compare_reports(first, second) if g.key == "officer")
    assert (officer.responses.first, officer.responses.second, officer.responses.change) == (2, 3, 1)
    assert officer.response_rate.change == Decimal("25.0")
    uses = next(q for q in officer.questions if q.code == "uses")
    yes = uses.options[0]
    assert (yes.percent.first, yes.percent.second, yes.percent.change) == (
        Decimal("50.0"),
        Decimal("66.7"),
        Decimal("16.7"),
    )
    rank = next(q for q in officer.questions if q.code == "rank")
    a = rank.options[0]
    assert (a.weighted_average.first, a.weighted_average.second, a.weighted_average.change) == (
        Decimal("3.00"),
        Decimal("2.00"),
        Decimal("-1.00"),
    )
    assert rank.options[1].weighted_average.change is None  # nobody ranked b the first time


def test_comparison_only_includes_shared_questions():
    first = report_of([("officer", {"uses": "yes"})], {})
    second = report_of(
        [("officer", {"uses": "no", "new": "yes"})],
        {},
        questions=[PULSE_USES, {"code": "new", "text": "New?", "type": "yes_no"}],
    )
    officer = next(g for g in compare_reports(first, second) if g.key == "officer")
    assert [q.code for q in officer.questions] == ["uses"]


PULSE_USES = definition()["questions"][0]


def test_the_spreadsheet_rows_quote_text_that_would_run_as_a_formula_but_not_numbers():
    data = definition()
    data["questions"] = [
        {
            **data["questions"][0],
            "text": "=1+1 uses?",
            "options": [
                {"code": "yes", "label": "+Yes"},
                {"code": "no", "label": "@No"},
            ],
        },
        *data["questions"][1:],
    ]
    report = report_of([("officer", {"uses": "yes", "accounts": -3})], {}, questions=data["questions"])
    rows = [row for row in export_rows(report) if row[0] == "officer"]
    uses = [row for row in rows if row[4] == "uses"]
    assert [(row[5], row[9]) for row in uses] == [("'=1+1 uses?", "'+Yes"), ("'=1+1 uses?", "'@No")]
    accounts = next(row for row in rows if row[4] == "accounts")
    assert accounts[-1] == -3.0 and isinstance(accounts[-1], float)  # a number, not the text "'-3"
    assert uses[0][1:4] == [1, None, None] and uses[0][10:12] == [1, 100.0]
