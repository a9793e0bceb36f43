"""The register as a spreadsheet people read: the columns, in words, for the export, the import and
its template, and how a file is read and each cell understood.

The export and the import share these columns, so what is exported imports again unchanged. Columns
an account's fields come from are read back; the others (the officer's name, status, dates, risk
flags) are there to be read and are ignored by the import. The register's earlier export, with
machine headings (`platform`, `responsible_officer`, …), imports too: each column knows its old name.

Reading is bounded: the file's size is checked before it gets here, then at most MAX_ROWS rows, each
cell no longer than its column allows and free of control characters. A cell's problem is reported
with the row and the column; nothing here touches the database (the lookups are passed in)."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from accounts_registry.models import Account, AccountKind, PostingFrequency
from accounts_registry.platforms import PLATFORMS, Platform
from core.spreadsheet import protect_row, unprotect

MAX_BYTES = 5 * 2**20
MAX_ROWS = 20_000
MAX_CELL = 2_000  # a cell of a column the import ignores
NONE_WORD = "(none)"  # empties a field of an existing account; a blank cell leaves it as it is
CLEAR = object()  # a cell that said NONE_WORD
XLSX_MAGIC = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tabs and line breaks: below
_LINE_BREAK = re.compile(r"[\t\r\n\x85\u2028\u2029]")


class CellError(ValueError):
    """What is wrong with one cell, in words for the person who typed it."""


class SheetError(ValueError):
    """The file as a whole cannot be read: not a spreadsheet, no header, too many rows."""


@dataclass(frozen=True)
class Column:
    heading: str
    field: str = ""  # the account's field the import sets; "" for columns only there to be read
    old: str = ""  # the heading the register's earlier export used
    kind: str = "text"  # how a cell is read: text, choice, area, ward, person, yes_no, hours
    max_length: int = MAX_CELL
    clearable: bool = False  # NONE_WORD empties it
    multiline: bool = False  # line breaks allowed (the purpose); every other cell is one line
    choices: type[models.TextChoices] | None = None
    example: str = ""  # the template's sample row

    @property
    def key(self) -> str:
        return _heading_key(self.heading)


IMPORT_COLUMNS = [
    Column("Platform", "platform", "platform", "choice", 40, choices=Platform, example="X (Twitter)"),
    Column("Handle", "handle", "handle", max_length=200, example="NorthfieldLibs"),
    Column(
        "Profile link", "profile_url", "profile_url", max_length=500, example="https://x.com/NorthfieldLibs"
    ),
    Column("Display name", "display_name", "display_name", max_length=200, example="Northfield Libraries"),
    Column("Kind", "kind", "kind", "choice", 40, choices=AccountKind, example="Service area"),
    Column("Service area", "service_area", "service_area", "area", 150, clearable=True, example="Libraries"),
    Column("Ward", "ward", "ward", "ward", 150, clearable=True),
    Column(
        "Purpose",
        "purpose",
        "purpose",
        multiline=True,
        example="Events, opening times and new books at the libraries.",
    ),
    Column("Audience", "audience", "audience", max_length=300, example="Library users and families"),
    Column("Responsible officer"),
    Column(
        "Responsible officer's email",
        "responsible_officer",
        "responsible_officer",
        "person",
        254,
        example="first.last@northfield.gov.uk",
    ),
    Column("Deputy"),
    Column("Deputy's email", "deputy", "deputy", "person", 254, clearable=True),
    Column("Managed by Communications", "managed_by_comms", "managed_by_comms", "yes_no", 10, example="No"),
    Column(
        "Expected posting frequency",
        "posting_frequency",
        "posting_frequency",
        "choice",
        40,
        choices=PostingFrequency,
        example="Several times a week",
    ),
    Column("Every post reviewed", "review_required", "review_required", "yes_no", 10, example="Yes"),
    Column(
        "Agreed response time (working hours)",
        "response_time_hours",
        "response_time_hours",
        "hours",
        10,
        example="16",
    ),
    Column("Two-factor sign-in", "two_factor_enabled", "two_factor_enabled", "yes_no", 10, example="Yes"),
    Column(
        "Where the sign-in details are held",
        "credentials_location",
        "credentials_location",
        max_length=300,
        clearable=True,
        example="Council password manager, vault “Social media”",
    ),
]
SHOWN_COLUMNS = [
    Column("Status", old="status"),
    Column("Registered on"),
    Column("Last activity", old="last_activity"),
    Column("Posts in the last 30 days"),
    Column("Followers"),
]
TEMPLATE_COLUMNS = [c for c in IMPORT_COLUMNS if c.field]
BY_FIELD = {c.field: c for c in TEMPLATE_COLUMNS}
# What cannot be emptied: an account always has these (a blank cell leaves them as they are).
IDENTITY_FIELDS = ("platform", "handle", "profile_url")
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
PLATFORM_ALIASES = {"twitter": Platform.X}


def _heading_key(text: str) -> str:
    return " ".join(str(text).replace("\u2019", "'").split()).lower()


def all_columns(flag_labels: list[str]) -> list[Column]:
    """Every column of the export: the import's, what is shown, and a Yes/No column per risk flag."""
    return [*IMPORT_COLUMNS, *SHOWN_COLUMNS, *(Column(label) for label in flag_labels)]


