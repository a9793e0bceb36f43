from celery import shared_task

from notifications.services import outbox_deliver


@shared_task
def deliver_outbox() -> int:
    return outbox_deliver()
