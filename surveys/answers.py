"""What an answer may be, for each question type, and which questions a respondent is asked.

Stored values: yes_no "yes"/"no"; single_choice an option code; multiple_choice a list of option codes
(in the options' order); ranking {option code: rank}, rank 1 first, each rank used once, options left
out not ranked; number an int or float within the question's range (surveys.definition); text a
string without control characters. An empty answer is not stored at all. The answering pages and the
CSV import use these rules; the report (surveys.figures) counts a stored answer that breaks them as
not valid rather than failing."""

import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from surveys.definition import QuestionnaireSpec, QuestionSpec
from surveys.models import QuestionType as T

MAX_TEXT = 5000
MAX_RESPONDENT = 254  # the respondent field's length: an email address at most
# Longer than any number in range could be written, commas and all: not worth parsing.
MAX_NUMBER_TEXT = 40
# Control characters other than tab and line breaks; NUL (which PostgreSQL cannot store) among them.
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Invisible characters that make one address look like two: zero-width spaces and joiners, the
# direction marks and overrides, word joiners, the byte-order mark and soft hyphens.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class NotANumber(ValueError):
    """The text is not a number at all (as opposed to a number out of range)."""


def shown(value, limit: int = 60) -> str:
    """A value as a message quotes it: control characters made visible, and cut short."""
    text = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def respondent_key(text: str) -> str:
    """A respondent as stored and compared: compatibility forms folded (NFKC: full-width letters become
    plain ones), invisible characters taken out, lower case. Raises ValueError for what is still not an
    address or identifier a person could type: control characters, or too long."""
    key = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).strip().lower()
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in key):
        raise ValueError(f"respondent “{shown(key)}” contains control characters.")
    if len(key) > MAX_RESPONDENT:
        raise ValueError(f"respondent is {len(key)} characters long: at most {MAX_RESPONDENT}.")
    return key


def is_asked(spec: QuestionnaireSpec, question: QuestionSpec, audience: str, answers: dict) -> bool:
    """Asked of this audience, and its show_if condition (if any) is met by the answers given."""
    if not question.asked_of(audience):
        return False
    if question.show_if is None:
        return True
    code, equals = question.show_if
    parent = spec.question(code)
    if parent is None or not is_asked(spec, parent, audience, answers):
        return False
    given = answers.get(code)
    return equals in given if isinstance(given, list) else given == equals


def asked_questions(spec: QuestionnaireSpec, audience: str, answers: dict) -> list[QuestionSpec]:
    return [q for q in spec.questions if is_asked(spec, q, audience, answers)]


def prune(spec: QuestionnaireSpec, audience: str, answers: dict) -> dict:
    """The answers without those to questions no longer asked (after an earlier answer changed)."""
    kept: dict = {}
    for question in spec.questions:
        if question.code in answers and is_asked(spec, question, audience, kept):
            kept[question.code] = answers[question.code]
    return kept


def missing_required(spec: QuestionnaireSpec, audience: str, answers: dict) -> list[QuestionSpec]:
    return [q for q in asked_questions(spec, audience, answers) if q.required and q.code not in answers]


def clean(question: QuestionSpec, value):
    """The stored form of an answer, or None for "not answered". Raises ValueError saying what is wrong."""
    if value in (None, "", [], {}):
        return None
    kind = question.type
    if kind in (T.YES_NO, T.SINGLE_CHOICE):
        code = str(value).strip().lower()
        if question.option(code) is None:
            raise ValueError(_unknown_option(question, value))
        return code
    if kind == T.MULTIPLE_CHOICE:
        chosen = {str(v).strip().lower() for v in value if str(v).strip()}
        unknown = sorted(chosen - set(question.option_codes))
        if unknown:
            raise ValueError(_unknown_option(question, ", ".join(unknown)))
        return [code for code in question.option_codes if code in chosen] or None
    if kind == T.RANKING:
        return _clean_ranks(question, value)
    if kind == T.NUMBER:
        return _number(question, value)
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"The answer must be {MAX_TEXT} characters or fewer.")
    if _TEXT_CONTROLS.search(text):
        raise ValueError("The answer contains control characters (such as NUL): remove them.")
    return text or None


