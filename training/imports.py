"""Completions from elsewhere (e-learning, say), from a CSV file with the columns `email`, `course` (a
course code) and `completed_on` (an ISO date, 2026-03-01, or dd/mm/yyyy, 01/03/2026).

All or nothing: every problem in the file is found, with its line number, before anything is saved.
Every cell is bounded (length, no control characters) and every date sane (not before 2000, not in
the future). People and courses are looked up once per file, whatever its length."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from core.spreadsheet import unprotect
from organisation.models import User
from training.models import Completion, Course

COLUMNS = ["email", "course", "completed_on"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
MAX_CELL = {"email": 254, "course": 20, "completed_on": 10}
EARLIEST = date(2000, 1, 1)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Row:
    line: int
    person: User
    course: Course
    completed_on: date
    already: bool  # the same completion is already recorded


class ImportRejected(ValidationError):
    """The file was not imported. .problems lists (line, message) for every problem found."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems, key=lambda p: p[0])
        count = len({line for line, _ in self.problems})
        super().__init__(
            f"The file was not imported: {count} line{'s' if count != 1 else ''} "
            f"{'have' if count != 1 else 'has'} problems. Nothing was saved."
        )


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped), else Windows-1252, which Excel writes by default."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([(1, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([(1, "The file is not a text CSV file (UTF-8 or Windows-1252).")])


def parse_date(text: str) -> date | None:
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None


def _records(text: str):
    """Each CSV record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRejected([(start, f"The CSV cannot be read here: {exc}.")]) from None


def parse_completions(data: bytes, *, today: date) -> list[Row]:
    """The file's rows, checked; ImportRejected with every problem if any row is bad."""
    text = decode(data)
    problems: list[tuple[int, str]] = []
    records = iter(_records(text))
    try:
        _, header = next(records)
    except StopIteration:
        raise ImportRejected([(1, "The file is empty.")]) from None
    header = [h.strip().lower() for h in header]
    if header != COLUMNS:
        found = ", ".join(header) or "nothing"
        raise ImportRejected(
            [(1, f"The first line must name the columns {', '.join(COLUMNS)} (in that order), not {found}.")]
        )

    cells: list[tuple[int, dict[str, str]]] = []
    for line, values in records:
        if not any(v.strip() for v in values):
            continue  # blank lines, such as the one Excel leaves at the end
        if len(cells) >= MAX_ROWS:
            raise ImportRejected([(line, f"The file has more than {MAX_ROWS} rows: split it.")])
        if len(values) != len(COLUMNS):
            problems.append((line, f"Expected {len(COLUMNS)} cells, found {len(values)}."))
            continue
        row = {}
        for name, value in zip(COLUMNS, values, strict=True):
            value = unprotect(value.strip())
            if CONTROL.search(value):
                problems.append((line, f"The {name} contains a control character."))
            elif len(value) > MAX_CELL[name]:
                problems.append((line, f"The {name} is longer than {MAX_CELL[name]} characters."))
            elif not value:
                problems.append((line, f"The {name} is empty."))
            row[name] = value
        cells.append((line, row))

    # One query each for the people, the courses and what is already recorded, whatever the length.
    # Rows with a bad cell go no further: a NUL byte must not reach the database even in a lookup.
    bad_lines = {line for line, _ in problems}
    cells = [(line, row) for line, row in cells if line not in bad_lines]
    emails = {row["email"].lower() for _, row in cells}
    people = {
        p.email_key: p for p in User.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails)
    }
    codes = {row["course"].upper() for _, row in cells}
    courses = {c.code: c for c in Course.objects.filter(code__in=codes)}

    parsed: list[tuple[int, User, Course, date]] = []
    seen: dict[tuple, int] = {}
    for line, row in cells:
        errors = []
        email = row["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"“{row['email']}” is not an email address.")
        person = people.get(email)
        if person is None and not errors:
            errors.append(f"Nobody in the service has the email address {row['email']}.")
        course = courses.get(row["course"].upper())
        if course is None:
            errors.append(f"No course has the code “{row['course']}”.")
        completed_on = parse_date(row["completed_on"])
        if completed_on is None:
            errors.append(f"“{row['completed_on']}” is not a date: write 2026-03-01 or 01/03/2026.")
        elif completed_on > today:
            errors.append(f"The date {completed_on:%d/%m/%Y} is in the future.")
        elif completed_on < EARLIEST:
            errors.append(f"The date {completed_on:%d/%m/%Y} is before {EARLIEST.year}.")
        if not errors:
            key = (person.pk, course.pk, completed_on)
            if key in seen:
                errors.append(f"Repeats line {seen[key]}.")
            seen.setdefault(key, line)
        problems += [(line, e) for e in errors]
        if not errors:
            parsed.append((line, person, course, completed_on))
    if problems:
        raise ImportRejected(problems)
    if not parsed:
        raise ImportRejected([(2, "The file has no completions in it.")])

    recorded = set(
        Completion.objects.filter(
            person__in={p for _, p, _, _ in parsed}, course__in={c for _, _, c, _ in parsed}
        ).values_list("person_id", "course_id", "completed_on")
    )
    return [
        Row(line, person, course, day, (person.pk, course.pk, day) in recorded)
        for line, person, course, day in parsed
    ]
