"""Who is trained, as JSON: `manage.py training_compliance --format json [--as-of YYYY-MM-DD]`.

    {"as_of": "2026-11-25",
     "people": {EMAIL: {"required": [CODE…], "valid": [CODE…], "expiring": [CODE…], "missing": [CODE…]}},
     "service_areas": {NAME: {"people": N, "fully_trained": N}},
     "overall": {"people": N, "fully_trained": N}}

A person appears when at least one course is required of them (current people only: not marked as
left). A completion is valid on its day and for its course's validity period; "expiring" are valid
ones that stop counting within 60 days; "missing" are required and not valid. People with no service
area (councillors, say) count in "overall" only. Three queries, whatever the number of people."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from training import requirements


class Command(BaseCommand):
    help = "Print who is trained for their social media responsibilities, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--as-of", dest="as_of", help="The day to report on (YYYY-MM-DD); default today.")

    def handle(self, *args, format: str, as_of: str | None, **options):
        day = timezone.localdate()
        if as_of:
            try:
                day = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {as_of!r}.") from None
        people = requirements.people_with_requirements(day).order_by("email")
        report = {
            "as_of": day.isoformat(),
            "people": {
                row["email"]: {
                    "required": row["required_codes"],
                    "valid": row["valid_codes"],
                    "expiring": row["expiring_codes"],
                    "missing": row["missing_codes"],
                }
                for row in people.values(
                    "email", "required_codes", "valid_codes", "expiring_codes", "missing_codes"
                )
            },
            "service_areas": {
                area["name"]: {"people": area["people"], "fully_trained": area["fully_trained"]}
                for area in requirements.by_service_area(day)
            },
            "overall": requirements.overall(day),
        }
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
