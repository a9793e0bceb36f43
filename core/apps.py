from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Service pages and audit trail"

    def ready(self) -> None:
        from core import permissions  # noqa: F401
        from core.history import install_append_only_triggers

        post_migrate.connect(install_append_only_triggers, sender=self, dispatch_uid="core_append_only")
