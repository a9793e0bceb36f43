from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from surveys import attention, permissions  # noqa: F401  (registers the rules and home-page items)
