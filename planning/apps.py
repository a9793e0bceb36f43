from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        from django.apps import apps

        # Planning is a view over content review's drafts: without that app it adds nothing.
        if not apps.is_installed("content_review"):
            return

        from core.contributions import HOURLY, DemoStep, Job, NavItem, add_record_links, contribute
        from planning import attention, links, permissions  # noqa: F401  (registers the rules)

        contribute(
            self.label,
            urls=("planning/", "planning.urls"),
            nav=[NavItem("Calendar", "planning:calendar", "content_review.view_area", 25, "/planning/")],
            governed=["calendarfeed"],
            admin_section=False,
            demo=DemoStep(35, "planned posts in a campaign", "planning.demo.create_demo_planning"),
            jobs=[Job("flag-late-posts", "planning.tasks.flag_late_posts", HOURLY)],
            attention=[attention.planning_items],
        )
        add_record_links("content_review.draft", links.campaign)
        add_record_links("content_review.draft", links.scheduled_time)
