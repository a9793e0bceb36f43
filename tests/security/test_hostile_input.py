"""Hostile input, property-based (issue 9): every parser and form that takes people's text or files is
given what a careless or hostile person could send (control characters, NUL, zero-width and direction
marks, formulas, enormous numbers and dates, broken encodings, random bytes, deep nesting). Each must
answer with its own error in words, never an unhandled exception; an import that is refused saves
nothing; and the work grows no faster than the input (measured on doubling it, as a generous ratio of
the best of three timings, or as a count of queries).

Example counts are kept modest (HOSTILE below) so the suite stays quick; a failure prints the input."""

import contextlib
import csv
import datetime
import io
import json
import time
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from accounts_registry import sheet
from accounts_registry.models import Account, AccountImport
from accounts_registry.platforms import Platform, identify
from accounts_registry.services import accounts_import_preview
from blocking import imports as block_imports
from blocking.models import Block
from content_review.checks import check_text
from core.dates import GovukDateField
from core.uploads import check_upload
from surveys import answers
from surveys.definition import DefinitionError, parse_definition, spec_from_dict
from surveys.models import Response
from surveys.services import responses_import
from tests.factories import AccountFactory, CourseFactory
from tests.surveys.helpers import PULSE, make_questionnaire
from training import imports as training_imports
from training.models import Completion
from training.services import completions_import

HOSTILE = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Pieces of text that have broken parsers somewhere: joined at random, and mixed with any text at all.
NASTY = [
    "",
    " ",
    ",",
    ";",
    '"',
    "'",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ud7ff",
    "é",
    "ß",
    "ﬁ",
    "😀",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "1e400",
    "-1e5000",
    "NaN",
    "inf",
    "0x10",
    "1_000",
    "٣",
    "9" * 400,
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "31/02/2025",
    "2025-13-45",
    "http://",
    "https://x.com/",
    "https://twitter.com/jo_bloggs/status/1",
    "www.facebook.com/profile.php?id=",
    "@",
    "@jo\r\nBcc: x@y",
    "#",
    "x" * 300,
    "a@b.c",
    "officer@northfield.gov.uk",
    "(none)",
    "<script>",
    "{{ 1 }}",
    "%s",
    "\\",
]
nasty_text = st.one_of(
    st.lists(st.sampled_from(NASTY), max_size=8).map("".join),
    st.text(max_size=80),
)


def best_of_three(work: Callable[[], object]) -> float:
    """The least CPU time of three runs: CPU time, not the clock, so other processes on a busy
    machine do not count."""
    times = []
    for _ in range(3):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def assert_linear(make_input: Callable[[int], object], work: Callable[[object], object], size: int) -> None:
    """Doubling the input at most roughly doubles the time (a quadratic parser would quadruple it);
    the ratio is generous, and measured up to three times (a quadratic one fails every time, a
    moment of noise does not)."""
    small, large = make_input(size), make_input(2 * size)
    for _ in range(3):
        once = best_of_three(lambda: work(small))
        twice = best_of_three(lambda: work(large))
        if twice < 3.2 * once + 0.02:
            return
    raise AssertionError(f"{once:.4f} s for {size}, then {twice:.4f} s for twice as much")


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="surrogatepass")


def refused_or_done(work: Callable[[], object], counted: list) -> None:
    """Run `work` in a savepoint rolled back afterwards; a refusal must be a ValidationError and must
    leave every counted table as it was."""
    before = [model.objects.count() for model in counted]
    with transaction.atomic():
        try:
            work()
        except ValidationError as refusal:
            assert refusal.messages and all(isinstance(m, str) and m for m in refusal.messages)
            assert [model.objects.count() for model in counted] == before, "a refused import saved rows"
        transaction.set_rollback(True)


def rows_of(width: int) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(nasty_text, min_size=0, max_size=width + 1), max_size=6)


# Records the imports refer to, made once per test (not per example).


@pytest.fixture
def bins_account(service_area):
    return AccountFactory(service_area=service_area, handle="NorthfieldBins")


@pytest.fixture
def course(db):
    return CourseFactory(code="SM-BASICS")


@pytest.fixture
def questionnaire(db):
    return make_questionnaire(slug="hostile")


# ---------------------------------------------------------------------------------------------------
# The register's import (accounts_registry/sheet.py and the service that reads it)

REGISTER_HEADER = sheet.template_rows()[0]


@pytest.mark.django_db
@HOSTILE
@given(rows=rows_of(len(REGISTER_HEADER)), raw=st.binary(max_size=300), as_raw=st.booleans())
def test_the_register_import_refuses_with_words_and_saves_nothing(people, rows, raw, as_raw):
    content = raw if as_raw else csv_bytes(REGISTER_HEADER, rows)
    refused_or_done(
        lambda: accounts_import_preview(by=people["comms"], file_name="register.csv", content=content),
        [Account, AccountImport],
    )


