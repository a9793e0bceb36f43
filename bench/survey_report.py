"""How a questionnaire's report holds up at tens of thousands of responses, against a floor: a
hand-written SQL aggregate of the same figures, run in the same database a moment apart.

Creates a throwaway database (test_<name> on DATABASE_URL's server, or on the embedded PostgreSQL),
loads the 2018 questionnaire (surveys/definitions/social-media-2018.json) and N sent responses with
answers like the demo's (a tenth with a free-text comment), then times, each the median of --repeat:

- the report's computation as the pages make it (surveys.selectors.questionnaire_report, nothing
  cached, without the free text that only Comms see, and with it);
- the same served from the cache (the key's one count query and the arithmetic), and with the free
  text, which is never cached (personal data) and so read each time for Comms;
- the report page as Comms and auditors get it (the whole request, cached figures);
- the floor: one hand-written statement giving every figure (counts per option, rank and number
  sums, per audience), one aggregate per figure, with no checks on what is stored.

Prints one `name: value` line per figure, ending with `ratio.survey_report_vs_sql:` (the report's
computation, without free text, over the floor). Run:

    .venv/bin/python bench/survey_report.py [--responses 50000] [--repeat 5]
"""

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

DEFINITION = Path(__file__).resolve().parent.parent / "surveys" / "definitions" / "social-media-2018.json"
COMMENTS = [
    "More training, please.",
    "Guidance on elections would help.",
    "We do not use it.",
    "Résumé: fine",
]


def floor_statement(spec, counted: str) -> tuple[str, list]:
    """Every figure of the report as a person would write it for this questionnaire: one statement,
    one aggregate per figure, straight off the answers, per audience, with no checks on what is
    stored (a value of the wrong kind would make it fail). Written out from the questionnaire's
    codes here only to save typing it."""
    from surveys.models import QuestionType as T

    columns, params = ["count(*)"], []
    for q in spec.questions:
        columns.append("count(*) FILTER (WHERE answers ? %s)")
        params.append(q.code)
        for option in q.option_codes:
            if q.type in (T.YES_NO, T.SINGLE_CHOICE):
                columns.append("count(*) FILTER (WHERE answers ->> %s = %s)")
                params += [q.code, option]
            elif q.type == T.MULTIPLE_CHOICE:
                columns.append("count(*) FILTER (WHERE answers -> %s ? %s)")
                params += [q.code, option]
            elif q.type == T.RANKING:
                columns.append("count(*) FILTER (WHERE answers -> %s ? %s)")
                columns.append("sum((answers -> %s ->> %s)::numeric)")
                params += [q.code, option, q.code, option]
        if q.type == T.NUMBER:
            columns.append("sum((answers ->> %s)::numeric)")
            params.append(q.code)
    sql = (
        f"SELECT audience, {', '.join(columns)} FROM surveys_response r "
        f"WHERE r.questionnaire_id = %s AND {counted} GROUP BY audience"
    )
    return sql, params


def _has(model, field: str) -> bool:
    return any(f.name == field for f in model._meta.get_fields())


def build(responses: int):
    """The questionnaire and its responses (bulk inserts), and a Comms client."""
    from organisation.models import Role, User
    from organisation.services import person_set_roles
    from surveys.definition import parse_definition
    from surveys.demo import _random_answers
    from surveys.models import Response
    from surveys.selectors import questionnaire_spec
    from surveys.services import questionnaire_load

    questionnaire, _ = questionnaire_load(spec=parse_definition(DEFINITION.read_bytes()))
    spec = questionnaire_spec(questionnaire)
    rnd = random.Random(2026)
    sent = timezone.now()
    extra = {"status": "submitted"} if _has(Response, "status") else {}
    batch = []
    for i in range(responses):
        audience = "officer" if i % 3 else "councillor"
        answers = _random_answers(spec, audience, rnd)
        if i % 10 == 0:
            answers["comments"] = rnd.choice(COMMENTS)
        batch.append(
            Response(
                questionnaire=questionnaire,
                respondent=f"r{i}@x.test",
                audience=audience,
                answers=answers,
                submitted_at=sent,
                **extra,
            )
        )
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_response")  # as autovacuum leaves a settled table
    clients = {}
    for role in (Role.COMMS, Role.AUDITOR):
        person = User.objects.create_user(f"{role.name.lower()}@northfield.gov.uk", "bench-password-123")
        person_set_roles(person=person, roles=[role])
        clients[role.name.lower()] = Client()
        clients[role.name.lower()].force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return questionnaire, spec, clients


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from surveys.models import Response
    from surveys.selectors import questionnaire_report

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        questionnaire, spec, clients = build(args.responses)
        print(f"built.responses: {args.responses} in {time.perf_counter() - started:.1f} s")
        counted = "r.status = 'submitted'" if _has(Response, "status") else "r.submitted_at IS NOT NULL"
        floor_sql, params = floor_statement(spec, counted)
        params.append(questionnaire.pk)

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(floor_sql, params)
                cursor.fetchall()

        def computed(**kwargs):
            def run():
                cache.clear()
                questionnaire_report(questionnaire, **kwargs)

            return run

        new = "texts" in questionnaire_report.__code__.co_varnames
        figures = {}
        figures["ms.sql_floor"] = median_ms(floor, args.repeat)
        if new:
            figures["ms.survey_report"] = median_ms(computed(texts=False), args.repeat)
            figures["ms.survey_report_with_free_text"] = median_ms(computed(texts=True), args.repeat)
            questionnaire_report(questionnaire)
            figures["ms.survey_report_cached"] = median_ms(
                lambda: questionnaire_report(questionnaire, texts=False), args.repeat
            )
            figures["ms.survey_report_cached_with_free_text"] = median_ms(
                lambda: questionnaire_report(questionnaire), args.repeat
            )
        else:  # the code before: one computation, free text and all
            figures["ms.survey_report"] = median_ms(computed(), args.repeat)
        url = f"/surveys/{questionnaire.slug}/report/"
        for name, client in clients.items():
            client.get(url)
            figures[f"ms.report_page_{name}"] = median_ms(lambda c=client: c.get(url), args.repeat)
        figures["ms.sql_floor_again"] = median_ms(floor, args.repeat)
        for name, value in figures.items():
            print(f"{name}: {value:.1f}")
        floor_ms = min(figures["ms.sql_floor"], figures["ms.sql_floor_again"])
        print(f"ratio.survey_report_vs_sql: {figures['ms.survey_report'] / floor_ms:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
