"""Load run: how the key pages hold up against a floor page, at a large council's size.

    .venv/bin/python bench/run.py [--scale 1] [--seconds 180] [--workers 2] [--database NAME]
    .venv/bin/python bench/run.py --scale 0.001 --seconds 3        # the CI smoke run

It makes (or reuses) two databases on DATABASE_URL's server (127.0.0.1:5432 without one): one filled by
bench/generate.py at --scale, one with the demo's data (`manage.py demo_data`), then serves the first
under gunicorn (--workers sync workers, production settings) on a free port of 127.0.0.1. Each
simulated user signs in, in its own session, as each role it needs through the real sign-in form (the
demo's sign-ins, which both databases have). It prints one line per figure, `name: value`, on standard
output (progress goes to standard error):

  rps.PAGE, throughput_ratio.PAGE  requests per second with --users concurrent users (threads, each with
                                   its own session), and that ÷ the floor page's, measured in rounds
                                   alternating page and floor, so both come from the same minute;
  p95_ms.PAGE                      95th percentile of the page's response time under that load;
  queries.PAGE, queries_demo.PAGE  SQL queries of one request (in-process, Django's test client and
                                   CaptureQueriesContext, on the same database), at scale and at demo size;
  request_ms.PAGE, request_ms_demo.PAGE, growth.PAGE, growth_raw.PAGE
                                   median time of one request at a time (in-process), at scale and at
                                   the demo's size; growth is their ratio with each first put over the
                                   floor page's median measured alongside it (so a busier machine during
                                   one of the two measurements cancels out), growth_raw without that:
                                   a page whose cost follows the history's size grows;
  ratio.survey_report_vs_sql       the report's computation (surveys.selectors.questionnaire_report)
                                   ÷ one hand-written SQL statement giving the same figures (checked);
  rows_per_s.import_accounts, rows_per_s.import_responses, peak_mb.import_*, memory_growth.import_*
                                   the register's and the questionnaire's imports of a 10,000-row file
                                   (at scale 1), rolled back; peak memory while importing it, and that
                                   peak ÷ the peak for a quarter of the file (1 = flat, 4 = grows with it).

The floor page is the accessibility statement, signed in: the base template and nothing else. Pages of
apps that are not installed (the block register, training compliance, the dashboard) are skipped.
Exits non-zero if any page failed, so CI can run it as a smoke test.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402  (bench/generate.py: the databases)

FLOOR = "floor"
SURVEY = "social-media-2018"
IMPORT_ROWS = 10_000  # at scale 1
SPY = str(ROOT / ".venv" / "bin" / "py-spy")


@dataclass(frozen=True)
class Page:
    """A key page: who opens it and how its address is found. `targets` names a function of the
    probe that lists the records a detail page is opened for (the same rule at both sizes)."""

    name: str
    role: str
    url_name: str
    slug: str | None = None
    targets: str | None = None


PAGES = [
    Page("survey_report", "Communications", "surveys:report", slug=SURVEY),
    Page("home", "Communications", "home"),
    Page("inbound_messages", "Communications", "content:inbox"),
    Page("review_queue.comms", "Communications", "content:queue"),
    Page("review_queue.reviewer", "Reviewer", "content:queue"),
    Page("register_list", "Communications", "accounts:list"),
    Page("draft_detail", "Officer", "content:detail", targets="officers_published_posts"),
    Page("account_detail", "Auditor", "accounts:detail", targets="active_accounts"),
    # The newer apps' pages: skipped when their app is not installed.
    Page("block_register", "Communications", "blocking:register"),
    Page("training_compliance", "Communications", "training:compliance"),
    Page("dashboard", "Auditor", "dashboard:home"),
]
FLOOR_PAGE = Page(FLOOR, "", "accessibility")


STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:5.1f} s] {message}", file=sys.stderr, flush=True)


def figure(name: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    print(f"{name}: {value}", flush=True)


# ---------------------------------------------------------------------------------------------------
# The environment the app runs with: production settings, as a council would deploy them


def app_env(database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": generate.database_url(database),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://social.northfield.example",
        "SECURE_SSL_REDIRECT": "false",
        # Production refuses to start without a mail server (smtp: nothing is sent during the run)
        # and without the number of proxies in front of it.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # nothing the pages do is queued
    return env


def python_in(database: str, *args: str, timeout: float = 3600) -> dict:
    """This script in another process on `database` (a probe); returns the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, __file__, *args],
        env=app_env(database),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    sys.stderr.write(done.stderr)
    if done.returncode:
        sys.exit(f"The probe {' '.join(args)} failed on {database}.")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------------
