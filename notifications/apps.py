from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Email outbox"

    def ready(self) -> None:
        from core.contributions import Job, contribute
        from notifications import attention, permissions  # noqa: F401  (registers the rules)

        contribute(
            self.label,
            workflow_rules=False,
            urls=("email/", "notifications.urls"),
            jobs=[
                Job("deliver-outbox", "notifications.tasks.deliver_outbox", 60),
                Job("send-digests", "notifications.digest.send_digests", 24 * 60 * 60),
            ],
            attention=[attention.failed_emails],
        )
