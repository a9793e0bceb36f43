"""The Celery app. Redis is the broker when REDIS_URL is set; otherwise tasks run inline (settings).
The periodic jobs are those each app declares (core.contributions), handed to beat by core.schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("council")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