# The databases


def scale_database(scale: float) -> str:
    return f"{generate.prefix()}_scale" + f"{scale:g}".replace(".", "_").replace("-", "_")


def demo_database() -> str:
    return f"{generate.prefix()}_demo"


def _still_good(name: str, wanted: str) -> bool:
    """The database was made from these sources (its comment, less the day) within the week: its data's
    clock is the day it was made, so what was recent then is old now."""
    made = (generate.database_comment(name) or "").rsplit(" day=", 1)
    if made[0] != wanted or len(made) != 2:
        return False
    return (date.today() - date.fromisoformat(made[1])).days < 7


def ensure_scale_database(name: str, scale: float) -> float | None:
    """Fills `name` at `scale` unless it already holds it, from this generator and these migrations.
    Returns the seconds spent generating."""
    if _still_good(name, generate.comment_for(scale, generate.SEED).rsplit(" day=", 1)[0]):
        say(f"Using {name} (scale {scale:g}).")
        return None
    say(f"Generating {name} at scale {scale:g}…")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--scale", str(scale), "--database", name],
        stdout=sys.stderr,
        check=False,
    )
    if done.returncode:
        sys.exit("bench/generate.py failed.")
    return time.perf_counter() - started


def ensure_demo_database() -> str:
    """The demo's own data (`manage.py demo_data`): the size `growth` compares against."""
    name = demo_database()
    wanted = f"bench demo source={generate.files_hash('*/migrations/*.py', '*/demo.py')}"
    if _still_good(name, wanted):
        say(f"Using {name}.")
        return name
    say(f"Making {name} (manage.py demo_data)…")
    generate.fresh_database(name)
    generate.manage("demo_data", database=name)
    generate.set_comment(name, f"{wanted} day={date.today()}")
    return name


