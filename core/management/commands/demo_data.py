"""The demo council for the run command: every app's demo data, in dependency order."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts_registry.demo import create_demo_accounts
from content_review.demo import create_demo_content
from organisation import demo
from surveys.demo import create_demo_surveys


class Command(BaseCommand):
    help = "Create (or bring up to date) a realistic demo council. Safe to run more than once."

    def handle(self, *args, **options):
        counts = demo.create_demo_council()
        counts["new social media accounts"] = create_demo_accounts()
        counts["new questionnaire responses"] = create_demo_surveys()
        counts["new drafts"] = create_demo_content()
        self.stdout.write(
            "Demo council ready: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."
        )
        self.stdout.write("")
        self.stdout.write(f"Sign in at {settings.SITE_URL} with password {demo.DEMO_PASSWORD!r} as:")
        for role, email in demo.DEMO_LOGINS.items():
            self.stdout.write(f"  {role.label:<16} {email}")
