from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Service pages and audit trail"

    def ready(self) -> None:
        from core import permissions  # noqa: F401
