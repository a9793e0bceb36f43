from django.apps import AppConfig


class ContentReviewConfig(AppConfig):
    name = "content_review"
    verbose_name = "Content review"

    def ready(self) -> None:
        from content_review import attention, permissions  # noqa: F401
