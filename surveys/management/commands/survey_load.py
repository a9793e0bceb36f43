from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.definition import DefinitionError, parse_definition
from surveys.services import questionnaire_load


class Command(BaseCommand):
    help = (
        "Create a questionnaire from a definition file (JSON), or replace the questions of one nobody has "
        "answered yet. Example: manage.py survey_load surveys/definitions/social-media-2018.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            spec = parse_definition(data)
            questionnaire, created = questionnaire_load(spec=spec)
        except DefinitionError as exc:
            raise CommandError(f"{file} is not a valid definition:\n  " + "\n  ".join(exc.errors)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"{'Created' if created else 'Updated'} {questionnaire.slug}: “{questionnaire.title}”, "
            f"{len(spec.questions)} questions."
        )
