from celery import shared_task

from surveys.services import invitations_remind


@shared_task
def send_survey_reminders() -> int:
    return invitations_remind()