@pytest.mark.django_db
@HOSTILE
@given(raw=st.binary(max_size=400))
@example(raw=b"PK\x03\x04" + b"\x00" * 100)  # says it is a workbook, is not
def test_a_broken_workbook_is_refused_with_words(people, raw):
    refused_or_done(
        lambda: accounts_import_preview(
            by=people["comms"], file_name="register.xlsx", content=b"PK\x03\x04" + raw
        ),
        [Account, AccountImport],
    )


def test_reading_the_register_file_is_linear():
    def file_of(rows: int) -> bytes:
        return csv_bytes(
            REGISTER_HEADER, [[f"x{n}", f"@Nfield{n}", "\u200b" * 5 + "=1+1"] for n in range(rows)]
        )

    assert_linear(file_of, lambda content: list(sheet.read(content).rows), 4_000)


# ---------------------------------------------------------------------------------------------------
# The block list's import (blocking/imports.py)


@pytest.mark.django_db
@HOSTILE
@given(rows=rows_of(len(block_imports.COLUMNS)), raw=st.binary(max_size=300), as_raw=st.booleans())
def test_the_block_list_import_refuses_with_words_and_saves_nothing(people, bins_account, rows, raw, as_raw):
    content = raw if as_raw else csv_bytes(block_imports.COLUMNS, rows)
    refused_or_done(lambda: block_imports.blocks_import(by=people["comms"], data=content), [Block])


@pytest.mark.django_db
def test_the_block_list_import_makes_the_same_queries_for_twice_the_rows(people, service_area):
    account = AccountFactory(service_area=service_area, handle="NorthfieldBins")

    def file_of(rows: int) -> bytes:
        return csv_bytes(
            block_imports.COLUMNS,
            [
                [
                    "x",
                    account.handle,
                    f"@person{n}",
                    "",
                    "spam",
                    "Adverts",
                    "2025-03-04",
                    "",
                    "comms@northfield.gov.uk",
                ]
                for n in range(rows)
            ],
        )

    counts = []
    for rows in (50, 100):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            assert len(block_imports.blocks_import(by=people["comms"], data=file_of(rows))) == rows
            transaction.set_rollback(True)
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 2, f"{counts[0]} queries for 50 rows, {counts[1]} for 100"


@HOSTILE
@given(text=nasty_text)
def test_a_block_list_date_is_a_date_or_a_plain_refusal(text):
    try:
        day = block_imports.parse_date(text)
    except ValueError as refusal:
        assert str(refusal)
    else:
        assert isinstance(day, datetime.date)


# ---------------------------------------------------------------------------------------------------
# Training completions (training/imports.py)


@pytest.mark.django_db
@HOSTILE
@given(rows=rows_of(3), raw=st.binary(max_size=300), as_raw=st.booleans())
def test_the_completions_import_refuses_with_words_and_saves_nothing(people, course, rows, raw, as_raw):
    content = raw if as_raw else csv_bytes(training_imports.COLUMNS, rows)
    refused_or_done(lambda: completions_import(data=content, by=people["comms"]), [Completion])


@HOSTILE
@given(text=nasty_text)
def test_a_completion_date_is_a_date_nothing_or_a_plain_refusal(text):
    try:
        day = training_imports.parse_date(text)
    except ValueError as refusal:
        assert str(refusal)
    else:
        assert day is None or isinstance(day, datetime.date)


# ---------------------------------------------------------------------------------------------------
# Questionnaires: definition files, response imports, number answers (surveys/)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=20,
)


@HOSTILE
@given(
    key=st.sampled_from(
        ["slug", "title", "audiences", "questions", "opens_on", "closes_on", "min", "max", "type"]
    ),
    value=json_values,
    where=st.sampled_from(["questionnaire", "question"]),
)
def test_a_definition_with_any_value_anywhere_is_read_or_refused_in_words(key, value, where):
    data = json.loads(json.dumps(PULSE))
    if where == "questionnaire":
        data[key] = value
    else:
        data["questions"][-1][key] = value
    try:
        spec_from_dict(data)
    except DefinitionError as refusal:
        assert refusal.errors and all(isinstance(e, str) for e in refusal.errors)


@HOSTILE
@given(raw=st.one_of(st.binary(max_size=200), nasty_text.map(str.encode), json_values.map(json.dumps)))
@example(raw="[" * 100_000)  # nested deeper than Python's JSON reader goes: was a RecursionError
@example(raw='{"a":' * 50_000 + "1" + "}" * 50_000)
def test_a_definition_file_of_anything_is_refused_in_words(raw):
    try:
        parse_definition(raw)
    except DefinitionError as refusal:
        assert refusal.errors and all(isinstance(e, str) for e in refusal.errors)


@pytest.mark.django_db
@HOSTILE
@given(rows=rows_of(10), raw=st.binary(max_size=300), as_raw=st.booleans())
def test_the_responses_import_refuses_with_words_and_saves_nothing(people, questionnaire, rows, raw, as_raw):
    spec = spec_from_dict(PULSE)
    content = raw if as_raw else csv_bytes(answers.columns(spec), rows)
    refused_or_done(
        lambda: responses_import(questionnaire=questionnaire, by=people["comms"], data=content), [Response]
    )


NUMBER = next(q for q in spec_from_dict(PULSE).questions if q.type == "number")