# Export


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _handle_as_written(account: Account) -> str:
    """The handle without the "@" in front: the import takes it either way, and a cell starting
    with "@" would need the formula guard's visible apostrophe."""
    return account.handle.removeprefix("@")


def export_row(account: Account, flags: list[tuple[str, bool]]) -> list:
    """One account as a row of all_columns(): text protected from running as a formula, numbers as
    numbers and dates as dates. `account` comes with its people, service area and ward loaded."""
    officer, deputy = account.responsible_officer, account.deputy
    last = account.last_activity_at
    cells = [
        account.get_platform_display(),
        _handle_as_written(account),
        account.profile_url,
        account.display_name,
        account.get_kind_display(),
        account.service_area.name if account.service_area else "",
        account.ward.name if account.ward else "",
        account.purpose,
        account.audience,
        str(officer),
        officer.email,
        str(deputy) if deputy else "",
        deputy.email if deputy else "",
        yes_no(account.managed_by_comms),
        account.get_posting_frequency_display(),
        yes_no(account.review_required),
        account.response_time_hours,
        yes_no(account.two_factor_enabled),
        account.credentials_location,
        account.get_status_display(),
        timezone.localtime(account.created_at).date(),
        timezone.localtime(last).date() if last else None,
        account.posts_last_30_days,
        account.followers,
        *(yes_no(raised) for _, raised in flags),
    ]
    return protect_row(cells)


def template_rows() -> tuple[list[str], list[str]]:
    """The import template's headings and its sample row."""
    return [c.heading for c in TEMPLATE_COLUMNS], protect_row([c.example for c in TEMPLATE_COLUMNS])


def allowed_values(areas: list[str], wards: list[str]) -> dict[str, list[str]]:
    """What each choice column accepts (its value or its label, whatever the case)."""
    return {
        "Platform": [label for _, label in Platform.choices],
        "Kind": [label for _, label in AccountKind.choices],
        "Expected posting frequency": [label for _, label in PostingFrequency.choices],
        "Service area": areas,
        "Ward": wards,
        "Yes or no columns": ["Yes", "No"],
    }


# Reading a file


@dataclass
class Table:
    columns: list[Column | None]  # by position; None: a column with no heading (left empty)
    rows: Iterator[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    ignored: list[str]  # headings of columns only there to be read


def read(content: bytes) -> Table:
    """The header and an iterator over the rows (blank rows skipped); raises SheetError for a file
    that cannot be read at all. Cells come back as text, the formula guard's apostrophe removed.
    Rows are decoded and read as they are needed: the file is never held twice."""
    workbook = content.startswith(XLSX_MAGIC)
    records = _xlsx_records(content) if workbook else _csv_records(content)
    header = next(records, None)
    if header is None:
        raise SheetError("The file is empty: the first row must be the column headings.")
    columns, ignored = _columns(header[1])
    return Table(columns, _rows(records, len(columns)), ignored)


def _encoding(content: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), else Windows-1252: what Excel writes by default. A file with
    NUL bytes that is not UTF-8 is something else (an image, an old .xls), not a CSV file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(content), 2**16):
            decoder.decode(content[start : start + 2**16])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        if b"\x00" in content:
            raise SheetError(
                "This file is neither a CSV file (UTF-8 or Windows-1252) nor an Excel workbook."
            ) from None
        return "cp1252"
    return "utf-8-sig"


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(io.BytesIO(content), encoding=_encoding(content), errors="replace", newline="")
    reader = csv.reader(text)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as exc:
        raise SheetError(f"Row {number + 1} cannot be read as CSV: {exc}.") from None


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only workbooks need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError("This file is not an Excel workbook that can be read (.xlsx).") from exc
    try:
        sheet = book.worksheets[0]  # the accounts; the template's second sheet lists allowed values
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _columns(header: list[str]) -> tuple[list[Column | None], list[str]]:
    keys = {_heading_key(unprotect(text)) for text in header}
    known: dict[str, Column] = {c.key: c for c in [*IMPORT_COLUMNS, *SHOWN_COLUMNS]}
    for column in [*IMPORT_COLUMNS, *SHOWN_COLUMNS]:
        if column.old:
            known.setdefault(_heading_key(column.old), column)
    # "Deputy" is the deputy's name beside "Deputy's email"; in the earlier export it held the email.
    if "deputy" in keys and "deputy's email" not in keys:
        known["deputy"] = BY_FIELD["deputy"]
    flag_headings = _flag_headings()
    columns: list[Column | None] = []
    problems, seen, ignored = [], set(), []
    for text in header:
        key = _heading_key(unprotect(text))
        if not key:
            columns.append(None)
            continue
        column = known.get(key) or (Column(text.strip()) if key in flag_headings else None)
        if column is None:
            problems.append(f"“{text.strip()[:100]}”")
            columns.append(None)
            continue
        if column.key in seen:
            raise SheetError(f"The column “{column.heading}” is in the file twice.")
        seen.add(column.key)
        columns.append(column)
        if not column.field:
            ignored.append(column.heading)
    if problems:
        raise SheetError(
            f"The register has no column called {', '.join(problems[:10])}. Use the headings of the "
            "template (or of an export), or remove the column."
        )
    if "platform" not in seen or not {"handle", "profile link"} & seen:
        raise SheetError(
            "The file needs a Platform column and a Handle or Profile link column: they say which "
            "account each row is about. Is the first row the column headings?"
        )
    return columns, ignored


