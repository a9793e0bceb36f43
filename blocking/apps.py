from django.apps import AppConfig


class BlockingConfig(AppConfig):
    name = "blocking"
    verbose_name = "Blocking"

    def ready(self) -> None:
        from django.apps import apps

        from blocking import attention, checks, permissions, retention  # noqa: F401  (registers the rules and checks)
        from core.contributions import DemoStep, Job, NavItem, add_record_links, contribute

        contribute(
            self.label,
            urls=("blocking/", "blocking.urls"),
            nav=[NavItem("Blocking", "blocking:home", "blocking.view_area", 40, "/blocking/")],
            governed=["referral", "block", "appeal"],
            # The Django admin would bypass the process: every change goes through the pages.
            admin_section=False,
            demo=DemoStep(40, "blocking referrals and blocks", "blocking.demo.create_demo_blocking"),
            jobs=[Job("blocking_sweep", "blocking.tasks.blocking_sweep", 24 * 60 * 60)],
            attention=[attention.blocking_items],
            retention=retention.RETENTION,
            subject_access=[retention.subject_access],
        )
        if apps.is_installed("content_review"):
            from blocking.links import refer_the_sender

            add_record_links("content_review.inboundmessage", refer_the_sender)
