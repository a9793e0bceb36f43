from django.apps import AppConfig


class ContentReviewConfig(AppConfig):
    name = "content_review"
    verbose_name = "Content review"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from content_review import attention, chains, permissions, privacy  # noqa: F401  (registers the rules)
        from content_review.banners import pre_election_banner
        from core.contributions import DemoStep, Job, NavItem, add_banner, contribute

        contribute(
            self.label,
            urls=("content/", "content_review.urls"),
            nav=[NavItem("Posts and replies", "content:mine", "content_review.view_area", 20, "/content/")],
            governed=[
                "draft",
                "inboundmessage",
                "standardresponse",
                "campaign",
                "approvalchain",
                "approvalstep",
                "approvalstepperson",
                "stepapproval",
                "preelectionperiod",
                "politicalparty",
                "candidate",
            ],
            demo=DemoStep(30, "new drafts", "content_review.demo.create_demo_content"),
            jobs=[Job("sweep-response-times", "content_review.tasks.sweep_response_times", 5 * 60)],
            attention=[attention.content_items],
            retention=privacy.RETENTION,
            subject_access=[privacy.subject_access],
        )
        add_banner(pre_election_banner)
        request_started.connect(chains.request_started, dispatch_uid="content_review.periods")
        request_finished.connect(chains.request_finished, dispatch_uid="content_review.periods_done")
