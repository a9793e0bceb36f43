from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        from core.contributions import NavItem, contribute
        from dashboard import permissions  # noqa: F401  (registers the rules)

        contribute(
            self.label,
            urls=("dashboard/", "dashboard.urls"),
            nav=[NavItem("Dashboard", "dashboard:home", "dashboard.view_dashboard", 60, "/dashboard/")],
            governed=[],
            admin_section=False,
        )
