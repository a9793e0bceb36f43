from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "People and organisation"

    def ready(self) -> None:
        from core.contributions import DAILY, DemoStep, Job, NavItem, contribute
        from organisation import attention, permissions  # noqa: F401  (registers the rules)

        contribute(
            self.label,
            urls=("people/", "organisation.urls"),
            nav=[NavItem("People", "people:list", "organisation.view_user", 90, "/people/")],
            # Role changes are rows of the user-group table: shown on the person's history page.
            governed=["user", "servicearea", "ward", "user_groups", "rolegrant"],
            workflow_rules=False,  # superusers administer people outright
            demo=DemoStep(0, "", "organisation.demo.create_demo_council"),
            jobs=[Job("purge-sign-in-records", "organisation.tasks.purge_sign_in_records", DAILY)],
            attention=[attention.role_grants_waiting],
        )
