"""The `precheck` command: its core (run_precheck) and, once the app is installed, the command itself."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from content_review.management.commands.precheck import run_precheck

KEYS = ["code", "severity", "start", "end", "message"]


def test_json_shape():
    text = "Call 07700 900123 about #recyclingweek"
    result = json.loads(json.dumps(run_precheck(text, "x")))
    assert [list(item) for item in result] == [KEYS, KEYS]
    assert [(item["code"], item["severity"]) for item in result] == [
        ("personal_data.phone", "block"),
        ("accessibility.hashtag_case", "warn"),
    ]
    assert text[result[0]["start"] : result[0]["end"]] == "07700 900123"
    assert all(
        item["code"].split(".")[0] in ("personal_data", "length", "accessibility", "readability")
        for item in result
    )
    assert all(isinstance(item["message"], str) and item["message"] for item in result)


def test_whole_post_findings_have_null_offsets():
    hard = (
        "In accordance with the aforementioned consultation, the council's environmental sustainability "
        "committee has determined that comprehensive infrastructural modifications necessitate considerable "
        "administrative deliberation before implementation."
    )
    assert json.loads(json.dumps(run_precheck(hard, "facebook")))[0] | {"message": ""} == {
        "code": "readability.low_reading_ease",
        "severity": "warn",
        "start": None,
        "end": None,
        "message": "",
    }


def test_nothing_found_is_an_empty_list():
    assert run_precheck("Bins are collected as usual this week.", "x") == []


needs_app = pytest.mark.skipif(
    "content_review" not in settings.INSTALLED_APPS, reason="content_review is not installed yet"
)


@needs_app
def test_command_reads_stdin_and_prints_json():
    out = io.StringIO()
    call_command("precheck", platform="x", stdin=io.StringIO("Call 07700 900123\n🎉\n"), stdout=out)
    result = json.loads(out.getvalue())
    assert [(item["code"], item["start"], item["end"]) for item in result] == [
        ("personal_data.phone", 5, 17),
        ("accessibility.emoji_only_line", 18, 19),
    ]


@needs_app
def test_command_reads_a_file(tmp_path):
    path = tmp_path / "post.txt"
    path.write_bytes("Café news\r\nEmail jo@example.com".encode())
    out = io.StringIO()
    call_command("precheck", "--file", str(path), platform="facebook", stdout=out)
    (item,) = json.loads(out.getvalue())
    assert (item["code"], item["start"], item["end"]) == ("personal_data.email", 17, 31)  # \r\n kept as typed


@needs_app
def test_command_rejects_an_unknown_platform():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("precheck", platform="myspace", stdin=io.StringIO("Hello"))
