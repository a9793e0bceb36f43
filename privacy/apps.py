from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Personal data"

    def ready(self) -> None:
        from core.contributions import DAILY, Job, NavItem, contribute
        from privacy import permissions  # noqa: F401  (registers the rules)

        contribute(
            self.label,
            urls=("privacy/", "privacy.urls"),
            nav=[NavItem("Personal data", "privacy:rules", "privacy.manage", 80, "/privacy/")],
            admin_section=False,
            jobs=[Job("retention-sweep", "privacy.tasks.retention_sweep", DAILY)],
        )
