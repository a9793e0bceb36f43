"""The report's figures, counted in PostgreSQL: one statement per questionnaire, whatever the number
of responses (surveys.report does the arithmetic on what it returns).

The statement reads each counted response's answer to each question once, checks it keeps the
question's rules (the same rules as surveys.answers, written as jsonb tests) and, grouped by
audience, counts respondents per option, sums ranking weights and number answers. A stored answer
that breaks the rules (one stored before a rule existed, or put in the database by hand; an empty
value too, which the services never store) is counted as not valid and left out of every figure:
no stored value can make the report fail.

The counts (never the free text, which is personal data) are cached per questionnaire under a key
made of its structure and its figures_version, which every service that may alter a figure (a
response sent, voided, imported or anonymised; people invited or an invitation withdrawn) moves on
with figures_changed, in its own transaction: the key changes with the figures, so nothing has to
remember to clear it, whichever process served it, and the page need not count responses to know.
The version is read from the questionnaire as loaded for the request: one kept from before a change
gives the figures from before it."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL

from surveys.definition import QuestionnaireSpec, QuestionSpec
from surveys.models import Questionnaire, Response, ResponseStatus
from surveys.models import QuestionType as T

CACHE_SECONDS = 60 * 60
FIGURES_SEQUENCE = "surveys_figures_version"  # made by migration 0004
CHOICES = (T.YES_NO, T.SINGLE_CHOICE)


@dataclass
class QuestionTally:
    base: int = 0  # respondents whose answer is valid
    invalid: int = 0  # respondents whose stored answer breaks the question's rules
    counts: dict[str, int] = field(default_factory=dict)  # per option: chosen by, or ranked by
    weights: dict[str, Decimal] = field(default_factory=dict)  # ranking: total weight per option
    total: Decimal = Decimal(0)  # number: the sum of the valid answers
    texts: list[str] = field(default_factory=list)

    def __add__(self, other: "QuestionTally") -> "QuestionTally":
        return QuestionTally(
            base=self.base + other.base,
            invalid=self.invalid + other.invalid,
            counts=_sum_dicts(self.counts, other.counts),
            weights=_sum_dicts(self.weights, other.weights),
            total=self.total + other.total,
            texts=self.texts + other.texts,
        )


@dataclass
class GroupTally:
    responses: int = 0
    questions: dict[str, QuestionTally] = field(default_factory=dict)

    def __add__(self, other: "GroupTally") -> "GroupTally":
        codes = self.questions.keys() | other.questions.keys()
        return GroupTally(
            responses=self.responses + other.responses,
            questions={
                code: self.questions.get(code, QuestionTally()) + other.questions.get(code, QuestionTally())
                for code in codes
            },
        )


def _sum_dicts(a: dict, b: dict) -> dict:
    return {key: a.get(key, 0) + b.get(key, 0) for key in a.keys() | b.keys()}


def combined(tallies: Iterable[GroupTally]) -> GroupTally:
    total = GroupTally()
    for tally in tallies:
        total += tally
    return total


def tallies_for(questionnaire, spec: QuestionnaireSpec, *, texts: bool) -> dict[str, GroupTally]:
    """audience -> its counted responses' tallies. texts: also the free-text answers (for Comms)."""
    counted = _cached_counts(questionnaire, spec)
    if texts:
        _add_texts(counted, questionnaire.pk, spec)
    return counted


def figures_changed(questionnaire_id: int) -> None:
    """The questionnaire's figures may have changed: its cached ones are no longer used. Call it in
    the transaction that makes the change (it also holds the questionnaire's row until the end).

    The new version comes from a sequence, not the old one plus one: a sequence never gives a number
    twice, even to a transaction that rolls back, so figures cached inside one that rolled back are
    never found again under a version a later change reaches."""
    Questionnaire.objects.filter(pk=questionnaire_id).update(
        figures_version=RawSQL("nextval(%s::regclass)", [FIGURES_SEQUENCE])
    )


def figures_key(questionnaire, spec: QuestionnaireSpec) -> str:
    """What everything cached from the figures is kept under: see the module's docstring. The whole
    structure is in it (the text and labels too, which a cached report holds), so a questionnaire
    whose questions change before anyone answers needs no new version."""
    structure = hashlib.sha256(repr(spec).encode()).hexdigest()[:16]
    return f"surveys:figures:{questionnaire.pk}:{structure}:{questionnaire.figures_version}"


def _cached_counts(questionnaire, spec: QuestionnaireSpec) -> dict[str, GroupTally]:
    key = f"{figures_key(questionnaire, spec)}:counts"
    found = cache.get(key)
    if found is None:
        found = count(questionnaire.pk, spec)
        cache.set(key, found, CACHE_SECONDS)
    return found


def count(questionnaire_id: int, spec: QuestionnaireSpec) -> dict[str, GroupTally]:
    """The tallies, straight from the database (one statement)."""
    sql, params, read = _statement(questionnaire_id, spec)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: read(row) for row in cursor.fetchall()}