def _unknown_option(question: QuestionSpec, value) -> str:
    codes = ", ".join(question.option_codes)
    return f"“{shown(value)}” is not an option of {question.code} (options: {codes})."


def _clean_ranks(question: QuestionSpec, ranks: dict) -> dict | None:
    n = len(question.options)
    cleaned: dict[str, int] = {}
    for code, rank in ranks.items():
        if rank in (None, ""):
            continue
        if question.option(code) is None:
            raise ValueError(_unknown_option(question, code))
        try:
            number = int(str(rank).strip()[:MAX_NUMBER_TEXT])
        except ValueError:
            raise ValueError(
                f"The rank for {code} must be a whole number from 1 to {n}, not “{shown(rank)}”."
            ) from None
        if not 1 <= number <= n:
            raise ValueError(f"The rank for {code} is {number}: ranks run from 1 to {n}.")
        cleaned[code] = number
    ranks_used = sorted(cleaned.values())
    duplicates = sorted({r for r in ranks_used if ranks_used.count(r) > 1})
    if duplicates:
        raise ValueError(f"Rank {', '.join(map(str, duplicates))} is given to more than one option.")
    return {code: cleaned[code] for code in question.option_codes if code in cleaned} or None


def _number(question: QuestionSpec, value) -> int | float:
    """A number within the question's range with no more decimal places than it allows, checked as
    a Decimal before it becomes an int or float: "1e400" is refused, not stored as 401 digits."""
    text = str(value).strip().replace(",", "")
    try:
        if len(text) > MAX_NUMBER_TEXT:
            raise InvalidOperation
        number = Decimal(text)
    except InvalidOperation:
        raise NotANumber(f"“{shown(value)}” is not a number.") from None
    if not number.is_finite():
        raise NotANumber(f"“{shown(value)}” is not a number.")
    problem = number_problem(question, number)
    if problem:
        raise ValueError(problem)
    return int(number) if number == number.to_integral_value() else float(number)


def number_problem(question: QuestionSpec, number: Decimal) -> str:
    """Why a number is not a valid answer to the question, or "" if it is."""
    low, high = question.number_range
    if not low <= number <= high:
        low, high = format_number(low, grouped=True), format_number(high, grouped=True)
        return f"The number must be between {low} and {high}."
    places = _decimal_places(number)
    if places > question.decimals:
        if not question.decimals:
            return "The number must be a whole number, like 3."
        unit = "place" if question.decimals == 1 else "places"
        return f"The number must have no more than {question.decimals} decimal {unit}."
    return ""


def _decimal_places(number: Decimal) -> int:
    """Digits after the point, trailing zeros aside (exactly: no rounding to the context's precision)."""
    fraction = format(number, "f").partition(".")[2].rstrip("0")
    return len(fraction)


