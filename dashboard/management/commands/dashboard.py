import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dashboard.figures import figures
from dashboard.indicators import MAX_MONTHS, Period
from dashboard.report import as_json
from organisation.models import ServiceArea


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Print the auditors' dashboard: every indicator for a period (default: the last twelve months) "
        "and, optionally, one service area, with what the latest questionnaire said beside what the "
        "records show."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
        parser.add_argument("--service-area", metavar="CODE")

    def handle(self, *args, start=None, end=None, service_area=None, **options):
        default = Period.default()
        end_day = _day(end) if end else default.end
        start_day = _day(start) if start else Period.default(end_day).start
        if start_day > end_day:
            raise CommandError("--from must not be after --to.")
        period = Period(start_day, end_day)
        if len(period.months()) > MAX_MONTHS:
            raise CommandError(f"A period can be at most {MAX_MONTHS} months long.")
        area = None
        if service_area:
            area = ServiceArea.objects.filter(code=service_area).first()
            if area is None:
                raise CommandError(f"There is no service area with the code {service_area!r}.")
        found = figures(period, area, fresh=True)  # worked out now, the page's way (and kept for it)
        self.stdout.write(
            json.dumps(as_json(found.dashboard, found.comparisons), indent=2, ensure_ascii=False)
        )
