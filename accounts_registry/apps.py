from django.apps import AppConfig


class AccountsRegistryConfig(AppConfig):
    name = "accounts_registry"
    verbose_name = "Account register"

    def ready(self) -> None:
        from accounts_registry import attention, permissions  # noqa: F401  (registers the rules)
        from core.contributions import DemoStep, Job, NavItem, contribute

        contribute(
            self.label,
            urls=("accounts-register/", "accounts_registry.urls"),
            nav=[
                NavItem(
                    "Accounts", "accounts:list", "accounts_registry.view_register", 30, "/accounts-register/"
                )
            ],
            governed=["account"],
            demo=DemoStep(10, "new social media accounts", "accounts_registry.demo.create_demo_accounts"),
            jobs=[Job("mark-dormant-accounts", "accounts_registry.tasks.mark_dormant_accounts", 6 * 60 * 60)],
            attention=[attention.account_items],
        )
