from celery import shared_task

from accounts_registry.services import accounts_mark_dormant


@shared_task
def mark_dormant_accounts() -> int:
    return len(accounts_mark_dormant().marked)
