from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.models import Questionnaire
from surveys.resources import ImportRejected
from surveys.services import responses_import


class Command(BaseCommand):
    help = (
        "Import responses gathered elsewhere from a CSV file (see surveys/resources.py for the layout). "
        "All or nothing: if any line has a problem nothing is imported and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)

    def handle(self, *args, slug: str, file: Path, **options):
        questionnaire = Questionnaire.objects.filter(slug=slug).first()
        if questionnaire is None:
            raise CommandError(f"There is no questionnaire called {slug}.")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            made = responses_import(questionnaire=questionnaire, by=None, data=data)
        except ImportRejected as exc:
            for line, message in exc.problems:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Imported {made} response{'s' if made != 1 else ''} into {slug}.")
