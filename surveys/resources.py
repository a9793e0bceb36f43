"""Responses as CSV: one layout for import and export, so export → import → report gives the same numbers.

Header: respondent (email or an identifier), audience (officer or councillor), submitted_at (ISO 8601),
then one column per question named by its code, holding yes/no, an option code, option codes joined
by ";" (multiple choice), a number or text; a ranking question has one column per option named
CODE:OPTION_CODE holding its rank (1 = first) or nothing. An empty cell means not answered.

Reading is all-or-nothing: every problem in the file is collected, with its line number, before
anything is saved. Every cell is bounded and cleaned first: a respondent is at most 254 characters,
compared and stored normalised (surveys.answers.respondent_key: invisible characters such as
zero-width spaces and direction overrides cannot make one person two), with no control characters;
submitted_at lies between 1 January 2000 and now; numbers keep their question's range; text has no
control characters (NUL included) and a limited length; a file has at most 50,000 responses.
Files may be UTF-8 (with or without the byte-order mark Excel adds) or Excel's Windows-1252 "CSV
(Comma delimited)".

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) are written with a single quote in front, and the quote is taken off again on import; numbers
are written as numbers, so a negative number stays -3 (see core.spreadsheet)."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import tablib
from django.utils import timezone

from core.csvfile import ImportRejected, records
from core.spreadsheet import protect, unprotect
from surveys import answers as A
from surveys.definition import QuestionnaireSpec
from surveys.models import Audience
from surveys.models import QuestionType as T

FIXED_COLUMNS = ["respondent", "audience", "submitted_at"]
MAX_ROWS = 50_000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class ParsedResponse:
    line: int
    respondent: str
    audience: str
    submitted_at: datetime
    answers: dict


def read_responses(
    spec: QuestionnaireSpec,
    text: str,
    *,
    problems: list[tuple[int, str]],
    answered: set[str] = frozenset(),
    invited: Mapping[str, str] | None = None,
) -> Iterator[ParsedResponse]:
    """Check a file line by line: yields each good line's response as it is read and adds every
    problem of every other line to `problems` (line, message), so the caller can save good lines a
    batch at a time and still list the whole file's problems at the end, saving nothing if there are
    any. A header that cannot be used (or a file that is not CSV) raises ImportRejected.
    answered: respondents (lower-case) who already have a response (sent or not); invited: invitees'
    email (lower-case) -> the audience they were invited as."""
    invited = invited or {}
    lines = records(text)
    header_line = next(lines, None)
    if header_line is None:
        raise ImportRejected([(1, "The file is empty: the first line must be the header.")])
    header = [name.strip() for name in header_line[1]]
    expected = A.columns(spec)
    missing = [name for name in FIXED_COLUMNS if name not in header]
    unknown = [A.shown(name, 40) for name in header if name not in expected]
    doubled = sorted({name for name in header if header.count(name) > 1})
    if missing:
        problems.append(
            (1, f"The header needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}.")
        )
    if unknown:
        problems.append((1, f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}."))
    if doubled:
        problems.append((1, f"Column{'s' if len(doubled) > 1 else ''} given twice: {', '.join(doubled)}."))
    if problems:
        raise ImportRejected(list(problems))

    first_seen: dict[str, int] = {}
    now = timezone.now()
    rows = 0
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often leave blank lines at the end
        rows += 1
        if rows > MAX_ROWS:
            problems.append((line, f"The file has more than {MAX_ROWS:,} responses: split it into several."))
            break
        if len(cells) > len(header):
            problems.append((line, f"This line has {len(cells)} cells but the header has {len(header)}."))
            continue
        cells = [unprotect(cell) for cell in cells]
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        row_problems: list[str] = []
        response = _parse_row(spec, row, line, row_problems, first_seen, answered, invited, now)
        problems += [(line, message) for message in row_problems]
        if response is not None and not row_problems:
            yield response


def _parse_row(spec, row, line, problems, first_seen, answered, invited, now) -> ParsedResponse | None:
    try:
        respondent = A.respondent_key(row["respondent"])
    except ValueError as exc:
        problems.append(str(exc))
        respondent = ""
    if not respondent:
        if not problems:
            problems.append("respondent is empty: give an email address or an identifier.")
    elif respondent in first_seen:
        problems.append(f"Duplicate respondent {respondent}: already on line {first_seen[respondent]}.")
    elif respondent in answered:
        problems.append(
            f"Duplicate respondent {respondent}: they already have a response to this questionnaire."
        )
    if respondent:
        first_seen.setdefault(respondent, line)

    audience = row["audience"].strip().lower()
    if audience not in spec.audiences:
        allowed = " or ".join(spec.audiences)
        shown = A.shown(row["audience"].strip())
        problems.append(f"Unknown audience “{shown}”: this questionnaire is for {allowed}.")
    elif respondent in invited and invited[respondent] != audience:
        problems.append(f"{respondent} was invited as {invited[respondent]}, not {audience}.")

    submitted_at = _when(row["submitted_at"], problems, now)

    given: dict = {}
    for question in spec.questions:
        try:
            value = A.from_cells(question, row)
        except ValueError as exc:
            problems.append(f"{question.code}: {exc}")
            continue
        if value is not None:
            given[question.code] = value
    if audience in spec.audiences:
        kept = A.prune(spec, audience, given)
        for code in given.keys() - kept.keys():
            problems.append(f"{code} is answered, but {_why_not_asked(spec, spec.question(code), audience)}.")
        for question in A.missing_required(spec, audience, kept):
            problems.append(f"{question.code} must be answered.")
        given = kept
    if problems:
        return None
    return ParsedResponse(line, respondent, audience, submitted_at, given)


def _why_not_asked(spec: QuestionnaireSpec, question, audience: str) -> str:
    if not question.asked_of(audience):
        return f"it is not asked of {Audience(audience).label.lower()}"
    code, equals = question.show_if
    return f"it is only asked when {code} is {equals}"


def _when(text: str, problems: list[str], now: datetime) -> datetime | None:
    """The time a response was sent: from 1 January 2000 to now. The year is checked on the written
    date before any time zone arithmetic, which fails beyond year 1 or 9999."""
    text = text.strip()
    example = "e.g. 2018-06-14T10:30:00"
    if not text:
        problems.append(f"submitted_at is empty: give the date and time, {example}.")
        return None
    try:
        value = datetime.fromisoformat(text[:40])
    except ValueError:
        problems.append(f"submitted_at “{A.shown(text)}” is not an ISO 8601 date and time, {example}.")
        return None
    if not EARLIEST.year <= value.year <= now.year:
        problems.append(f"submitted_at {A.shown(text)} must be between 1 January 2000 and now.")
        return None
    value = value if timezone.is_aware(value) else timezone.make_aware(value)
    if not EARLIEST <= value <= now:
        problems.append(f"submitted_at {A.shown(text)} must be between 1 January 2000 and now.")
        return None
    return value


def responses_dataset(
    spec: QuestionnaireSpec, responses: Iterable[tuple[str, str, datetime, dict]]
) -> tablib.Dataset:
    """responses: (respondent, audience, submitted_at, answers) of each response to export."""
    names = A.columns(spec)
    dataset = tablib.Dataset(headers=names)
    numbers = {question.code for question in spec.questions if question.type == T.NUMBER}
    for respondent, audience, submitted_at, given in responses:
        row = {
            "respondent": respondent,
            "audience": audience,
            "submitted_at": timezone.localtime(submitted_at).isoformat(),
        }
        for question in spec.questions:
            row.update(A.to_cells(question, given.get(question.code)))
        dataset.append([row[name] if name in numbers else protect(row[name]) for name in names])
    return dataset
