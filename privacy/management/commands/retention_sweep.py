from datetime import date

from django.core.management.base import BaseCommand, CommandError

from privacy.services import retention_sweep


class Command(BaseCommand):
    help = (
        "Anonymise the personal data whose retention period has ended (the rules are on the Personal "
        "data page). --dry-run prints, per rule, how many records would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The day to sweep as, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of must be a date like 2026-11-25, not {as_of!r}.") from None
        results = retention_sweep(as_of=day, dry_run=dry_run)
        if results is None:
            self.stdout.write("Another retention sweep is running: nothing done.")
            return
        verb = "would be anonymised" if dry_run else "anonymised"
        for r in results:
            self.stdout.write(f"{r.rule.code}: {r.records} {verb} ({r.rule.label}, {r.rule.months} months)")
