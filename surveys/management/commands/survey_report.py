import json

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Questionnaire
from surveys.models import QuestionType as T
from surveys.report import WEIGHTED_AVERAGE_ALL_LABEL, WEIGHTED_AVERAGE_LABEL, report_json
from surveys.selectors import questionnaire_report


class Command(BaseCommand):
    help = (
        "Print a questionnaire's report: every group and every figure, including groups smaller than the "
        "anonymity minimum that the web pages withhold. --format json prints the agreed JSON layout."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")

    def handle(self, *args, slug: str, output_format: str, **options):
        questionnaire = Questionnaire.objects.filter(slug=slug).first()
        if questionnaire is None:
            raise CommandError(f"There is no questionnaire called {slug}.")
        report = questionnaire_report(questionnaire)
        if output_format == "json":
            self.stdout.write(json.dumps(report_json(report), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{report.title} ({report.slug})")
        for group in report.groups:
            rate = f", {group.response_rate}% response rate" if group.response_rate is not None else ""
            invited = f" of {group.invited} invited" if group.invited is not None else ""
            self.stdout.write(f"\n== {group.label}: {group.responses} responses{invited}{rate}")
            for q in group.questions:
                self.stdout.write(f"\n{q.code}: {q.text} (answered by {q.base})")
                if q.invalid:
                    self.stdout.write(f"  {q.invalid} stored answers not valid, left out")
                if q.type == T.RANKING:
                    self.stdout.write(f"  {'':<30} ranked by  A = {WEIGHTED_AVERAGE_LABEL}")
                    self.stdout.write(f"  {'':<30} {'':>9}  B = {WEIGHTED_AVERAGE_ALL_LABEL}")
                for o in q.options:
                    if q.type == T.RANKING:
                        self.stdout.write(
                            f"  {o.code:<30} {o.ranked_by:>9}  A {o.weighted_average or '-':>5}  "
                            f"B {o.weighted_average_all or '-':>5}  (out of {q.max_score})"
                        )
                    else:
                        shown = f"{o.percent}%" if o.percent is not None else "-"
                        self.stdout.write(f"  {o.code:<30} {o.count:>5}  {shown:>6}")
                if q.type == T.NUMBER:
                    self.stdout.write(f"  mean {q.mean if q.mean is not None else '-'}")
                for text in q.texts:
                    self.stdout.write(f"  - {text}")
