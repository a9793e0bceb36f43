"""The report: the arithmetic on a questionnaire's tallies (surveys.figures counts them in the database).

Per group (each audience, and everyone together): responses, invited and response rate; per question
its base (respondents in the group who answered it) and
- yes/no and choice questions: each option's count and percentage of the base;
- ranking questions, per option: how many ranked it, and two scores with weights n…1 for ranks 1…n
  (n = number of options):
    weighted_average      averaged over the respondents who ranked that option (what SurveyMonkey and
                          most survey tools report: the 2018 audit's "weighted average score out of 5");
    weighted_average_all  averaged over everyone who answered the question, unranked options scoring 0
                          (what UK consultation tools such as Citizen Space report);
- numbers: the mean; free text: the answers, listed.
Percentages are rounded half up to 1 decimal place, averages to 2. Stored answers that break the
question's rules are counted apart (`invalid`) and left out of every figure."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from core.spreadsheet import protect_row
from surveys.definition import QuestionnaireSpec, QuestionSpec
from surveys.figures import GroupTally, QuestionTally, combined
from surveys.models import Audience
from surveys.models import QuestionType as T

ALL = "all"
GROUP_LABELS = {**{a.value: a.label for a in Audience}, ALL: "Everyone"}
WEIGHTED_AVERAGE_LABEL = "Weighted average of those who ranked it"
WEIGHTED_AVERAGE_ALL_LABEL = "Score counting unranked as 0 (everyone who answered)"
ONE_DP, TWO_DP = Decimal("0.1"), Decimal("0.01")


def _ratio(numerator, denominator, places: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def percent(count: int, base: int) -> Decimal | None:
    return _ratio(count * 100, base, ONE_DP)


@dataclass
class OptionResult:
    code: str
    label: str
    count: int | None = None
    percent: Decimal | None = None
    ranked_by: int | None = None
    weighted_average: Decimal | None = None
    weighted_average_all: Decimal | None = None


@dataclass
class QuestionResult:
    code: str
    text: str
    type: str
    base: int
    options: list[OptionResult] = field(default_factory=list)
    mean: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    hidden: bool = False  # fewer respondents than the anonymity minimum: figures withheld
    max_score: int = 0  # ranking: the weight of rank 1, i.e. the number of options
    invalid: int = 0  # stored answers that break the question's rules, left out of the figures


@dataclass
class GroupResult:
    key: str
    label: str
    responses: int
    invited: int | None
    response_rate: Decimal | None
    questions: list[QuestionResult]
    hidden: bool = False

    def question(self, code: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.code == code), None)


@dataclass
class Report:
    slug: str
    title: str
    groups: list[GroupResult]
    minimum: int | None = None  # the anonymity minimum applied, if any
    # The key its figures are cached under (surveys.figures.figures_key), "" if they are not: the
    # page keeps what it draws from them under it too.
    cached_as: str = ""

    def group(self, key: str) -> GroupResult | None:
        return next((g for g in self.groups if g.key == key), None)


def build_report(
    spec: QuestionnaireSpec, tallies: Mapping[str, GroupTally], invited: Mapping[str, int]
) -> Report:
    """tallies: per audience, its counted responses' (surveys.figures); invited: invitations per
    audience. "Everyone" is every counted response, whatever its audience."""
    groups = []
    for key in [*spec.audiences, ALL]:
        if key == ALL:
            tally = combined(tallies.values())
            invited_count = sum(invited.get(a, 0) for a in spec.audiences) or None
        else:
            tally = tallies.get(key) or GroupTally()
            invited_count = invited.get(key) or None
        questions = [
            question_result(q, tally.questions.get(q.code) or QuestionTally())
            for q in spec.questions
            if key == ALL or q.asked_of(key)
        ]
        groups.append(
            GroupResult(
                key=key,
                label=GROUP_LABELS[key],
                responses=tally.responses,
                invited=invited_count,
                response_rate=percent(tally.responses, invited_count) if invited_count else None,
                questions=questions,
            )
        )
    return Report(slug=spec.slug, title=spec.title, groups=groups)


def question_result(question: QuestionSpec, tally: QuestionTally) -> QuestionResult:
    """The figures for one question from its tally."""
    base = tally.base
    result = QuestionResult(
        code=question.code, text=question.text, type=question.type, base=base, invalid=tally.invalid
    )
    if question.type in (T.YES_NO, T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
        for option in question.options:
            count = tally.counts.get(option.code, 0)
            result.options.append(
                OptionResult(option.code, option.label, count=count, percent=percent(count, base))
            )
    elif question.type == T.RANKING:
        result.max_score = len(question.options)
        for option in question.options:
            ranked_by, weight = tally.counts.get(option.code, 0), tally.weights.get(option.code, 0)
            result.options.append(
                OptionResult(
                    option.code,
                    option.label,
                    ranked_by=ranked_by,
                    weighted_average=_ratio(weight, ranked_by, TWO_DP),
                    weighted_average_all=_ratio(weight, base, TWO_DP),
                )
            )
    elif question.type == T.NUMBER:
        result.mean = _ratio(tally.total, base, TWO_DP)
    else:
        # Sorted, so the order says nothing about who answered when.
        result.texts = sorted(tally.texts, key=str.casefold)
    return result


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def report_json(report: Report) -> dict:
    """The report in the agreed JSON layout; keys that do not apply to a question's type are left out."""
    groups = {}
    for group in report.groups:
        questions = {}
        for q in group.questions:
            item: dict = {"type": q.type, "base": q.base}
            if q.type in (T.YES_NO, T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
                item["options"] = {
                    o.code: {"count": o.count, "percent": _number(o.percent)} for o in q.options
                }
            elif q.type == T.RANKING:
                item["ranked_by"] = {o.code: o.ranked_by for o in q.options}
                item["weighted_average"] = {o.code: _number(o.weighted_average) for o in q.options}
                item["weighted_average_all"] = {o.code: _number(o.weighted_average_all) for o in q.options}
            elif q.type == T.NUMBER:
                item["mean"] = _number(q.mean)
            if q.invalid:
                item["invalid"] = q.invalid
            questions[q.code] = item
        groups[group.key] = {
            "responses": group.responses,
            "invited": group.invited,
            "response_rate": _number(group.response_rate),
            "questions": questions,
        }
    return {"questionnaire": report.slug, "groups": groups}


def hide_small_groups(report: Report, minimum: int) -> Report:
    """The report as people outside the Communications team see it: any group, or any question's
    answers, from fewer than `minimum` respondents is withheld, and so are free-text answers (they
    are individual answers). A question withheld for one audience is withheld from "everyone" too,
    or subtracting the other audience's figures would reveal it."""
    groups = []
    for group in report.groups:
        small = 0 < group.responses < minimum
        questions = [_hidden_question(q, minimum, hide=small) for q in group.questions]
        groups.append(replace(group, questions=questions, hidden=small))
    everyone = next((g for g in groups if g.key == ALL), None)
    if everyone is not None:
        withheld = {q.code for g in groups if g.key != ALL for q in g.questions if q.hidden}
        everyone.questions = [
            _withheld(q) if q.code in withheld and not q.hidden else q for q in everyone.questions
        ]
    return replace(report, groups=groups, minimum=minimum)


def _hidden_question(q: QuestionResult, minimum: int, *, hide: bool) -> QuestionResult:
    if hide or 0 < q.base < minimum:
        return _withheld(q)
    return replace(q, texts=[])


def _withheld(q: QuestionResult) -> QuestionResult:
    return replace(
        q,
        hidden=True,
        options=[OptionResult(o.code, o.label) for o in q.options],
        mean=None,
        texts=[],
    )


# Comparison of two runs that share question codes.


@dataclass
class Change:
    first: Decimal | int | None
    second: Decimal | int | None

    @property
    def change(self) -> Decimal | int | None:
        if self.first is None or self.second is None:
            return None
        return self.second - self.first


@dataclass
class OptionComparison:
    code: str
    label: str
    count: Change
    percent: Change
    ranked_by: Change
    weighted_average: Change
    weighted_average_all: Change


@dataclass
class QuestionComparison:
    code: str
    text: str
    type: str
    base: Change
    options: list[OptionComparison]
    mean: Change
    hidden: bool


@dataclass
class GroupComparison:
    key: str
    label: str
    responses: Change
    invited: Change
    response_rate: Change
    questions: list[QuestionComparison]
    hidden: bool


def compare_reports(first: Report, second: Report) -> list[GroupComparison]:
    """Each group both runs have, and each question both ask (same code and type), side by side with
    the change in every figure (second minus first; percentages change in percentage points)."""
    groups = []
    for a in first.groups:
        b = second.group(a.key)
        if b is None:
            continue
        questions = []
        for qa in a.questions:
            qb = b.question(qa.code)
            if qb is None or qb.type != qa.type:
                continue
            questions.append(_compare_question(qa, qb))
        groups.append(
            GroupComparison(
                key=a.key,
                label=a.label,
                responses=Change(a.responses, b.responses),
                invited=Change(a.invited, b.invited),
                response_rate=Change(a.response_rate, b.response_rate),
                questions=questions,
                hidden=a.hidden or b.hidden,
            )
        )
    return groups


def _compare_question(qa: QuestionResult, qb: QuestionResult) -> QuestionComparison:
    hidden = qa.hidden or qb.hidden
    by_code_a = {o.code: o for o in qa.options}
    by_code_b = {o.code: o for o in qb.options}
    codes = [o.code for o in qa.options] + [o.code for o in qb.options if o.code not in by_code_a]
    empty = OptionResult("", "")
    options = []
    for code in codes:
        oa, ob = by_code_a.get(code, empty), by_code_b.get(code, empty)
        pairs = {
            name: Change(None, None) if hidden else Change(getattr(oa, name), getattr(ob, name))
            for name in ("count", "percent", "ranked_by", "weighted_average", "weighted_average_all")
        }
        options.append(OptionComparison(code=code, label=(ob.label or oa.label), **pairs))
    return QuestionComparison(
        code=qb.code,
        text=qb.text,
        type=qb.type,
        base=Change(qa.base, qb.base),
        options=options,
        mean=Change(None, None) if hidden else Change(qa.mean, qb.mean),
        hidden=hidden,
    )


# The report as a spreadsheet: one row per option (or per question without options). Text cells
# (question text and option labels come from the definition file) are protected from running as
# formulas; figures stay numbers.

EXPORT_HEADERS = [
    "group",
    "responses",
    "invited",
    "response_rate",
    "question",
    "question_text",
    "type",
    "base",
    "option",
    "option_label",
    "count",
    "percent",
    "ranked_by",
    "weighted_average",
    "weighted_average_all",
    "mean",
]


def export_rows(report: Report) -> list[list]:
    return [protect_row(row) for row in _export_rows(report)]


def _export_rows(report: Report) -> list[list]:
    rows = []
    for group in report.groups:
        head = [group.key, group.responses, group.invited, _number(group.response_rate)]
        for q in group.questions:
            question = [q.code, q.text, q.type, None if q.hidden else q.base]
            if q.hidden:
                note = f"Not shown: fewer than {report.minimum} answered"
                rows.append([*head, *question, None, note, *[None] * 6])
                continue
            for o in q.options:
                rows.append(
                    [
                        *head,
                        *question,
                        o.code,
                        o.label,
                        o.count,
                        _number(o.percent),
                        o.ranked_by,
                        _number(o.weighted_average),
                        _number(o.weighted_average_all),
                        None,
                    ]
                )
            if not q.options:
                rows.append([*head, *question, None, None, None, None, None, None, None, _number(q.mean)])
    return rows
