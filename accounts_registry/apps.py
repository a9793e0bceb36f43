from django.apps import AppConfig


class AccountsRegistryConfig(AppConfig):
    name = "accounts_registry"
    verbose_name = "Account register"

    def ready(self) -> None:
        from accounts_registry import attention, permissions  # noqa: F401
