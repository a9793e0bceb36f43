from celery import shared_task

from notifications.services import outbox_deliver, outbox_forget_sent_bodies


@shared_task
def deliver_outbox() -> int:
    return outbox_deliver()


@shared_task
def forget_sent_email_bodies() -> int:
    return outbox_forget_sent_bodies()
