from celery import shared_task

from privacy.services import retention_sweep as sweep


@shared_task
def retention_sweep() -> int:
    results = sweep()
    return sum(r.records for r in results or [])