@HOSTILE
@given(value=st.one_of(nasty_text, st.integers(), st.floats(), st.decimals(allow_nan=True)))
@example(value="1e400")
@example(value="1e5000")
@example(value="-" + "9" * 5_000)
def test_a_number_answer_is_a_number_in_range_or_a_plain_refusal(value):
    try:
        number = answers.clean(NUMBER, value)
    except ValueError as refusal:
        assert str(refusal) and "Decimal" not in str(refusal) and "int" not in str(refusal)
    else:
        assert number is None or abs(number) <= 10**12


@HOSTILE
@given(text=nasty_text)
def test_a_respondent_is_an_address_or_a_plain_refusal(text):
    try:
        key = answers.respondent_key(text)
    except ValueError as refusal:
        assert str(refusal)
    else:
        assert "\u200b" not in key and "\u202e" not in key and "\x00" not in key


@HOSTILE
@given(day=nasty_text, month=nasty_text, year=nasty_text)
@example(day="31", month="2", year="2026")
@example(day="1", month="1", year="0001")
@example(day="12\n", month="1", year="2026")
def test_a_date_in_three_boxes_is_a_date_or_a_plain_refusal(day, month, year):
    field = GovukDateField(name="the date of the check")
    try:
        value = field.clean([day, month, year])
    except ValidationError as refusal:
        assert refusal.messages and all("the date of the check" in m.lower() for m in refusal.messages)
    else:
        assert isinstance(value, datetime.date) and value.year >= 1900


# ---------------------------------------------------------------------------------------------------
# Handles and links (accounts_registry/platforms.py), the checks (content_review/checks.py)


@HOSTILE
@given(platform=st.sampled_from(Platform.values), handle=nasty_text, link=nasty_text)
def test_a_handle_or_link_is_an_identity_or_a_plain_refusal(platform, handle, link):
    try:
        identity = identify(platform, handle, link)
    except ValidationError as refusal:
        assert refusal.messages and all(isinstance(m, str) and m for m in refusal.messages)
    else:
        assert identity.key and "\x00" not in identity.key and "\n" not in identity.key


@pytest.mark.parametrize(
    "piece",
    ["@a", "https://x.com/a/", "x.com/" + "a/" * 3, "www.facebook.com/profile.php?id=1&", "%2F"],
)
def test_reading_a_link_is_linear(piece):
    def identify_or_refuse(text):
        with contextlib.suppress(ValidationError):
            identify("x", "", text)

    assert_linear(lambda n: "https://x.com/" + piece * n, identify_or_refuse, 20_000)


@HOSTILE
@given(text=nasty_text, platform=st.sampled_from(Platform.values))
def test_the_checks_read_any_text(text, platform):
    for finding in check_text(text, platform):
        assert finding.message


@pytest.mark.parametrize(
    "piece",
    [
        "07700 900123 ",
        "1234 5678 9012 3456 ",
        "AB 12 34 56 C ",
        "#tag",
        "#",
        "http://",
        "www.northfield.gov.uk/",
        "😀",
        "😀\n",
        "12 High Street ",
        "SW1A 1AA ",
        "01/02/1990 ",
        "9" * 30 + " ",
        "a" * 50 + " ",
        "GB82 WEST 1234 5698 7654 32 ",
        "12-34-56 12345678 ",
    ],
)
def test_the_checks_are_linear(piece):
    """The pre-publication checks over a draft at its longest allowed length and twice that."""
    assert_linear(lambda n: piece * (n // len(piece) + 1), lambda text: check_text(text, "facebook"), 10_000)


# ---------------------------------------------------------------------------------------------------
# Uploads (core/uploads.py)


def image_bytes(kind: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind)
    return out.getvalue()


@HOSTILE
@given(
    kind=st.sampled_from(["PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"]),
    size=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    cut=st.integers(0, 400),
    noise=st.binary(max_size=40),
    at=st.integers(0, 400),
)
def test_an_upload_is_a_clean_file_or_a_plain_refusal(kind, size, cut, noise, at):
    data = bytearray(image_bytes(kind, size))
    data = data[: max(cut, 8)] if cut < len(data) else data
    data[at:at] = noise
    try:
        checked = check_upload(SimpleUploadedFile("upload.bin", bytes(data)), max_bytes=100_000)
    except ValidationError as refusal:
        assert refusal.messages and all(isinstance(m, str) and m for m in refusal.messages)
    else:
        assert checked.kind in {"png", "jpeg", "gif", "webp"} and checked.size > 0


@HOSTILE
@given(raw=st.binary(max_size=400), pdf=st.booleans())
def test_any_bytes_uploaded_are_refused_in_words(raw, pdf):
    data = (b"%PDF-1.4\n" if pdf else b"") + raw
    try:
        check_upload(SimpleUploadedFile("upload.bin", data), kinds={"png", "jpeg", "pdf"}, max_bytes=100_000)
    except ValidationError as refusal:
        assert refusal.messages


# A picture with too many pixels in its header: tests/core/test_uploads.py (refused before decoding).
