from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from core.contributions import DemoStep, Job, NavItem, contribute
        from surveys import attention, permissions, privacy  # noqa: F401  (registers the rules)

        contribute(
            self.label,
            urls=("surveys/", "surveys.urls"),
            nav=[NavItem("Questionnaires", "surveys:list", None, 50, "/surveys/")],
            governed=["questionnaire"],
            demo=DemoStep(20, "new questionnaire responses", "surveys.demo.create_demo_surveys"),
            jobs=[
                Job("follow-questionnaire-dates", "surveys.tasks.follow_questionnaire_dates", 15 * 60),
                Job("send-survey-reminders", "surveys.tasks.send_survey_reminders", 60 * 60),
            ],
            attention=[attention.survey_items],
            retention=privacy.RETENTION,
        )