def collectstatic(database: str) -> None:
    """Production serves hashed static files from var/staticfiles (WhiteNoise's manifest)."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=app_env(database),
        check=True,
    )


# ---------------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with `workers` sync workers on a free port, in its own process group."""

    def __init__(self, database: str, workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",  # the slowest pages at scale 1 take seconds: measure them, do not kill them
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=app_env(database),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn stopped before it answered.")
            try:
                if request(self.port, "GET", "/accounts/login/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit("gunicorn did not answer within a minute.")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------------
# HTTP: a person with their own session (cookies), as a browser would keep it


def request(port: int, method: str, path: str, headers=None, body: str | None = None, conn=None):
    """(status, body, response) of one request to the app."""
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read(), response


class Session:
    """One signed-in person. Cookies are kept by hand: production marks them Secure, and this client
    talks plain HTTP to 127.0.0.1 (behind a council's TLS proxy, the browser would send them)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            status = request(self.port, "GET", path, self._headers(), conn=self.conn)[0]
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 599, time.perf_counter() - started
        return status, time.perf_counter() - started

    def sign_in(self, email: str, password: str) -> None:
        """The real sign-in form: its CSRF token, then the email address and password."""
        status, body, response = request(self.port, "GET", "/accounts/login/", conn=self.conn)
        self._keep(response)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise RuntimeError(f"The sign-in page answered {status}.")
        form = urlencode({"csrfmiddlewaretoken": token[1].decode(), "username": email, "password": password})
        headers = {**self._headers(), "Content-Type": "application/x-www-form-urlencoded"}
        status, _, response = request(self.port, "POST", "/accounts/login/", headers, form, conn=self.conn)
        self._keep(response)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Signing in as {email} answered {status}, not a redirect.")


# ---------------------------------------------------------------------------------------------------
# The load: rounds of a page and of the floor, alternating


@dataclass
class Tally:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else 0.0


def one_round(
    pool: ThreadPoolExecutor, sessions: list[Session], urls: list[str], seconds: float, tally: Tally
):
    """Every user requests the page (cycling through `urls`) until `seconds` have passed, finishing the
    request in hand. Throughput counts the round until its last request ended."""
    started = time.perf_counter()
    deadline = started + seconds

    def user(i: int) -> tuple[list[float], dict[str, int]]:
        latencies, errors, n = [], {}, i
        while True:
            url = urls[n % len(urls)]
            status, took = sessions[i].get(url)
            n += len(sessions)
            if status == 200:
                latencies.append(took)
            else:
                errors[f"{status} {url}"] = errors.get(f"{status} {url}", 0) + 1
            if time.perf_counter() >= deadline:
                return latencies, errors

    for latencies, errors in pool.map(user, range(len(sessions))):
        tally.requests += len(latencies)
        tally.latencies += latencies
        for key, n in errors.items():
            tally.errors[key] = tally.errors.get(key, 0) + n
    tally.seconds += time.perf_counter() - started


def measure(pool, sessions, urls: list[str], seconds: float, pairs: int, profile: Callable | None):
    """`pairs` rounds of the page, each followed by one of the floor. Returns (page, floor) tallies."""
    page, floor = Tally(), Tally()
    for session in sessions[:3]:  # warm-up: each worker has compiled the templates
        session.get(urls[0])
        session.get("/accessibility/")
    stop = profile() if profile else None
    for _ in range(pairs):
        one_round(pool, sessions, urls, seconds, page)
        one_round(pool, sessions, ["/accessibility/"], seconds, floor)
    if stop:
        stop()
    return page, floor


def py_spy(server: Server, directory: Path, name: str) -> Callable[[], Callable[[], None]]:
    """Starts `py-spy record` on each gunicorn worker; the returned function stops them, leaving
    DIR/NAME-PID.txt (collapsed stacks: flamegraph.pl or speedscope read them)."""

    def out(pid: int) -> Path:
        return directory / f"{name}-{pid}.txt"

    def start() -> Callable[[], None]:
        directory.mkdir(parents=True, exist_ok=True)
        spies = [
            subprocess.Popen(
                [
                    SPY,
                    "record",
                    "--format",
                    "raw",
                    "--rate",
                    "200",
                    "--pid",
                    str(pid),
                    "--output",
                    str(out(pid)),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for pid in server.workers()
        ]

        def stop() -> None:
            for spy in spies:
                spy.send_signal(signal.SIGINT)
            for spy in spies:
                spy.wait(30)

        return stop

    return start


# ---------------------------------------------------------------------------------------------------
# Probes: in-process measurements, run in a child process on one database


def _django():
    import django

    django.setup()


def probe_pages(args) -> dict:
    """Each page's address (and, for detail pages, the records it is opened for), its queries and the
    median time of one request, in-process with Django's test client."""
    _django()
    from django.apps import apps
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from organisation.demo import DEMO_LOGINS, DEMO_PASSWORD
    from organisation.models import User

    logins = {role.value: email for role, email in DEMO_LOGINS.items()}
    out: dict = {
        "logins": logins,
        "password": DEMO_PASSWORD,
        "urls": {},
        "queries": {},
        "ms": {},
        "floor_ms": {},
        "skipped": [],
    }
    clients: dict[str, Client] = {}
    wanted = set(args.pages.split(",")) if args.pages else None
    for page in [FLOOR_PAGE, *PAGES]:
        if wanted and page.name not in wanted and page.name != FLOOR:
            continue
        role = page.role or "Communications"
        try:
            urls = (
                [reverse(page.url_name, args=[pk]) for pk in TARGETS[page.targets](logins)]
                if page.targets
                else [reverse(page.url_name, args=[page.slug] if page.slug else [])]
            )
        except NoReverseMatch:
            if apps.is_installed(page.url_name.split(":")[0]):
                raise  # the app is here, so the name is wrong: a page silently left out is no result
            out["skipped"].append(page.name)
            continue
        if not urls:
            sys.exit(f"No record to open for {page.name} in this database.")
        if role not in clients:
            clients[role] = Client(HTTP_HOST="127.0.0.1")
            clients[role].force_login(
                User.objects.get(email=logins[role]), backend="django.contrib.auth.backends.ModelBackend"
            )
        out["urls"][page.name] = urls
        if args.urls_only:
            continue
        client = clients[role]
        first = client.get(urls[0])  # warm-up: templates compiled, caches filled
        if first.status_code != 200:
            sys.exit(f"{page.name} ({urls[0]}) answered {first.status_code} in-process.")
        with CaptureQueriesContext(connection) as queries:
            client.get(urls[0])
        captured = queries.captured_queries  # now: the next request clears Django's query log
        # One request at a time, each followed by the floor page, so the page's time can be put over
        # the floor's: what the machine's other load does to both cancels out.
        times, floors, started = [], [], time.perf_counter()
        while len(times) < 3 or (len(times) < 25 and time.perf_counter() - started < args.probe_seconds):
            t = time.perf_counter()
            client.get(urls[0])
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.get("/accessibility/")
            floors.append(time.perf_counter() - t)
        out["floor_ms"][page.name] = statistics.median(floors) * 1000
        out["queries"][page.name] = len(captured)
        out["ms"][page.name] = statistics.median(times) * 1000
        if args.explain:
            explain(captured, Path(args.explain), page)
    if args.survey:
        out["survey"] = probe_survey(args)
    return out


def _officers_published_posts(logins: dict) -> list[int]:
    from content_review.models import Draft

    posts = Draft.objects.filter(
        author__email=logins["Officer"], kind="post", status="published", urgent=False
    ).order_by("-published_at", "-pk")
    return list(posts.values_list("pk", flat=True)[:20])


def _active_accounts(logins: dict) -> list[int]:
    from accounts_registry.models import Account

    return list(Account.objects.filter(status="active").order_by("pk").values_list("pk", flat=True)[:20])


TARGETS = {"officers_published_posts": _officers_published_posts, "active_accounts": _active_accounts}


def explain(captured: list[dict], directory: Path, page: Page) -> None:
    """The page's three slowest queries, with EXPLAIN (ANALYZE, BUFFERS) written to DIR/PAGE.txt."""
    from django.db import connection

    slowest = sorted(captured, key=lambda q: float(q["time"]), reverse=True)[:3]
    directory.mkdir(parents=True, exist_ok=True)
    lines = []
    for q in slowest:
        lines.append(f"-- {float(q['time']) * 1000:.1f} ms\n{q['sql']}\n")
        if q["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                lines += [row[0] for row in cursor.fetchall()]
        lines.append("")
    (directory / f"{page.name}.txt").write_text("\n".join(lines))


def survey_sql(spec) -> tuple[str, list, list[tuple]]:
    """One statement giving every figure of the report, one row per audience: a single scan of the
    submitted responses with an aggregate per figure, as a DBA would write it for this questionnaire.
    Returns the SQL, its parameters and what each column is: (kind, question code, option code)."""
    columns: list[tuple] = [("responses", None, None), ("invited", None, None)]
    select = [
        "count(*)",
        "(SELECT count(*) FROM surveys_invitation i"
        " WHERE i.questionnaire_id = %s AND i.audience = r.audience)",
    ]
    params: list = []
    for q in spec.questions:
        select.append("count(answers -> %s)")
        params.append(q.code)
        columns.append(("base", q.code, None))
        if q.type in ("yes_no", "single_choice", "multiple_choice"):
            for o in q.option_codes:  # ? matches a string equal to o, or an array holding it
                select.append("count(*) FILTER (WHERE answers -> %s ? %s)")
                params += [q.code, o]
                columns.append(("chosen", q.code, o))
        elif q.type == "ranking":
            for o in q.option_codes:
                select += ["count(answers -> %s -> %s)", "sum((answers -> %s ->> %s)::int)"]
                params += [q.code, o, q.code, o]
                columns += [("ranked", q.code, o), ("rank_sum", q.code, o)]
        elif q.type == "number":
            select += ["count(answers -> %s)", "sum((answers ->> %s)::numeric)"]
            params += [q.code, q.code]
            columns += [("numbers", q.code, None), ("number_sum", q.code, None)]
    sql = (
        f"SELECT r.audience, {', '.join(select)} FROM surveys_response r "
        "WHERE r.questionnaire_id = %s AND r.submitted_at IS NOT NULL GROUP BY r.audience"
    )
    return sql, params, columns


def survey_by_sql(questionnaire, spec) -> dict:
    """The report's figures (surveys.report.report_json's layout) from survey_sql's statement."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.db import connection

    from surveys.report import ALL, TWO_DP, percent

    sql, params, columns = survey_sql(spec)
    with connection.cursor() as cursor:
        cursor.execute(sql, [questionnaire.pk, *params, questionnaire.pk])
        rows = cursor.fetchall()
    facts: dict[tuple, int | Decimal] = {}
    for audience, *values in rows:
        for (kind, code, option), value in zip(columns, values, strict=True):
            for group in (audience, ALL):  # counts and sums add up over the audiences
                facts[(group, kind, code, option)] = facts.get((group, kind, code, option), 0) + (value or 0)

    def n(*key) -> int:
        return facts.get(key, 0)

    def avg(total, count) -> float | None:
        if not count:
            return None
        return float((Decimal(total) / Decimal(count)).quantize(TWO_DP, rounding=ROUND_HALF_UP))

    groups = {}
    for key in [*spec.audiences, ALL]:
        invited = (
            n(key, "invited", None, None)
            if key != ALL
            else sum(n(a, "invited", None, None) for a in spec.audiences)
        )
        responses = n(key, "responses", None, None)
        questions = {}
        for q in spec.questions:
            if key != ALL and not q.asked_of(key):
                continue
            base = n(key, "base", q.code, None)
            item: dict = {"type": q.type, "base": base}
            if q.type in ("yes_no", "single_choice", "multiple_choice"):
                item["options"] = {
                    o: {
                        "count": n(key, "chosen", q.code, o),
                        "percent": _float(percent(n(key, "chosen", q.code, o), base)),
                    }
                    for o in q.option_codes
                }
            elif q.type == "ranking":
                size = len(q.option_codes)
                ranked = {o: n(key, "ranked", q.code, o) for o in q.option_codes}
                weights = {o: ranked[o] * (size + 1) - n(key, "rank_sum", q.code, o) for o in q.option_codes}
                item["ranked_by"] = ranked
                item["weighted_average"] = {o: avg(weights[o], ranked[o]) for o in q.option_codes}
                item["weighted_average_all"] = {o: avg(weights[o], base) for o in q.option_codes}
            elif q.type == "number":
                item["mean"] = avg(n(key, "number_sum", q.code, None), n(key, "numbers", q.code, None))
            questions[q.code] = item
        groups[key] = {
            "responses": responses,
            "invited": invited or None,
            "response_rate": _float(percent(responses, invited)) if invited else None,
            "questions": questions,
        }
    return {"questionnaire": spec.slug, "groups": groups}


def _float(value) -> float | None:
    return None if value is None else float(value)


def probe_survey(args) -> dict:
    """The report's computation ÷ the SQL statement's, each the median of a few runs."""
    from django.apps import apps

    if not apps.is_installed("surveys"):
        return {}
    from surveys.models import Questionnaire
    from surveys.report import report_json
    from surveys.selectors import questionnaire_report, questionnaire_spec

    questionnaire = Questionnaire.objects.get(slug=SURVEY)

    def timed(run: Callable) -> tuple[float, object]:
        times, result = [], None
        started = time.perf_counter()
        while len(times) < 3 or (len(times) < 9 and time.perf_counter() - started < args.probe_seconds):
            t = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - t)
        return statistics.median(times), result

    report_s, report = timed(lambda: questionnaire_report(questionnaire))
    sql_s, by_sql = timed(lambda: survey_by_sql(questionnaire, questionnaire_spec(questionnaire)))
    return {
        "report_ms": report_s * 1000,
        "sql_ms": sql_s * 1000,
        "same_figures": report_json(report) == by_sql,
    }


def probe_import(args) -> dict:
    """One import of a file of `rows` rows, in a transaction rolled back, in a process of its own (so
    the memory it needs is not hidden by memory an earlier import freed): rows per second, and the
    peak resident memory above what the process held once the file was made (Linux)."""
    _django()
    from django.apps import apps
    from django.db import transaction

    app, make_file, run_import = IMPORTS[args.import_name]
    if not apps.is_installed(app):
        return {}
    data = make_file(args.rows)
    before = _memory("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current size
    started = time.perf_counter()
    with transaction.atomic():
        imported, how = run_import(data)
        transaction.set_rollback(True)
    elapsed = time.perf_counter() - started
    if imported != args.rows:
        sys.exit(f"The {args.import_name} import took {imported} of {args.rows} rows.")
    return {"rows_per_s": args.rows / elapsed, "peak_mb": (_memory("VmHWM") - before) / 1024, "how": how}


def _memory(field_name: str) -> int:
    """kB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def _responses_file(rows: int) -> bytes:
    import csv
    import io
    import random

    from surveys import answers as A
    from surveys.models import Questionnaire
    from surveys.selectors import questionnaire_spec

    spec = questionnaire_spec(Questionnaire.objects.get(slug=SURVEY))
    rnd = random.Random(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(A.columns(spec))
    for n in range(rows):
        audience = "officer" if n % 3 else "councillor"
        answers = generate.answers_for(spec, audience, rnd)
        cells = {"respondent": f"bench-import-{n:06d}@example.org", "audience": audience}
        cells["submitted_at"] = "2018-06-20T10:00:00+01:00"
        for q in spec.questions:
            cells.update(A.to_cells(q, answers.get(q.code)))
        writer.writerow([cells.get(c, "") for c in A.columns(spec)])
    return out.getvalue().encode()


def _import_responses(data: bytes) -> tuple[int, str]:
    from surveys.models import Questionnaire
    from surveys.services import responses_import

    made = responses_import(questionnaire=Questionnaire.objects.get(slug=SURVEY), by=None, data=data)
    # A count since the import works in batches (a list of every response before).
    return made if isinstance(made, int) else len(made), "surveys.services.responses_import"


def _accounts_file(rows: int) -> bytes:
    """New accounts in the register's spreadsheet layout, run by the council's officers: the import
    page's headings (accounts_registry.sheet) where it exists, else the admin import's field names."""
    import csv
    import io

    from organisation.models import User

    try:
        from accounts_registry.sheet import BY_FIELD

        heading = {name: column.heading for name, column in BY_FIELD.items()}
    except ImportError:
        heading = {}
    officers = list(
        User.objects.filter(is_active=True, groups__name="Officer", service_area__isnull=False)
        .order_by("pk")
        .values_list("email", "service_area__name")
    )
    colleagues: dict[str, list[str]] = {}
    for email, area in officers:
        colleagues.setdefault(area, []).append(email)
    out = io.StringIO()
    writer = None
    for n in range(rows):
        email, area = officers[n % len(officers)]
        # The deputy works in the same service area (the register's rule), where there is someone.
        others = [e for e in colleagues[area] if e != email]
        row = {
            "platform": ("x", "facebook", "instagram")[n % 3],
            "handle": f"Bench{n:05d}",
            "display_name": f"Imported account {n}",
            "kind": "service",
            "service_area": area,
            "purpose": "News and updates.",
            "audience": "Residents",
            "responsible_officer": email,
            "deputy": others[n % len(others)] if others else "",
            "managed_by_comms": "no",
            "posting_frequency": "weekly",
            "review_required": "yes",
            "response_time_hours": "16",
            "two_factor_enabled": "yes",
            "credentials_location": "Password manager",
        }
        row = {heading.get(name, name): value for name, value in row.items()}
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
    return out.getvalue().encode()


def _import_accounts(data: bytes) -> tuple[int, str]:
    """The register's import as Comms use it: its own page's preview, then confirmation."""
    from accounts_registry import services
    from organisation.demo import DEMO_LOGINS
    from organisation.models import Role, User

    by = User.objects.get(email=DEMO_LOGINS[Role.COMMS])
    upload = services.accounts_import_preview(by=by, file_name="bench.csv", content=data)
    done = services.accounts_import_apply(upload=upload, by=by)
    return done.new + done.changed, "accounts_registry.services.accounts_import_preview + _apply"


IMPORTS = {  # name: (its app, the file, the import)
    "accounts": ("accounts_registry", _accounts_file, _import_accounts),
    "responses": ("surveys", _responses_file, _import_responses),
}


# ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="bench/generate.py's scale (default 1)")
    parser.add_argument("--seconds", type=float, default=180, help="load time for all pages together")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--users", type=int, default=10, help="concurrent users (default 10)")
    parser.add_argument(
        "--database", help="default: <DATABASE_URL's name>_scale<SCALE>, made if missing or stale"
    )
    parser.add_argument("--pages", help="only these pages (comma-separated names)")
    parser.add_argument("--load-only", action="store_true", help="throughput only (for a --workers series)")
    parser.add_argument(
        "--explain", metavar="DIR", help="EXPLAIN ANALYZE each page's slowest queries into DIR"
    )
    parser.add_argument("--py-spy", metavar="DIR", help="record the workers with py-spy into DIR, per page")
    parser.add_argument("--probe", choices=["pages", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--survey", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-name", choices=list(IMPORTS), help=argparse.SUPPRESS)
    parser.add_argument("--probe-seconds", type=float, default=2.0, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=IMPORT_ROWS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.probe:  # a child process on one database: print what it measured as one JSON line
        probes = {"pages": probe_pages, "import": probe_import}
        print(json.dumps(probes[args.probe](args)))
        return

    # Stopped (CI's timeout, Ctrl+C): unwind, so gunicorn (in its own session) is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench/run.py was stopped."))
    started = time.perf_counter()
    database = args.database or scale_database(args.scale)
    figure("run.date", datetime.now().astimezone().isoformat(timespec="seconds"))
    figure("run.scale", f"{args.scale:g}")
    figure("run.workers", args.workers)
    figure("run.users", args.users)
    figure("machine.cores", os.cpu_count())
    figure("machine.load_average_start", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    generated = ensure_scale_database(database, args.scale)
    if generated is not None:
        figure("seconds.generate", generated)
    probe_seconds = ["--probe-seconds", str(min(3.0, max(0.3, args.seconds / 60)))]
    pages_arg = ["--pages", args.pages] if args.pages else []
    if not args.load_only:
        demo = ensure_demo_database()
    collectstatic(database)

    say("In-process: addresses, queries and one request's time, at scale…")
    explain = ["--explain", args.explain] if args.explain else []
    mode = ["--urls-only"] if args.load_only else ["--survey"]
    at_scale = python_in(database, "--probe", "pages", *probe_seconds, *pages_arg, *explain, *mode)
    if not args.load_only:
        say("…and at the demo's size.")
        at_demo = python_in(demo, "--probe", "pages", *probe_seconds, *pages_arg)
    pages = [p for p in PAGES if p.name in at_scale["urls"]]
    for name in at_scale["skipped"]:
        say(f"{name}: its address does not resolve (app not installed): skipped.")

    say(f"Serving {database} with gunicorn ({args.workers} sync workers)…")
    server = Server(database, args.workers)
    failures = []
    try:
        roles = sorted({p.role for p in pages})
        say(f"Signing in {args.users} users as each of {', '.join(roles)}…")
        sessions = {role: [Session(server.port) for _ in range(args.users)] for role in roles}
        with ThreadPoolExecutor(args.users) as pool:
            for role, people in sessions.items():
                email = at_scale["logins"][role]
                list(pool.map(lambda s, e=email: s.sign_in(e, at_scale["password"]), people))
            per_page = args.seconds / max(1, len(pages))
            pairs = max(1, round(per_page / 10))
            for page in pages:
                say(
                    f"Load: {page.name} ({page.role}), {pairs} round(s) of {per_page / pairs / 2:.1f} s each…"
                )
                profile = py_spy(server, Path(args.py_spy), page.name) if args.py_spy else None
                tally, floor = measure(
                    pool,
                    sessions[page.role],
                    at_scale["urls"][page.name],
                    per_page / pairs / 2,
                    pairs,
                    profile,
                )
                figure(f"rps.{page.name}", tally.rps)
                figure(f"rps.floor.{page.name}", floor.rps)
                figure(f"throughput_ratio.{page.name}", tally.rps / floor.rps if floor.rps else 0.0)
                figure(f"p95_ms.{page.name}", tally.p95_ms())
                figure(f"p95_ms.floor.{page.name}", floor.p95_ms())
                for error, n in {**tally.errors, **floor.errors}.items():
                    failures.append(f"{page.name}: {n} times {error}")
    finally:
        server.stop()

    if not args.load_only:
        for page in pages:
            figure(f"queries.{page.name}", at_scale["queries"][page.name])
            if page.name in at_demo["queries"]:
                figure(f"queries_demo.{page.name}", at_demo["queries"][page.name])
        figure("request_ms.floor", at_scale["ms"][FLOOR])
        for page in pages:
            figure(f"request_ms.{page.name}", at_scale["ms"][page.name])
            if page.name in at_demo["ms"]:
                figure(f"request_ms_demo.{page.name}", at_demo["ms"][page.name])
                over_floor = at_scale["ms"][page.name] / at_scale["floor_ms"][page.name]
                over_floor_demo = at_demo["ms"][page.name] / at_demo["floor_ms"][page.name]
                figure(f"growth.{page.name}", over_floor / over_floor_demo)
                figure(f"growth_raw.{page.name}", at_scale["ms"][page.name] / at_demo["ms"][page.name])
        if survey := at_scale.get("survey"):
            figure("ms.survey_report", survey["report_ms"])
            figure("ms.survey_sql", survey["sql_ms"])
            figure("ratio.survey_report_vs_sql", survey["report_ms"] / survey["sql_ms"])
            figure("survey_sql_same_figures", "yes" if survey["same_figures"] else "NO")
            if not survey["same_figures"]:
                failures.append("the SQL statement's survey figures differ from the report's")
        rows = max(100, round(IMPORT_ROWS * min(1.0, args.scale)))
        for name in IMPORTS:
            say(f"Import of {name}: {rows:,} rows (and a quarter of them, for the memory), rolled back…")
            large = python_in(database, "--probe", "import", "--import-name", name, "--rows", str(rows))
            if not large:
                continue
            figure(f"rows_per_s.import_{name}", large["rows_per_s"])
            figure(f"peak_mb.import_{name}", large["peak_mb"])
            figure(f"import_rows.import_{name}", rows)
            if rows >= 2000:  # a smaller file's peak is mostly noise
                small = python_in(
                    database, "--probe", "import", "--import-name", name, "--rows", str(rows // 4)
                )
                figure(f"memory_growth.import_{name}", large["peak_mb"] / max(small["peak_mb"], 0.1))
            figure(f"import_entry.import_{name}", large["how"])
    figure("machine.load_average_end", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    figure("seconds.run", time.perf_counter() - started)
    if failures:
        say("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
