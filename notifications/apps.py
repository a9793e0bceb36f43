from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Email outbox"

    def ready(self) -> None:
        from core.contributions import DAILY, Job, contribute
        from notifications import after_response, attention, permissions  # noqa: F401  (registers the rules)

        after_response.connect()
        contribute(
            self.label,
            workflow_rules=False,
            urls=("email/", "notifications.urls"),
            jobs=[
                Job("deliver-outbox", "notifications.tasks.deliver_outbox", 60),
                Job("forget-sent-email-bodies", "notifications.tasks.forget_sent_email_bodies", DAILY),
                Job("send-digests", "notifications.digest.send_digests", DAILY),
            ],
            attention=[attention.failed_emails],
        )
