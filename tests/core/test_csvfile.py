"""core.csvfile reads a file's lines one at a time, as io.StringIO(text, newline="") would give them."""

import io
import random

import pytest

from core.csvfile import _lines, records


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\r\nb\rc\n\nd", "\r\r\n\n", "x\r", 'é,"q\r\nz"\n'])
def test_lines_are_those_stringio_gives(text):
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


def test_lines_are_those_stringio_gives_for_any_mix_of_endings_and_quotes():
    rnd = random.Random(2026)
    for _ in range(2000):
        text = "".join(rnd.choice('ab,"\r\n') for _ in range(rnd.randint(0, 30)))
        assert list(_lines(text)) == list(io.StringIO(text, newline="")), repr(text)


def test_a_record_spanning_lines_starts_on_its_first():
    text = 'a,b\r\n1,"two\r\nlines"\r\n3,x\r\n'
    assert list(records(text)) == [(1, ["a", "b"]), (2, ["1", "two\r\nlines"]), (4, ["3", "x"])]
