from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from blocking.imports import COLUMNS, blocks_import
from core.csvfile import ImportRejected


class Command(BaseCommand):
    help = (
        "Import the council's existing block list once, from a CSV file with the columns "
        f"{', '.join(COLUMNS)} (see blocking/imports.py). All or nothing: if any line has a problem, "
        "every problem is printed, nothing is saved and the command exits with a non-zero status."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            made = blocks_import(by=None, data=data)
        except ImportRejected as exc:
            for line, message in exc.problems:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Imported {len(made)} block{'s' if len(made) != 1 else ''} into the register.")
