from celery import shared_task

from blocking.services import blocking_sweep as sweep


@shared_task
def blocking_sweep() -> int:
    result = sweep()
    return len(result.due) + len(result.expired)
