"""Load completions from elsewhere (e-learning): `manage.py training_import FILE.csv`.

Columns email, course (a course code), completed_on (2026-03-01 or 01/03/2026). All or nothing: any bad
row and nothing is saved, every problem is printed and the command exits with status 1."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.imports import MAX_BYTES, ImportRejected
from training.services import completions_import


class Command(BaseCommand):
    help = "Import training completions from a CSV file (email, course, completed_on). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            if file.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            done = completions_import(data=data, by=None)
        except ImportRejected as exc:
            for line, message in exc.problems:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from None
        plural = "s" if done.created != 1 else ""
        self.stdout.write(f"{done.created} completion{plural} imported; {done.already} already recorded.")
