"""Runs the periodic jobs each app declares (core.contributions) inline, for machines without Redis.

With REDIS_URL set, `celery beat` and a worker do this instead. Jobs are idempotent sweeps, so
running this beside a real beat, or twice, sends nothing twice."""

import time
from datetime import timedelta

from celery import current_app
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from core.contributions import jobs


class Command(BaseCommand):
    help = "Run the periodic jobs inline, every minute, until stopped (used when REDIS_URL is not set)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, once: bool = False, **options):
        # Load the tasks modules: Celery's autodiscovery is lazy outside a worker.
        current_app.loader.import_default_modules()
        last_run: dict[str, object] = {}
        while True:
            for job in jobs():
                last = last_run.get(job.name)
                if once or last is None or timezone.now() - last >= timedelta(seconds=job.every_seconds):
                    close_old_connections()
                    try:
                        current_app.tasks[job.task].apply()
                    except Exception as exc:  # one failing job must not stop the others
                        self.stderr.write(f"{job.name} failed: {exc}")
                    last_run[job.name] = timezone.now()
            if once:
                return
            time.sleep(30)