def _flag_headings() -> set[str]:
    from accounts_registry.selectors import active_flags

    return {_heading_key(flag.label) for flag in active_flags()}


def _rows(records: Iterator[tuple[int, list[str]]], width: int) -> Iterator[tuple[int, list[str]]]:
    count = 0
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often keep blank rows at the end
        count += 1
        if count > MAX_ROWS:
            raise SheetError(f"The file has more than {MAX_ROWS:,} accounts: split it into smaller files.")
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            raise SheetError(f"Row {number} has more cells than the file has column headings.")
        yield number, [unprotect(cell) for cell in cells[:width]] + [""] * (width - len(cells))


# Understanding a cell


class CellReader:
    """Reads cells into field values, with the lookups loaded once for the whole file:
    `areas` and `wards` by lower-case code and name, `people` by lower-case email."""

    def __init__(self, *, areas: Mapping[str, Any], wards: Mapping[str, Any], people: Mapping[str, Any]):
        self.areas, self.wards, self.people = areas, wards, people
        self.choices = {  # each choice by its value or its label, in lower case
            column.field: {
                str(text).lower(): value for value, label in column.choices.choices for text in (value, label)
            }
            for column in TEMPLATE_COLUMNS
            if column.choices
        }
        self.choices["platform"].update(PLATFORM_ALIASES)

    def value(self, column: Column, text: str):
        """The field's value; None for a blank cell (leave it as it is), CLEAR for NONE_WORD."""
        if len(text) > column.max_length:
            raise CellError(f"{len(text):,} characters; it can hold at most {column.max_length:,}.")
        if _CONTROL.search(text):
            raise CellError("it holds a control character (such as a NUL): retype the cell.")
        if not column.multiline and _LINE_BREAK.search(text.strip()):
            raise CellError("enter it on one line, without line breaks, tabs or other control characters.")
        text = text.strip()
        if not text:
            return None
        if text.lower() == NONE_WORD:
            if not column.clearable:
                raise CellError(
                    f"an account always has this, so it cannot be {NONE_WORD}. Leave the cell blank to "
                    "keep what the register holds."
                )
            return CLEAR
        return getattr(self, f"_{column.kind}")(column, text)

    def _text(self, column: Column, text: str) -> str:
        return text

    def _choice(self, column: Column, text: str) -> str:
        found = self.choices[column.field].get(text.lower())
        if found is None:
            allowed = ", ".join(str(label) for _, label in column.choices.choices)
            raise CellError(f"“{text}” is not one of: {allowed}.")
        return found

    def _area(self, column: Column, text: str):
        return self._named(self.areas, text, "service area")

    def _ward(self, column: Column, text: str):
        return self._named(self.wards, text, "ward")

    def _named(self, lookup: Mapping[str, Any], text: str, what: str):
        found = lookup.get(text.lower())
        if found is None:
            raise CellError(f"no {what} is called “{text}” (nor has that code).")
        return found

    def _person(self, column: Column, text: str):
        found = self.people.get(text.lower())
        if found is None:
            raise CellError(f"nobody with the address {text} is in the list of people.")
        return found

    def _yes_no(self, column: Column, text: str) -> bool:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise CellError(f"write Yes or No, not “{text}”.")

    def _hours(self, column: Column, text: str) -> int:
        if not re.fullmatch(r"[0-9]{1,5}", text):
            raise CellError(f"write a whole number of working hours, like 16, not “{text}”.")
        return int(text)


def describe(field: str, value) -> str:
    """A field's value as the preview shows it."""
    if value is None or value == "":
        return NONE_WORD
    if isinstance(value, bool):
        return yes_no(value)
    if field == "platform":
        return PLATFORMS[value].name
    column = BY_FIELD.get(field)
    if column and column.choices:
        return str(dict(column.choices.choices).get(value, value))
    if column and column.kind == "person":
        return f"{value} ({value.email})"
    return str(value)
