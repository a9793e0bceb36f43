"""The Celery app. Redis is the broker when REDIS_URL is set; otherwise tasks run inline (settings).
The periodic jobs are those each app declares (core.contributions), handed to beat by core.schedule."""

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


class RecordedTask(Task):
    """A task's changes carry its name in the audit trail (the history says which job did it), and
    pghistory's triggers find a context to attach instead of failing to read one on every row."""

    def __call__(self, *args, **kwargs):
        import pghistory

        with pghistory.context(task=self.name):
            return super().__call__(*args, **kwargs)


app = Celery("council", task_cls=RecordedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
