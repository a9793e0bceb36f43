from celery import shared_task

from content_review.services import inbound_sweep


@shared_task
def sweep_response_times() -> dict:
    return inbound_sweep()
