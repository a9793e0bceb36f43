"""What an answer may be, for each question type, and which questions a respondent is asked.

Stored values: yes_no "yes"/"no"; single_choice an option code; multiple_choice a list of option codes
(in the options' order); ranking {option code: rank}, rank 1 first, each rank used once, options left
out not ranked; number an int or float; text a string. An empty answer is not stored at all.
The answering pages, the CSV import and the report all use these rules."""

from decimal import Decimal, InvalidOperation

from surveys.definition import QuestionnaireSpec, QuestionSpec
from surveys.models import QuestionType as T

MAX_TEXT = 5000


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
        return _number(value)
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"The answer must be {MAX_TEXT} characters or fewer.")
    return text or None


def _unknown_option(question: QuestionSpec, value) -> str:
    return f"“{value}” is not an option of {question.code} (options: {', '.join(question.option_codes)})."


def _clean_ranks(question: QuestionSpec, ranks: dict) -> dict | None:
    n = len(question.options)
    cleaned: dict[str, int] = {}
    for code, rank in ranks.items():
        if rank in (None, ""):
            continue
        if question.option(code) is None:
            raise ValueError(_unknown_option(question, code))
        try:
            number = int(str(rank).strip())
        except ValueError:
            raise ValueError(
                f"The rank for {code} must be a whole number from 1 to {n}, not “{rank}”."
            ) from None
        if not 1 <= number <= n:
            raise ValueError(f"The rank for {code} is {number}: ranks run from 1 to {n}.")
        cleaned[code] = number
    ranks_used = sorted(cleaned.values())
    duplicates = sorted({r for r in ranks_used if ranks_used.count(r) > 1})
    if duplicates:
        raise ValueError(f"Rank {', '.join(map(str, duplicates))} is given to more than one option.")
    return {code: cleaned[code] for code in question.option_codes if code in cleaned} or None


def _number(value) -> int | float:
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a number.") from None
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a number.")
    return int(number) if number == number.to_integral_value() else float(number)


def format_number(value) -> str:
    return format(Decimal(str(value)).normalize(), "f") if value is not None else ""


def display(question: QuestionSpec, value) -> str:
    """An answer as the respondent reads it back on the check-answers page."""
    if value is None:
        return "Not answered"
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
