from celery import shared_task

from surveys.services import invitations_remind, questionnaires_follow_dates


@shared_task
def follow_questionnaire_dates() -> dict[str, int]:
    """Open the questionnaires whose opening date has come and close those whose closing date has
    passed. Every quarter of an hour, so each does within minutes of midnight."""
    sweep = questionnaires_follow_dates()
    return {"opened": len(sweep.opened), "closed": len(sweep.closed)}


@shared_task
def send_survey_reminders() -> int:
    return invitations_remind()
