"""Reading a CSV file people upload, the same way for every import: UTF-8 (with or without the
byte-order mark Excel adds) or Excel's Windows-1252 "CSV (Comma delimited)", each record with the line
it starts on, and one exception that carries every problem found (all-or-nothing imports)."""

import csv
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError


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
    """UTF-8 (a byte-order mark is dropped), else Windows-1252, which is what Excel writes by default."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected([(1, "The file is not a text CSV file (UTF-8 or Windows-1252).")]) from None


def records(text: str) -> Iterable[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(_lines(text))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRejected([(start, f"The CSV cannot be read here: {exc}.")]) from None


_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, as io.StringIO(text, newline="") gives them, one at a time:
    StringIO would first copy the whole file at four bytes a character."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]
