from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Email outbox"

    def ready(self) -> None:
        from notifications import after_response, attention, permissions  # noqa: F401

        after_response.connect()
