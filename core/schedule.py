"""Celery beat's scheduler: django-celery-beat's, running the jobs each app declares."""

from django_celery_beat.schedulers import DatabaseScheduler

from core.contributions import beat_schedule


class DeclaredJobsScheduler(DatabaseScheduler):
    """Reads the declared jobs (core.contributions) when beat starts, once every app is ready."""

    def setup_schedule(self):
        self.app.conf.beat_schedule = beat_schedule()
        super().setup_schedule()
