import json

from django.core.management.base import BaseCommand

from privacy.services import as_json, subject_access


class Command(BaseCommand):
    help = (
        "Everything the service holds about one member of the public, by their handle. The request "
        "is logged (when, and that it came from this command); the result is not kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--handle", required=True)
        parser.add_argument("--platform", help="Only this platform's records (its code, e.g. x).")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, handle, platform=None, format="json", **options):
        found = subject_access(handle=handle, platform=platform, how="command")
        if format == "json":
            self.stdout.write(json.dumps(as_json(found), indent=2, ensure_ascii=False))
            return
        for section in found:
            self.stdout.write(section.section)
            for item in section.items:
                self.stdout.write("  " + "; ".join(f"{k}: {v}" for k, v in item.items() if v))
