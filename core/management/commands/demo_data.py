"""The demo council for the run command: every installed app's demo data, in the order the apps
declare (core.contributions)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.contributions import demo_steps
from organisation import demo


class Command(BaseCommand):
    help = "Create (or bring up to date) a realistic demo council. Safe to run more than once."

    def handle(self, *args, **options):
        counts: dict[str, int] = {}
        for what, create in demo_steps():
            made = create()
            counts.update(made if isinstance(made, dict) else {what: made})
        self.stdout.write(
            "Demo council ready: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."
        )
        self.stdout.write("")
        self.stdout.write(f"Sign in at {settings.SITE_URL} with password {demo.DEMO_PASSWORD!r} as:")
        for role, email in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {role.label:<16} {email}")