def _as_decimal(value) -> Decimal | None:
    """A stored number as a Decimal (floats by their shortest form, as JSON wrote them), or None if
    it is not a number at all."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return number if number.is_finite() else None


def is_valid_number(question: QuestionSpec, value) -> bool:
    """Whether a stored number answer keeps the rules (one stored before them may not)."""
    number = _as_decimal(value)
    return number is not None and not number_problem(question, number)


def is_valid(question: QuestionSpec, value) -> bool:
    """Whether a stored answer keeps its question's rules: what the report counts (surveys.figures
    checks the same in SQL). An empty value (None, "", [], {}) is never stored, so not valid either."""
    kind = question.type
    if kind in (T.YES_NO, T.SINGLE_CHOICE):
        return isinstance(value, str) and question.option(value) is not None
    if kind == T.MULTIPLE_CHOICE:
        codes = question.option_codes
        return (
            isinstance(value, list) and bool(value) and all(isinstance(c, str) and c in codes for c in value)
        )
    if kind == T.RANKING:
        n, codes = len(question.options), question.option_codes
        return (
            isinstance(value, dict)
            and bool(value)
            and all(code in codes for code in value)
            and all(
                _as_decimal(rank) is not None and rank == int(rank) and 1 <= rank <= n
                for rank in value.values()
            )
        )
    if kind == T.NUMBER:
        return is_valid_number(question, value)
    return isinstance(value, str) and value != ""


def format_number(value, *, grouped: bool = False) -> str:
    """A number as people write it: 2.5, 1000000 (or 1,000,000 when grouped), never 1E+6; exactly,
    however long."""
    number = _as_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    text = format(number, ",f" if grouped else "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def display(question: QuestionSpec, value) -> str:
    """An answer as the respondent reads it back on the check-answers page (and Comms on a response's
    page, where a stored answer that breaks the rules is shown as such)."""
    if value is None:
        return "Not answered"
    if not is_valid(question, value):
        return f"Not a valid answer ({_raw(value)}): left out of the report"
    if question.type in (T.YES_NO, T.SINGLE_CHOICE):
        option = question.option(value)
        return option.label if option else str(value)
    if question.type == T.MULTIPLE_CHOICE:
        return "; ".join(question.option(code).label for code in value if question.option(code))
    if question.type == T.RANKING:
        ordered = sorted(value.items(), key=lambda item: item[1])
        return "; ".join(f"{rank}. {question.option(code).label}" for code, rank in ordered)
    if question.type == T.NUMBER:
        return format_number(value)
    return str(value)


def _raw(value) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        digits = len(format_number(value).lstrip("-"))
        return f"a number of {digits} digits" if digits > 20 else format_number(value)
    return shown(json.dumps(value, ensure_ascii=False, default=str))


# The CSV layout: one cell per question (a ranking question has one per option, CODE:OPTION_CODE).


def ranking_column(question: QuestionSpec, option_code: str) -> str:
    return f"{question.code}:{option_code}"


def columns(spec: QuestionnaireSpec) -> list[str]:
    names = ["respondent", "audience", "submitted_at"]
    for question in spec.questions:
        if question.type == T.RANKING:
            names += [ranking_column(question, code) for code in question.option_codes]
        else:
            names.append(question.code)
    return names


def from_cells(question: QuestionSpec, row: dict[str, str]):
    """The stored answer for a question from a CSV row (column name -> cell text)."""
    if question.type == T.RANKING:
        return clean(
            question, {code: row.get(ranking_column(question, code), "") for code in question.option_codes}
        )
    cell = (row.get(question.code) or "").strip()
    if question.type == T.MULTIPLE_CHOICE:
        return clean(question, cell.split(";"))
    if question.type == T.YES_NO and cell and cell.lower() not in ("yes", "no"):
        raise ValueError(f"{question.code} must be yes or no, not “{cell}”.")
    return clean(question, cell)


def to_cells(question: QuestionSpec, value) -> dict[str, str]:
    """The cells of an answer in the CSV layout. One that breaks the rules is written as it is stored
    (JSON), in the question's first column, for Comms to see and correct; the import refuses it."""
    if value is not None and not is_valid(question, value) and question.type != T.NUMBER:
        text = json.dumps(value, ensure_ascii=False)
        first = (
            ranking_column(question, question.option_codes[0])
            if question.type == T.RANKING
            else question.code
        )
        return {**dict.fromkeys(to_cells(question, None), ""), first: text}
    if question.type == T.RANKING:
        value = value or {}
        return {ranking_column(question, code): str(value.get(code, "")) for code in question.option_codes}
    if value is None:
        text = ""
    elif question.type == T.MULTIPLE_CHOICE:
        text = ";".join(value)
    elif question.type == T.NUMBER:
        text = format_number(value)
    else:
        text = str(value)
    return {question.code: text}
