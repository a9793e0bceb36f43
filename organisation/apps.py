from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "People and organisation"

    def ready(self) -> None:
        from organisation import attention, permissions  # noqa: F401  (registers the rules and attention items)