def _statement(questionnaire_id: int, spec: QuestionnaireSpec):
    """The SQL, its parameters, and a function turning a result row into a GroupTally.

    Three levels: the innermost picks each question's answer out of the JSON once per response, the
    middle one checks each answer once, the outer one counts by audience. The one-row
    generate_series in each inner level keeps PostgreSQL from folding the levels together (which
    would repeat the work in every aggregate) while leaving it free to scan in parallel, which
    OFFSET 0, the usual fence, would not."""
    picks, checks, aggregates = [], [], []
    pick_params: list = []
    check_params: list = []
    aggregate_params: list = []
    readers = []

    def aggregate(sql: str, *params) -> int:
        aggregates.append(sql)
        aggregate_params.extend(params)
        return len(aggregates) + 1  # its column: after audience and the count of responses

    for i, question in enumerate(spec.questions):
        v, ok = f"v{i}", f"ok{i}"
        picks.append(f"r.answers -> %s AS {v}")
        pick_params.append(question.code)
        check, params = _valid(question, v)
        checks.append(f"{v}, COALESCE({check}, false) AS {ok}")
        check_params.extend(params)
        base = aggregate(f"count(*) FILTER (WHERE {ok})")
        given = aggregate(f"count({v})")  # the key is there: given, valid or not
        options, weights, total = {}, {}, None
        if question.type in CHOICES:
            for code in question.option_codes:
                options[code] = aggregate(f"count(*) FILTER (WHERE {v} = %s::jsonb)", json.dumps(code))
        elif question.type in (T.MULTIPLE_CHOICE, T.RANKING):
            for code in question.option_codes:
                options[code] = aggregate(f"count(*) FILTER (WHERE {ok} AND {v} ? %s)", code)
                if question.type == T.RANKING:
                    weight = f"%s - ({v} ->> %s)::numeric"
                    weights[code] = aggregate(
                        f"sum(CASE WHEN {ok} AND {v} ? %s THEN {weight} END)",
                        code,
                        len(question.options) + 1,
                        code,
                    )
        elif question.type == T.NUMBER:
            total = aggregate(f"sum(CASE WHEN {ok} THEN {v}::numeric END)")
        readers.append((question.code, base, given, options, weights, total))

    # The text is our own fragments; every value in it (codes, ranges) is a parameter.
    sql = f"""
        SELECT audience, count(*), {", ".join(aggregates)}
        FROM (
            SELECT generate_series(1, 1), audience, {", ".join(checks)}
            FROM (
                SELECT generate_series(1, 1), r.audience, {", ".join(picks)}
                FROM {Response._meta.db_table} r
                WHERE r.questionnaire_id = %s AND r.status = %s
            ) picked
        ) checked
        GROUP BY audience
    """  # our own fragments; every value is a parameter  # noqa: S608  # nosec B608
    params = [*aggregate_params, *check_params, *pick_params, questionnaire_id, ResponseStatus.SUBMITTED]

    def read(row) -> GroupTally:
        questions = {}
        for code, base, given, options, weights, total in readers:
            questions[code] = QuestionTally(
                base=row[base],
                invalid=row[given] - row[base],
                counts={option: row[column] for option, column in options.items()},
                weights={option: row[column] or Decimal(0) for option, column in weights.items()},
                total=(row[total] or Decimal(0)) if total else Decimal(0),
            )
        return GroupTally(responses=row[1], questions=questions)

    return sql, params, read


def _valid(question: QuestionSpec, v: str) -> tuple[str, list]:
    """SQL that is true when the answer `v` (jsonb) keeps the question's rules. Each test that could
    fail on the wrong kind of value (a cast, deleting keys) sits behind a CASE on its type, the one
    order of evaluation PostgreSQL promises."""
    if question.type in CHOICES:
        return f"{v} = ANY(%s::jsonb[])", [[json.dumps(code) for code in question.option_codes]]
    if question.type == T.MULTIPLE_CHOICE:
        # Taking out the option codes leaves nothing: every element is one of them.
        sql = (
            f"CASE WHEN jsonb_typeof({v}) = 'array' THEN {v} <> '[]' AND ({v} - %s::text[]) = '[]' "
            "ELSE false END"
        )
        return sql, [question.option_codes]
    if question.type == T.RANKING:
        # Its options' codes only, each ranked with a whole number from 1 to n: the list of its
        # values is contained in [1, …, n] (2.0 is 2; "2", true or [2] are not).
        ranks = json.dumps(list(range(1, len(question.options) + 1)))
        sql = (
            f"CASE WHEN jsonb_typeof({v}) = 'object' THEN {v} <> '{{}}' AND ({v} - %s::text[]) = '{{}}' "
            f"AND jsonb_path_query_array({v}, 'strict $.*') <@ %s::jsonb ELSE false END"
        )
        return sql, [question.option_codes, ranks]
    if question.type == T.NUMBER:
        low, high = question.number_range
        sql = (
            f"CASE WHEN jsonb_typeof({v}) = 'number' THEN {v}::numeric BETWEEN %s AND %s "
            f"AND {v}::numeric = round({v}::numeric, %s) ELSE false END"
        )
        return sql, [low, high, question.decimals]
    return f"jsonb_typeof({v}) = 'string' AND {v} <> '\"\"'", []


def _add_texts(tallies: dict[str, GroupTally], questionnaire_id: int, spec: QuestionnaireSpec) -> None:
    """The free-text answers, read for those who may see them; never cached (what the cache gives
    back is a copy, so adding them here changes nothing cached)."""
    codes = [q.code for q in spec.questions if q.type == T.TEXT]
    if not codes:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT r.audience, t.code, r.answers ->> t.code
            FROM {Response._meta.db_table} r CROSS JOIN unnest(%s::text[]) AS t(code)
            WHERE r.questionnaire_id = %s AND r.status = %s
              AND r.answers ? t.code AND jsonb_typeof(r.answers -> t.code) = 'string'
              AND r.answers ->> t.code <> ''
            """,  # the table name is ours; every value is a parameter  # noqa: S608  # nosec B608
            [codes, questionnaire_id, ResponseStatus.SUBMITTED],
        )
        rows = cursor.fetchall()
    for audience, code, text in rows:
        tallies[audience].questions[code].texts.append(text)
