from datetime import date

from django.core.management.base import BaseCommand, CommandError

from blocking.services import blocking_sweep


class Command(BaseCommand):
    help = (
        "The blocking process's scheduled work, as on a date (today by default): blocks whose review "
        "date has come are marked due and the Communications team is told, once; blocks on closed "
        "council accounts expire. Celery beat runs it daily; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="the date to run as")

    def handle(self, *args, as_of: str | None = None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of must be a date like 2026-11-25, not {as_of!r}.") from None
        result = blocking_sweep(as_of=day)
        due, expired = len(result.due), len(result.expired)
        self.stdout.write(
            f"{due} block{'s' if due != 1 else ''} due for review"
            f"{' (the Communications team has been told)' if due else ''}; "
            f"{expired} block{'s' if expired != 1 else ''} expired (council account closed)."
        )
