from celery import shared_task

from planning.services import late_posts_flag


@shared_task
def flag_late_posts() -> int:
    return late_posts_flag()
