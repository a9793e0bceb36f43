"""`python manage.py precheck --platform PLATFORM [--file F]`: the pre-publication checks for scripts.

Reads the text from standard input (or the file, UTF-8) and prints a JSON list with one object per
finding: `code`, `severity`, `start`, `end`, `message`. The exit code is 0 whatever is found; a bad
--platform is a usage error.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts_registry.platforms import Platform
from content_review.checks import check_text


def run_precheck(text: str, platform: str) -> list[dict]:
    """The findings for `text` on `platform` as JSON-ready dicts, in check_text's order."""
    return [finding.as_dict() for finding in check_text(text, platform)]


def _read(stream) -> str:
    # Bytes where we can get them: offsets must match the text exactly, so no newline translation, and
    # the input is UTF-8 whatever the locale says ("-sig" drops a byte-order mark from Windows editors).
    raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    return raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw


class Command(BaseCommand):
    help = "Run the pre-publication checks on text from standard input (or --file) and print JSON findings."
    requires_system_checks = []  # a script runs it per post: keep it quick
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests

    def add_arguments(self, parser) -> None:
        parser.add_argument("--platform", required=True, choices=Platform.values, help="Where it will go.")
        parser.add_argument("--file", help="Read the text from this UTF-8 file instead of standard input.")

    def handle(self, *args, platform: str, file: str | None, **options) -> None:
        try:
            if file:
                with open(file, "rb") as stream:
                    text = stream.read().decode("utf-8-sig")
            else:
                text = _read(options.get("stdin") or sys.stdin)
        except OSError as exc:
            raise CommandError(f"Can't read {file}: {exc.strerror}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"The text is not valid UTF-8 (byte {exc.start}).") from exc
        self.stdout.write(json.dumps(run_precheck(text, platform), indent=2))
