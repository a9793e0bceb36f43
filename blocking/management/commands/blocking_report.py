import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from blocking.report import blocking_report, report_json


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2026-11-25, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Print the blocking report that is safe to publish: referrals, blocks and lifts in total, by "
        "category, by council account and by month (see blocking/report.py for what is counted). "
        "It holds no handle, link, quoted text or person's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="text", dest="output_format")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")

    def handle(self, *args, output_format: str, date_from=None, date_to=None, **options):
        start, end = _date(date_from, "--from"), _date(date_to, "--to")
        if start and end and start > end:
            raise CommandError("--from must not be after --to.")
        report = blocking_report(date_from=start, date_to=end)
        if output_format == "json":
            self.stdout.write(json.dumps(report_json(report), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{report.date_from or 'Start'} to {report.date_to}: {report.referrals} referrals, "
            f"{report.blocks} blocks, {report.lifted} lifted"
        )
        for title, rows in (
            ("By category", {label: c for _, label, c in report.category_rows()}),
            ("By council account", report.by_account),
            ("By month", report.by_month),
        ):
            self.stdout.write(f"\n{title}")
            for name, counts in rows.items():
                self.stdout.write(f"  {name:<60} {counts.referrals:>5} referrals {counts.blocks:>5} blocks")
