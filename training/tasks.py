from celery import shared_task

from training.services import monthly_summary_send, reminders_send


@shared_task
def send_training_reminders() -> int:
    return reminders_send()


@shared_task
def send_training_summary() -> bool:
    return monthly_summary_send()
