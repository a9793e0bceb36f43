from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from core.contributions import DemoStep, Flag, Job, NavItem, add_flag, contribute
        from training import attention, permissions  # noqa: F401  (registers the rules)
        from training.requirements import annotate_untrained

        contribute(
            self.label,
            urls=("training/", "training.urls"),
            nav=[NavItem("Training", "training:mine", None, 40, "/training/")],
            governed=["course", "requirement", "trainingrequest", "trainingsession", "booking", "completion"],
            demo=DemoStep(50, "training records", "training.demo.create_demo_training"),
            jobs=[
                Job("send-training-reminders", "training.tasks.send_training_reminders", 6 * 60 * 60),
                Job("send-training-summary", "training.tasks.send_training_summary", 6 * 60 * 60),
            ],
            attention=[attention.training_items],
        )
        add_flag(
            "accounts_registry.account",
            Flag(
                "untrained",
                "Nobody responsible is trained",
                "Neither the responsible officer nor the deputy has every course their responsibilities "
                "need: book them on a session.",
                annotate_untrained,
            ),
        )
