from celery import shared_task

from organisation.services import sign_in_records_purge


@shared_task
def purge_sign_in_records() -> dict[str, int]:
    return sign_in_records_purge()
