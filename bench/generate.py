"""Fills a database with a large council's history, for bench/run.py to measure pages against.

    .venv/bin/python bench/generate.py --scale 1                         # DATABASE_URL (or the embedded one)
    .venv/bin/python bench/generate.py --scale 1 --database bench_scale1  # a fresh database, same server

At scale 1 (sizes are multiplied by the scale, with a floor so that every page has something to show):
52 service areas, 16 wards and about 600 people in their roles; 2,000 accounts in every lifecycle
status with their status log and activity checks; 200,000 drafts (posts, and replies to 50,000
messages from the public) in every status, with the revisions and workflow events that status implies,
spread over 5 years; 1.7 million outbox emails; 50,000 responses to the 2018 questionnaire; 5,000
referrals with their decisions, blocks, reviews and appeals; 20,000 training completions with their
sessions, bookings and requests.

Every record is in a state the app could have reached: a published draft was submitted and approved
(or its account needs no review, or it went out urgently), a replied message has a published reply, a
breached message was open after its due time, answers are valid for the questionnaire's definition.
Deterministic: a fixed seed per section, times relative to the hour the run started.

The big tables go in through COPY (drafts, revisions, events, messages, responses) or one
INSERT ... SELECT ... FROM generate_series (the outbox); the small ones through bulk_create. The
audit-trail triggers (pghistory) stay on, so the history tables grow as they would. Columns a section
does not name get their model default, so a new field with a default needs no change here; a new
required field without one stops the run with a message naming it.

One section per app (SECTIONS, in order); a section whose app is not installed is skipped. A database
made with --database is a copy of a template database migrated once per set of migrations (named after
DATABASE_URL's database: council_bench_template_…), and is recorded with a comment (scale and a hash of
this file and the migrations), which bench/run.py reads to decide whether to make it again.
"""

import argparse
import hashlib
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
SEED = 16
YEARS = 5

# Sizes at scale 1.
SIZES = {
    "officers": 480,
    "accounts": 2_000,
    "drafts": 200_000,
    "messages": 50_000,
    "emails": 1_700_000,
    "responses": 50_000,
    "referrals": 5_000,
    "completions": 20_000,
}
# Apps whose section is still to be written: what it must make at scale 1 (see the report in RESULTS.md).
MISSING_SECTIONS: dict[str, str] = {}


# ---------------------------------------------------------------------------------------------------
# The server: databases made fresh from a migrated template


def files_hash(*patterns: str) -> str:
    digest = hashlib.sha1()
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def source_hash() -> str:
    """This file and every migration: a change to either means the databases must be made again."""
    return files_hash("bench/generate.py", "*/migrations/*.py")


def server_url() -> str:
    """The maintenance database on DATABASE_URL's server (or 127.0.0.1:5432 without one)."""
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_SERVER
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def database_url(name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(server_url())._replace(path=f"/{name}"))


def _admin(statement: str, params=()) -> list[tuple]:
    """One statement on the server's maintenance database (CREATE DATABASE cannot run in a transaction)."""
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def database_comment(name: str) -> str | None:
    rows = _admin("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,))
    return rows[0][0] or "" if rows else None


def set_comment(name: str, comment: str) -> None:
    from psycopg import sql

    _admin(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment)).as_string()
    )


def prefix() -> str:
    """The bench's databases are named after DATABASE_URL's database ("bench" without one), so checkouts
    sharing a server, each with its own DATABASE_URL, never remake each other's."""
    from urllib.parse import urlsplit

    url = os.environ.get("DATABASE_URL", "").strip()
    return (urlsplit(url).path.lstrip("/") if url else "") or "bench"


def _drop(name: str) -> None:
    from psycopg import sql

    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)).as_string())


def fresh_database(name: str) -> None:
    """Drop `name` and make it again as a copy of a template migrated to these migrations (made, and
    its predecessors dropped, when the migrations change)."""
    from psycopg import sql

    template = f"{prefix()}_template_{files_hash('*/migrations/*.py')[:8]}"
    if database_comment(template) != "bench template":
        started = time.perf_counter()
        print(f"Migrating the template database {template}…", flush=True)
        for (old,) in _admin(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{prefix()}_template_%",)
        ):
            _drop(old)
        _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)).as_string())
        manage("migrate", "--noinput", "-v0", database=template)
        set_comment(template, "bench template")
        print(f"  migrated in {time.perf_counter() - started:.1f} s", flush=True)
    _drop(name)
    _admin(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}")
        .format(sql.Identifier(name), sql.Identifier(template))
        .as_string()
    )


def manage(*args: str, database: str, settings: str = "config.settings.dev") -> str:
    """A manage.py command on one database, in its own process (each database has its own settings)."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": database_url(database), "DJANGO_SETTINGS_MODULE": settings}
    env["EMAIL_URL"] = "memorymail://"  # the demo's emails go nowhere
    env.pop("REDIS_URL", None)  # demo data and migrations run their tasks inline
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed on {database}:\n{done.stdout}{done.stderr}")
    return done.stdout


# ---------------------------------------------------------------------------------------------------
# Writing rows fast


class Progress:
    """Prints `what: n / total` at each tenth, so a long section shows it is moving."""

    def __init__(self, what: str, total: int):
        self.what, self.total, self.done, self.next = what, total, 0, max(1, total // 10)
        self.started = time.perf_counter()

    def add(self, n: int = 1) -> None:
        self.done += n
        if self.done >= self.next or self.done == self.total:
            print(f"    {self.what}: {self.done:,} / {self.total:,}", flush=True)
            self.next = self.done + max(1, self.total // 10)


def _fill_in(model, named: list[str]) -> tuple[list[str], list]:
    """The columns a section does not name, with the model's default for each."""
    from django.db import connection, models

    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in named or f.attname in named:
            continue
        if f.has_db_default():
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = fill_now()
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif f.blank and isinstance(f, models.CharField | models.TextField):
            value = ""
        else:
            sys.exit(
                f"bench/generate.py: {model.__name__}.{f.name} is required and has no default: "
                f"give it a value in the {model._meta.app_label} section."
            )
        columns.append(f.column)
        values.append(f.get_db_prep_save(value, connection))
    return columns, values


_NOW: list[datetime] = []


def fill_now() -> datetime:
    return _NOW[0]


def copy_rows(model, columns: str, rows: Iterable[tuple], progress: Progress | None = None) -> int:
    """COPY rows (values for the space-separated `columns`, ids included where given) into the model's
    table."""
    from django.db import connection

    columns = columns.split()
    extra, defaults = _fill_in(model, columns)
    names = ", ".join(f'"{c}"' for c in [*columns, *extra])
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row((*row, *defaults))
            count += 1
            if progress and count % 10_000 == 0:
                progress.add(10_000)
    if progress and count % 10_000:
        progress.add(count % 10_000)
    return count


def insert_select(model, exprs: dict[str, str], source: str, params: dict) -> int:
    """INSERT INTO the model's table (column: SQL expression, ...) SELECT ... FROM `source`."""
    from django.db import connection

    extra, defaults = _fill_in(model, list(exprs))
    columns = ", ".join(f'"{c}"' for c in [*exprs, *extra])
    values = ", ".join([*exprs.values(), *[f"%(default_{i})s" for i in range(len(extra))]])
    params = {**params, **{f"default_{i}": v for i, v in enumerate(defaults)}}
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{model._meta.db_table}" ({columns}) SELECT {values} FROM {source}', params
        )
        return cursor.rowcount


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequence(model) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT coalesce(max(id), 1) FROM "{table}"))'
        )


# ---------------------------------------------------------------------------------------------------
# What the sections share


@dataclass
class Person:
    id: int
    email: str
    area_id: int | None = None
    ward_id: int | None = None
    active: bool = True


@dataclass
class Fill:
    """The run's scale, clock and seed, and what earlier sections made that later ones refer to."""

    scale: float
    seed: int
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)
    people: dict[str, list[Person]] = field(default_factory=dict)  # role -> people
    personas: dict[str, Person] = field(default_factory=dict)  # role -> the bench sign-in
    areas: list[int] = field(default_factory=list)
    accounts: list = field(default_factory=list)  # Account rows

    def size(self, name: str, minimum: int) -> int:
        return max(minimum, round(SIZES[name] * self.scale))

    def rng(self, section: str) -> random.Random:
        """Each section its own generator: changing one section leaves the others' data as it was."""
        return random.Random(f"{self.seed}:{section}")

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)


SECTIONS: list[tuple[str, Callable[[Fill], None]]] = []


def section(app_label: str):
    """Registers a section filling one app's tables; it runs only when the app is installed."""

    def register(fill: Callable[[Fill], None]):
        SECTIONS.append((app_label, fill))
        return fill

    return register


# ---------------------------------------------------------------------------------------------------
# organisation: service areas, wards, people and their roles


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


@section("organisation")
def organisation(fill: Fill) -> None:
    """The demo council's 52 service areas and 16 wards; Comms, auditors, a head per service area,
    47 councillors, and officers spread over the service areas (one in eight also reviews, one in
    twenty-three has left). The bench's sign-ins are the demo's addresses and password."""
    from django.contrib.auth.hashers import make_password

    from organisation.demo import DEMO_LOGINS, DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, SERVICE_AREAS, WARDS
    from organisation.models import Role, ServiceArea, User, Ward, role_group

    rnd = fill.rng("organisation")
    areas = ServiceArea.objects.bulk_create(ServiceArea(name=n, code=_slug(n)) for n in SERVICE_AREAS)
    wards = Ward.objects.bulk_create(Ward(name=n, code=_slug(n)) for n in WARDS)
    fill.areas = [a.pk for a in areas]
    password = make_password(DEMO_PASSWORD)  # hashed once: every bench person signs in with it
    joined = fill.ago(365 * (YEARS + 2))
    people: list[tuple[User, list[Role]]] = []

    def person(email: str, roles: list[Role], **fields) -> None:
        n = len(people)
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7 + n // 34) % len(LAST_NAMES)]
        user = User(
            email=email,
            first_name=first,
            last_name=last,
            password=password,
            is_staff=Role.COMMS in roles,
            date_joined=joined,
            **fields,
        )
        people.append((user, roles))

    comms_area, audit_area = (
        areas[SERVICE_AREAS.index(n)] for n in ("Policy and Performance", "Internal Audit")
    )
    for i in range(8):
        email = DEMO_LOGINS[Role.COMMS] if i == 0 else f"comms.{i + 1}@northfield.gov.uk"
        person(email, [Role.COMMS], job_title="Communications Officer", service_area=comms_area)
    for i in range(3):
        email = DEMO_LOGINS[Role.AUDITOR] if i == 0 else f"auditor.{i + 1}@northfield.gov.uk"
        person(email, [Role.AUDITOR], job_title="Internal Auditor", service_area=audit_area)
    for i, area in enumerate(areas):
        email = DEMO_LOGINS[Role.HEAD_OF_SERVICE] if i == 0 else f"head.{area.code}@northfield.gov.uk"
        person(email, [Role.HEAD_OF_SERVICE], job_title=f"Head of {area.name}", service_area=area)
    for i in range(47):
        ward = wards[i // 3]
        email = DEMO_LOGINS[Role.COUNCILLOR] if i == 0 else f"cllr.{ward.code}.{i % 3 + 1}@northfield.gov.uk"
        person(email, [Role.COUNCILLOR], job_title="Councillor", ward=ward)
    # Officers: the demo's officer and reviewer work in the first service area, which the reviewer reviews.
    for i in range(fill.size("officers", 20)):
        area = areas[0] if i in (0, 8) else areas[i % len(areas)]
        email = {0: DEMO_LOGINS[Role.OFFICER], 8: DEMO_LOGINS[Role.REVIEWER]}.get(
            i, f"officer.{i + 1}@northfield.gov.uk"
        )
        roles = [Role.OFFICER, Role.REVIEWER] if i % 8 == 0 and i else [Role.OFFICER]
        left = i % 23 == 11
        person(
            email,
            roles,
            job_title=f"Engagement Officer, {area.name}",
            service_area=area,
            employee_number=f"E{10000 + i}",
            left_on=fill.ago(rnd.randint(20, 700)).date() if left else None,
            is_active=not left,
        )
    User.objects.bulk_create([u for u, _ in people], batch_size=1000)
    groups = {role: role_group(role) for role in Role}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=groups[r].pk) for u, roles in people for r in roles],
        batch_size=2000,
    )
    heads = {u.service_area_id: u for u, roles in people if roles == [Role.HEAD_OF_SERVICE]}
    for area in areas:
        area.head_of_service = heads[area.pk]
    ServiceArea.objects.bulk_update(areas, ["head_of_service"])

    for user, roles in people:
        p = Person(user.pk, user.email, user.service_area_id, user.ward_id, user.is_active)
        for role in roles:
            fill.people.setdefault(role.value, []).append(p)
        if user.email in DEMO_LOGINS.values():
            fill.personas[next(r.value for r, e in DEMO_LOGINS.items() if e == user.email)] = p
    fill.counts["people"] = len(people)


# ---------------------------------------------------------------------------------------------------
# accounts_registry: the register, its status log, activity checks and reviewers


ACCOUNT_STATUSES = [  # (status, share of accounts)
    ("active", 70),
    ("dormant", 9),
    ("requested", 3),
    ("approved", 2),
    ("closing", 2),
    ("closed", 9),
    ("rejected", 5),
]
PLATFORMS = [("x", 30), ("facebook", 30), ("instagram", 14), ("linkedin", 5), ("youtube", 5), ("tiktok", 6)]
PLATFORMS += [("flickr", 2), ("threads", 4), ("bluesky", 4)]
# The moves that lead to each status: the first is how the account entered the register.
STATUS_PATHS = {
    "requested": [("requested", "", "requested")],
    "rejected": [("requested", "", "requested"), ("reject", "requested", "rejected")],
    "approved": [("requested", "", "requested"), ("approve", "requested", "approved")],
    "active": [
        ("requested", "", "requested"),
        ("approve", "requested", "approved"),
        ("activate", "approved", "active"),
    ],
}
STATUS_PATHS["dormant"] = [*STATUS_PATHS["active"], ("mark_dormant", "active", "dormant")]
STATUS_PATHS["closing"] = [*STATUS_PATHS["active"], ("start_closing", "active", "closing")]
STATUS_PATHS["closed"] = [*STATUS_PATHS["closing"], ("close", "closing", "closed")]
REASONS = {
    "rejected": "We already run an account for this audience: post through the corporate account.",
    "closing": "Posting moves to the corporate account; the service posted rarely.",
}


def _weighted(rnd: random.Random, choices: list[tuple[str, int]]) -> str:
    return rnd.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def last_possible(account, now: datetime) -> datetime:
    """The latest time the account could have had posts or messages, given its status."""
    return {
        "dormant": now - timedelta(days=100),
        "closing": now - timedelta(days=20),
        "closed": now - timedelta(days=60),
    }.get(account.status, now)


@section("accounts_registry")
def accounts_registry(fill: Fill) -> None:
    """Accounts on nine platforms: a few corporate ones run by Comms, councillors' own, and service
    areas' run by their officers (a quarter without a deputy); every lifecycle status, each with the
    log of moves that reached it. A third entered the register as running accounts (the first import)
    rather than as requests."""
    from accounts_registry.models import Account, AccountStatusChange, ActivityCheck
    from accounts_registry.platforms import identify

    rnd = fill.rng("accounts_registry")
    officers_by_area: dict[int, list[Person]] = {}
    for p in fill.people["Officer"]:
        officers_by_area.setdefault(p.area_id, []).append(p)
    comms, councillors = fill.people["Communications"], fill.people["Councillor"]
    heads = {p.area_id: p for p in fill.people["Head of Service"]}
    officer = fill.personas["Officer"]
    accounts, logs = [], []
    for i in range(fill.size("accounts", 12)):
        platform = _weighted(rnd, PLATFORMS)
        handle = f"nfield{i:04d}.bsky.social" if platform == "bluesky" else f"Nfield{i:04d}"
        identity = identify(platform, handle)
        status = "active" if i < 12 else _weighted(rnd, ACCOUNT_STATUSES)
        area = ward = deputy = None
        if i < 7:
            kind, owner, deputy = "corporate", comms[i % len(comms)], comms[(i + 1) % len(comms)]
        elif i % 20 == 0:
            kind, owner = "councillor", councillors[i % len(councillors)]
            ward = owner.ward_id
        else:
            # The demo officer runs the first service accounts: their pages have something to show.
            kind, area = "service", officer.area_id if i < 12 else fill.areas[i % len(fill.areas)]
            staff = officers_by_area.get(area) or [heads[area]]  # a small council: the head runs it
            owner = officer if i < 12 else staff[rnd.randrange(len(staff))]
            others = [p for p in staff if p.id != owner.id and p.active]
            deputy = others[rnd.randrange(len(others))] if others and rnd.random() < 0.75 else None
        registered = status in ("active", "dormant", "closing", "closed") and rnd.random() < 0.33
        if status == "requested":
            created = fill.ago(rnd.uniform(1, 20))
        else:
            created = fill.ago(rnd.uniform(365 * 2, 365 * (YEARS + 2)))
        accounts.append(
            Account(
                platform=platform,
                handle=identity.handle,
                handle_key=identity.key,
                profile_url=identity.profile_url,
                display_name=f"Northfield account {i:04d}",
                kind=kind,
                service_area_id=area,
                ward_id=ward,
                purpose="News, events and service updates for residents.",
                audience="Residents of the borough",
                responsible_officer_id=owner.id,
                deputy_id=deputy.id if deputy else None,
                managed_by_comms=kind == "corporate",
                posting_frequency=rnd.choice(["daily", "several_weekly", "weekly", "weekly", "monthly"]),
                review_required=i < 12 or rnd.random() < 0.92,
                response_time_hours=rnd.choice([8, 16, 16, 16, 24]),
                two_factor_enabled=rnd.random() < 0.8,
                credentials_location="Council password manager, vault “Social media”",
                status=status,
                status_reason=REASONS.get(status, ""),
                requested_by_id=comms[0].id if registered else owner.id,
                created_at=created,
                posts_last_30_days=rnd.randint(0, 40) if status in ("active", "dormant") else None,
                followers=rnd.randint(50, 40_000),
            )
        )
        path = (
            [("registered", "", "active"), *STATUS_PATHS[status][3:]] if registered else STATUS_PATHS[status]
        )
        at = created
        for n, (action, before, after) in enumerate(path):
            actor = {"requested": owner.id, "mark_dormant": None}.get(action, comms[0].id)
            comment = REASONS.get(after, "") if n == len(path) - 1 else ""
            logs.append((i, action, before, after, actor, at, comment))
            at = min(at + timedelta(days=rnd.uniform(0.2, 30)), fill.now)
    Account.objects.bulk_create(accounts, batch_size=1000)
    fill.accounts = accounts
    AccountStatusChange.objects.bulk_create(
        [
            AccountStatusChange(
                account_id=accounts[i].pk,
                action=action,
                from_status=before,
                to_status=after,
                actor_id=actor,
                created_at=at,
                comment=comment,
            )
            for i, action, before, after, actor, at, comment in logs
        ],
        batch_size=2000,
    )
    checks = []
    for account in accounts:
        if account.status in ("active", "dormant"):
            for k in range(rnd.randint(1, 3)):
                day = last_possible(account, fill.now) - timedelta(days=30 * k + rnd.uniform(0, 20))
                checks.append(
                    ActivityCheck(
                        account_id=account.pk,
                        checked_on=day.date(),
                        checked_by_id=comms[k % len(comms)].id,
                        posts_last_30_days=account.posts_last_30_days or 0,
                        last_post_on=day.date(),
                        followers=account.followers,
                    )
                )
    ActivityCheck.objects.bulk_create(checks, batch_size=2000)
    fill.counts.update(accounts=len(accounts), account_status_changes=len(logs), activity_checks=len(checks))


# ---------------------------------------------------------------------------------------------------
# content_review: standard responses, messages from the public, drafts, revisions and events


POST_TEXTS = [
    "Our summer reading challenge starts on Saturday. Sign up at any library: northfield.gov.uk/reading",
    "Bin collections move by one day next week for the bank holiday. Check: northfield.gov.uk/bins",
    "Roadworks on the A614 near Millbrook start on Monday for two weeks. Plan extra time for your journey.",
    "Free family activities in Riverside Park this half term. See what is on: northfield.gov.uk/whatson",
    "Have your say on the new play area at Oakwood by the end of the month: northfield.gov.uk/haveyoursay",
    "Our recycling centres are open as usual this weekend, 8am to 6pm. #RecyclingWeek",
    "Applications for school places open today. Apply online at northfield.gov.uk/admissions",
    "Thank you to everyone who joined the community clean-up in Castle ward on Saturday.",
    "Warm spaces are open across the borough this winter. Find your nearest at northfield.gov.uk/warmspaces",
    "Register to vote by the deadline to have your say in the local elections: gov.uk/register-to-vote",
    "We are hiring! Join our Highways team as an apprentice. Details at northfield.gov.uk/jobs",
    "Planning applications can now be tracked online at northfield.gov.uk/planning",
]
MESSAGE_TEXTS = [
    "My bin wasn't collected on Tuesday, can someone help?",
    "When does the garden waste service start again?",
    "Is the recycling centre open on bank holidays?",
    "There is a large pothole outside the school on Mill Lane.",
    "How do I apply for a parking permit?",
    "The streetlight on our road has been out for a week.",
    "Are the libraries open on Sunday?",
    "Who do I talk to about my council tax bill?",
]
REPLY_TEXTS = [
    "Thank you for letting us know. Please report it at northfield.gov.uk/report and we will look into it.",
    "Hi, the service restarts in March. You can sign up at northfield.gov.uk/garden from February.",
    "Thanks for your message. Opening times for every site are at northfield.gov.uk/opening-times",
    "Sorry to hear this. Please contact us through northfield.gov.uk/contact so we can help with it.",
]
DECISION_COMMENTS = [
    "Please add the date and a link to the page.",
    "Too long for X: cut it down and keep the link.",
    "Say which streets are affected.",
]
CLOSED_REASONS = [
    "Spam or advertising",
    "Answered in a direct message",
    "Not for the council: passed to the police",
]
IN_FLIGHT_DAYS = 14  # drafts still moving through review were started in the last fortnight
IN_FLIGHT = [("published", 60), ("submitted", 8), ("draft", 10), ("changes_requested", 6), ("approved", 6)]
IN_FLIGHT += [("rejected", 4), ("withdrawn", 6)]
SETTLED = [("published", 92), ("rejected", 3), ("withdrawn", 5)]


@dataclass
class Story:
    """One draft's life: its rows in the drafts, revisions and events tables."""

    kind: str
    account: object
    author: int
    created: datetime
    status: str
    message: int | None = None
    standard_response: int | None = None
    urgent: bool = False
    revisions: list = field(default_factory=list)  # (number, at, by)
    events: list = field(default_factory=list)  # (action, revision number, actor, at, comment, from, to)
    updated: datetime | None = None
    published_at: datetime | None = None
    published_by: int | None = None
    post_reviewed_by: int | None = None
    post_reviewed_at: datetime | None = None
    version: int = 1


REVIEWED_ONLY = ("submitted", "changes_requested", "approved", "rejected")


def _story(fill: Fill, rnd: random.Random, s: Story, reviewer: int, publisher: int) -> Story:
    """Walks the workflow from creation to the story's status, as content_review.services would:
    each submission a revision, each decision on the latest, publication after approval (or straight
    from draft where the account needs no review, or first and reviewed after when urgent)."""
    reviewed = s.account.review_required
    if not reviewed and s.status in REVIEWED_ONLY:  # nothing on such an account is ever submitted
        s.status = "published" if s.status in ("approved", "rejected") else "draft"
    at = s.created
    state = "draft"

    def step(hours: float) -> datetime:
        nonlocal at
        at = at + timedelta(hours=hours)
        return at

    def event(action, number, actor, comment="", to=None):
        nonlocal state
        s.events.append((action, number, actor, at, comment, state if to else "", to or ""))
        if to:
            state = to
            s.version += 1

    def submit():
        number = len(s.revisions) + 1
        s.revisions.append((number, step(rnd.uniform(0.1, 3)), s.author))
        event("submitted", number, s.author, to="submitted")

    def decide(action, comment=""):
        step(rnd.uniform(0.5, 20))
        event(action, len(s.revisions), reviewer, comment, to=action)

    if s.urgent:
        s.revisions.append((1, at, s.author))
        event("urgent_published", 1, s.author, "Severe weather warning out of hours.", to="published")
        s.published_at, s.published_by = step(0.1), s.author
        if s.status == "post_reviewed":
            s.post_reviewed_by, s.post_reviewed_at = reviewer, step(rnd.uniform(2, 14))
            event("post_reviewed", None, reviewer)
        s.status = "published"
    elif s.status == "draft":
        step(rnd.uniform(0, 2))
    elif s.status == "withdrawn" and (not reviewed or rnd.random() < 0.5):
        step(rnd.uniform(0.5, 24))
        event("withdrawn", None, s.author, "No longer needed.", to="withdrawn")
    elif s.status == "published" and not reviewed:
        s.published_at, s.published_by = step(rnd.uniform(0.2, 6)), s.author
        event("published", None, s.author, to="published")
    else:
        submit()
        if s.status != "changes_requested" and rnd.random() < 0.15:  # sent back once, then resubmitted
            decide("changes_requested", rnd.choice(DECISION_COMMENTS))
            submit()
        if rnd.random() < 0.05:
            step(rnd.uniform(0.2, 4))
            event("commented", len(s.revisions), reviewer, "Checking the link with the service.")
        if s.status == "changes_requested":
            decide("changes_requested", rnd.choice(DECISION_COMMENTS))
        elif s.status == "rejected":
            decide("rejected", "This names a resident: we do not post that.")
        elif s.status == "withdrawn":
            step(rnd.uniform(0.5, 24))
            event("withdrawn", None, s.author, "No longer needed.", to="withdrawn")
        elif s.status in ("approved", "published"):
            decide("approved")
            if s.status == "published":
                s.published_at, s.published_by = step(rnd.uniform(0.2, 6)), publisher
                event("published", len(s.revisions), publisher, to="published")
    s.updated = at
    return _fitted(s, fill.now) if at > fill.now else s


def _fitted(s: Story, now: datetime) -> Story:
    """A story that would end in the future, its steps drawn closer so it ends before now."""
    ratio = 0.95 * (now - s.created) / (s.updated - s.created)

    def fit(at: datetime | None) -> datetime | None:
        return None if at is None else s.created + (at - s.created) * ratio

    s.revisions = [(n, fit(at), who) for n, at, who in s.revisions]
    s.events = [(a, n, who, fit(at), c, f, t) for a, n, who, at, c, f, t in s.events]
    s.published_at, s.post_reviewed_at, s.updated = (
        fit(s.published_at),
        fit(s.post_reviewed_at),
        fit(s.updated),
    )
    return s


@section("content_review")
def content_review(fill: Fill) -> None:
    """Reviewers for each service area, standard responses, messages from the public over five years
    (most replied, some closed, a few left open and breached; recent ones open, some overdue) and
    drafts: a reply for each message replied to, and posts. Drafts older than a fortnight are settled
    (published, rejected or withdrawn); newer ones are in every status. Each draft's revisions and
    workflow events follow from its status."""
    from content_review.models import InboundMessage, ReviewerAssignment, StandardResponse

    rnd = fill.rng("content_review")
    comms = [p.id for p in fill.people["Communications"]]
    officer, reviewer = fill.personas["Officer"], fill.personas["Reviewer"]
    reviewers_by_area: dict[int, list[int]] = {}
    for p in fill.people["Reviewer"]:
        if p.active:  # the demo reviewer reviews the demo officer's service area
            reviewers_by_area.setdefault(officer.area_id if p.id == reviewer.id else p.area_id, []).append(
                p.id
            )
    ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(person_id=person, service_area_id=area)
        for area, people in reviewers_by_area.items()
        for person in people
    )
    responses = StandardResponse.objects.bulk_create(
        StandardResponse(
            title=f"Standard response {n + 1}",
            body=REPLY_TEXTS[n % len(REPLY_TEXTS)] + " [name]",
            tags=["general"],
            owner_id=comms[0],
            review_by=(fill.now + timedelta(days=30 * n - 90)).date(),
        )
        for n in range(40)
    )
    live = [a for a in fill.accounts if a.status in ("active", "dormant", "closing", "closed")]
    weights = [4 if a.kind == "corporate" else 1 for a in live]

    def writers(account) -> list[int]:
        if account.kind == "corporate":
            return comms
        return [account.responsible_officer_id] + ([account.deputy_id] if account.deputy_id else [])

    def reviewer_for(account, author: int) -> int:
        named = [p for p in reviewers_by_area.get(account.service_area_id, []) if p != author]
        return rnd.choice(named if named and rnd.random() < 0.7 else [c for c in comms if c != author])

    def when(account) -> datetime:
        end = last_possible(account, fill.now)
        start = max(account.created_at, fill.ago(365 * YEARS))
        return start + (end - start) * rnd.random() ** 0.8  # busier lately than five years ago

    def is_recent(at: datetime, account) -> bool:
        return fill.now - at < timedelta(days=IN_FLIGHT_DAYS) and account.status == "active"

    # Messages, in the order they arrived (ids follow it), and the replies to them.
    fields = {f.name: f for f in InboundMessage._meta.concrete_fields}
    no_reply_codes = [code for code, _ in fields["closed_code"].choices] if "closed_code" in fields else []
    first_message = next_id(InboundMessage)
    arrivals = []
    for _ in range(fill.size("messages", 50)):
        account = rnd.choices(live, weights)[0]
        arrivals.append((when(account), account))
    arrivals.sort(key=lambda a: a[0])
    messages, stories, replied_by = [], [], {}
    for n, (received, account) in enumerate(arrivals):
        due = received + timedelta(days=2 if account.response_time_hours <= 16 else 3)
        recent = is_recent(received, account)
        fates = (
            [("replied", 60), ("closed", 8), ("open", 32)]
            if recent
            else [("replied", 88), ("closed", 9), ("open", 3)]
        )
        fate = _weighted(rnd, fates)
        author = rnd.choice(writers(account))
        replied = closed = None
        reply_status = "published" if fate == "replied" else None
        if fate == "open" and recent and rnd.random() < 0.5:
            reply_status = _weighted(
                rnd, [("draft", 3), ("submitted", 4), ("changes_requested", 2), ("approved", 1)]
            )
        if reply_status:
            slow = fate == "replied" and rnd.random() < 0.1  # one in ten replies goes out late
            started = received + timedelta(hours=rnd.uniform(0.2, 60 if slow else 8))
            story = Story(
                "reply",
                account,
                author,
                min(started, received + (fill.now - received) / 2),
                reply_status,
                message=first_message + n,
                standard_response=rnd.choice(responses).pk if rnd.random() < 0.3 else None,
            )
            stories.append(_story(fill, rnd, story, reviewer_for(account, author), author))
            replied = story.published_at
        if fate == "closed":
            closed = min(received + timedelta(hours=rnd.uniform(0.5, 30)), fill.now)
        answered = replied or closed or fill.now
        late = answered > due  # the sweep warned before it was due, and recorded the breach after
        message = {
            "id": first_message + n,
            "account_id": account.pk,
            "sender_handle": f"@resident{rnd.randint(1, 40_000)}",
            "text": rnd.choice(MESSAGE_TEXTS),
            "received_at": received,
            "recorded_by_id": author,
            "recorded_at": received + timedelta(minutes=rnd.uniform(2, 90)),
            "due_at": due,
            "warned_at": due - timedelta(hours=2) if late else None,
            "breached_at": due + timedelta(minutes=5)
            if late and due + timedelta(minutes=5) < answered
            else None,
            "replied_at": replied,
            "closed_at": closed,
            "closed_reason": rnd.choice(CLOSED_REASONS) if closed else "",
        }
        if no_reply_codes:  # the newer schema: a coded reason, and who decided no reply was needed
            message["closed_code"] = rnd.choice(no_reply_codes) if closed else ""
            message["closed_by_id"] = author if closed else None
        messages.append(message)
        replied_by[message["id"]] = story.published_by if replied else None
    columns = list(messages[0])
    copy_rows(
        InboundMessage,
        " ".join(columns),
        ([m[c] for c in columns] for m in messages),
        Progress("messages", len(messages)),
    )
    _message_events(messages, replied_by)

    # Posts: the rest of the drafts; a few on the corporate accounts published urgently by Comms.
    print(f"    planning {fill.size('drafts', 200) - len(stories):,} posts…", flush=True)
    for _ in range(max(0, fill.size("drafts", 200) - len(stories))):
        account = rnd.choices(live, weights)[0]
        created = when(account)
        urgent = account.kind == "corporate" and rnd.random() < 0.03
        if urgent:
            author = rnd.choice(comms)
            status = (
                "post_reviewed"
                if fill.now - created > timedelta(days=2) or rnd.random() < 0.5
                else "published"
            )
        else:
            author = rnd.choice(writers(account))
            status = _weighted(rnd, IN_FLIGHT if is_recent(created, account) else SETTLED)
        publisher = author if rnd.random() < 0.9 else rnd.choice(comms)
        story = Story("post", account, author, created, status, urgent=urgent)
        stories.append(_story(fill, rnd, story, reviewer_for(account, author), publisher))
    stories.sort(key=lambda s: s.created)  # draft ids follow creation, as in life
    _copy_drafts(fill, stories)
    fill.counts.update(messages=len(messages))


def _message_events(messages: list[dict], replied_by: dict[int, int]) -> None:
    """The message's own log, where the app keeps one (content_review.MessageEvent): recorded, then
    replied to or marked as needing no reply."""
    from django.apps import apps

    try:
        MessageEvent = apps.get_model("content_review", "MessageEvent")
    except LookupError:
        return
    events = []
    for m in messages:
        events.append((m["id"], m["recorded_by_id"], "recorded", "", m["recorded_at"]))
        if m["replied_at"]:
            events.append((m["id"], replied_by[m["id"]], "replied", "", m["replied_at"]))
        if m["closed_at"]:
            events.append(
                (m["id"], m.get("closed_by_id"), "no_reply_needed", m.get("closed_code", ""), m["closed_at"])
            )
    copy_rows(
        MessageEvent,
        "message_id actor_id action reason_code created_at",
        events,
        Progress("message events", len(events)),
    )


def _copy_drafts(fill: Fill, stories: list[Story]) -> None:
    from content_review.models import Draft, DraftEvent, InboundMessage, Revision

    first_draft, first_revision = next_id(Draft), next_id(Revision)
    texts = {"post": POST_TEXTS, "reply": REPLY_TEXTS}

    def text_of(s: Story, i: int) -> str:
        choices = texts[s.kind]
        return choices[i % len(choices)]

    def published_url(s: Story, draft_id: int) -> str:
        base = s.account.profile_url.rstrip("/") or "https://nextdoor.co.uk/pages/northfield"
        return f"{base}/status/{draft_id}" if s.account.platform == "x" else f"{base}/posts/{draft_id}"

    def drafts():
        for i, s in enumerate(stories):
            draft_id = first_draft + i
            yield (
                draft_id,
                s.kind,
                s.account.pk,
                s.message,
                s.standard_response,
                s.author,
                text_of(s, i),
                s.status,
                s.urgent,
                s.post_reviewed_by,
                s.post_reviewed_at,
                published_url(s, draft_id) if s.published_at else "",
                s.published_at,
                s.published_by,
                s.created,
                s.updated,
                s.version,
            )

    copy_rows(
        Draft,
        "id kind account_id inbound_message_id standard_response_id author_id text status urgent"
        " post_reviewed_by_id post_reviewed_at published_url published_at published_by_id"
        " created_at updated_at version",
        drafts(),
        Progress("drafts", len(stories)),
    )
    revision_ids: dict[tuple[int, int], int] = {}
    revisions = []
    for i, s in enumerate(stories):
        for number, at, by in s.revisions:
            revision_ids[(i, number)] = first_revision + len(revisions)
            text = text_of(s, i) if number == len(s.revisions) else text_of(s, i) + " (first version)"
            revisions.append((revision_ids[(i, number)], first_draft + i, number, text, "[]", "[]", by, at))
    copy_rows(
        Revision,
        "id draft_id number text image_alt_texts findings submitted_by_id submitted_at",
        revisions,
        Progress("revisions", len(revisions)),
    )
    # The workflow's own from/to columns, where the event model has them.
    moves = {"from_status", "to_status"} <= {f.name for f in DraftEvent._meta.get_fields()}
    events = [
        (
            first_draft + i,
            revision_ids.get((i, number)) if number else None,
            actor,
            action,
            comment,
            "[]",
            at,
            *((before, after) if moves else ()),
        )
        for i, s in enumerate(stories)
        for action, number, actor, at, comment, before, after in s.events
    ]
    copy_rows(
        DraftEvent,
        "draft_id revision_id actor_id action comment acknowledged created_at"
        + (" from_status to_status" if moves else ""),
        events,
        Progress("events", len(events)),
    )
    for model in (InboundMessage, Draft, Revision):
        reset_sequence(model)
    fill.counts.update(drafts=len(stories), revisions=len(revisions), draft_events=len(events))
    _note_activity(fill)


def _note_activity(fill: Fill) -> None:
    """An account's latest activity is its latest publication, or a recent check of the platform."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE accounts_registry_account a
               SET last_activity_at = greatest(p.latest, CASE WHEN a.status = 'active'
                   THEN %(now)s - make_interval(days => (a.id %% 40)::int) END)
              FROM (SELECT account_id, max(published_at) AS latest
                      FROM content_review_draft GROUP BY account_id) p
             WHERE p.account_id = a.id
            """,
            {"now": fill.now},
        )


# ---------------------------------------------------------------------------------------------------
# notifications: the outbox


EMAIL_SUBJECTS = [
    "Please review: Post for Northfield account",
    "Approved: Post for Northfield account",
    "Changes requested: Post for Northfield account",
    "Reply due soon: @resident on Northfield account",
    "Reply overdue: @resident on Northfield account",
    "New social media account request",
    "Reminder: please answer the social media questionnaire",
    "Urgent post published before review",
]


@section("notifications")
def notifications(fill: Fill) -> None:
    """Five years of emails to the council's people, oldest first: sent, with one in two hundred failed
    (ten attempts) and the newest few still waiting to be sent. One INSERT ... SELECT."""
    from notifications.models import Notification

    total = fill.size("emails", 1700)
    started = time.perf_counter()
    print(f"  emails: {total:,} (one statement)…", flush=True)
    made = insert_select(
        Notification,
        {
            "recipient_id": "p.id",
            "to_email": "p.email",
            "subject": "s.subject",
            "body": "'Hello,' || chr(10) || chr(10) || s.subject || '.' || chr(10) || chr(10) || "
            "repeat('Open the service to see the details and what to do next. ', 6) || chr(10) || "
            "%(site)s || '/content/' || g",
            "status": "CASE WHEN g > %(total)s - %(pending)s THEN 'pending' "
            "WHEN g %% 200 = 7 THEN 'failed' ELSE 'sent' END",
            "attempts": "CASE WHEN g > %(total)s - %(pending)s THEN 0 WHEN g %% 200 = 7 THEN 10 ELSE 1 END",
            "last_error": "CASE WHEN g %% 200 = 7 AND g <= %(total)s - %(pending)s "
            "THEN '550 5.1.1 Mailbox unavailable' ELSE '' END",
            "created_at": "t.at",
            "next_attempt_at": "t.at",
            "sent_at": "CASE WHEN g %% 200 <> 7 AND g <= %(total)s - %(pending)s "
            "THEN t.at + interval '40 seconds' END",
        },
        """generate_series(1, %(total)s) AS g
           CROSS JOIN LATERAL (SELECT %(now)s - (%(span)s * (1 - g::float8 / %(total)s)) * interval '1 second'
                                      - interval '5 minutes' AS at) t
           JOIN (SELECT id, email, row_number() OVER (ORDER BY id) - 1 AS k FROM organisation_user) p
             ON p.k = (g::bigint * 2654435761) %% (SELECT count(*) FROM organisation_user)
           JOIN unnest(%(subjects)s::text[]) WITH ORDINALITY AS s(subject, k)
             ON s.k = g %% %(n_subjects)s + 1""",
        {
            "total": total,
            "pending": max(1, total // 2000),
            "now": fill.now,
            "span": YEARS * 365 * 86400,
            "subjects": EMAIL_SUBJECTS,
            "n_subjects": len(EMAIL_SUBJECTS),
            "site": "https://social.northfield.gov.uk",
        },
    )
    print(f"    emails: {made:,} in {time.perf_counter() - started:.1f} s", flush=True)
    fill.counts["emails"] = made


# ---------------------------------------------------------------------------------------------------
# surveys: the 2018 questionnaire, invitations and responses


def answers_for(spec, audience: str, rnd: random.Random) -> dict:
    """A respondent's answers, each valid for its question (surveys.answers.clean keeps them honest)
    and given only where the question is asked."""
    from surveys import answers as A

    leaning = {"uses_social_media": 0.6 if audience == "officer" else 0.75, "blocked_anyone": 0.3}
    given: dict = {}
    for q in spec.questions:
        if not A.is_asked(spec, q, audience, given):
            continue
        codes = q.option_codes
        if q.type == "yes_no":
            value = "yes" if rnd.random() < leaning.get(q.code, 0.55) else "no"
        elif q.type == "single_choice":
            value = rnd.choice(codes)
        elif q.type == "multiple_choice":
            value = [c for c in codes if rnd.random() < 0.4] or [codes[0]]
            if not q.required and rnd.random() < 0.2:
                continue
        elif q.type == "ranking":
            if rnd.random() < 0.15:
                continue
            ranked = rnd.sample(codes, k=rnd.randint(2, len(codes)))
            value = {c: r for r, c in enumerate(ranked, start=1)}
        elif q.type == "number":
            value = rnd.randint(1, 6)
        elif q.code == "blocking_reasons" and rnd.random() < 0.2:
            value = "Repeated abusive replies to our posts after a warning."
        elif rnd.random() < 0.01:
            value = f"More training on handling complaints would help (respondent {rnd.randint(1, 99999)})."
        else:
            continue
        given[q.code] = A.clean(q, value)
    return given


@section("surveys")
def surveys(fill: Fill) -> None:
    """The 2018 questionnaire from its definition file; every head of service, officer and councillor
    invited; some answered here (a few still in progress), the rest imported from partner councils'
    survey tool, all with answers valid for the definition."""
    from surveys.definition import parse_definition
    from surveys.models import Invitation, Response
    from surveys.selectors import questionnaire_spec
    from surveys.services import questionnaire_load

    rnd = fill.rng("surveys")
    definition = ROOT / "surveys" / "definitions" / "social-media-2018.json"
    questionnaire, _ = questionnaire_load(spec=parse_definition(definition.read_bytes()))
    spec = questionnaire_spec(questionnaire)
    opens = datetime.combine(questionnaire.opens_on, datetime.min.time(), tzinfo=fill.now.tzinfo)
    invited = [
        (p, "councillor" if role == "Councillor" else "officer")
        for role in ("Head of Service", "Officer", "Councillor")
        for p in fill.people[role]
        if p.active
    ]
    invitations = Invitation.objects.bulk_create(
        Invitation(
            questionnaire=questionnaire,
            person_id=p.id,
            audience=audience,
            invited_at=opens,
            invited_by_id=fill.personas["Communications"].id,
        )
        for p, audience in invited
    )
    total = fill.size("responses", 50)
    emails = {p.id: p.email for p, _ in invited}
    answered = rnd.sample(invitations, k=min(total, round(len(invitations) * 0.6)))  # answered here

    def responses():
        for n in range(total):
            at = opens + timedelta(days=rnd.uniform(0, 24), hours=rnd.uniform(8, 18))
            invitation = answered[n] if n < len(answered) else None
            audience = (
                invitation.audience if invitation else ("officer" if rnd.random() < 0.6 else "councillor")
            )
            submitted = None if invitation and rnd.random() < 0.05 else at
            row = (
                questionnaire.pk,
                invitation.pk if invitation else None,
                emails[invitation.person_id].lower() if invitation else f"r{n:06d}@partner-council.gov.uk",
                audience,
                json.dumps(answers_for(spec, audience, rnd)),
                "web" if invitation else "import",
                at,
                at,
                submitted,
            )
            yield (*row, "submitted" if submitted else "in_progress") if has_status else row

    # The newer schema keeps a response's state in a status of its own (sent, in progress, voided).
    has_status = "status" in {f.name for f in Response._meta.concrete_fields}
    made = copy_rows(
        Response,
        "questionnaire_id invitation_id respondent audience answers source"
        " started_at updated_at submitted_at" + (" status" if has_status else ""),
        responses(),
        Progress("responses", total),
    )
    fill.counts.update(invitations=len(invitations), responses=made)


# ---------------------------------------------------------------------------------------------------
# blocking: referrals, decisions, the block register, reviews and appeals


BEHAVIOUR = [  # (categories, share): serious behaviour may be blocked without a warning
    (["abuse"], 22),
    (["threats"], 8),
    (["discrimination"], 6),
    (["abuse", "personal_attacks"], 8),
    (["personal_attacks"], 14),
    (["spam"], 16),
    (["misinformation"], 8),
    (["off_topic"], 10),
    (["impersonation"], 3),
    (["personal_information"], 5),
]
REFERRAL_TEXTS = [
    "Repeated abusive replies under our posts about bin collections, aimed at named staff.",
    "Posted the same advert under every post this week after being asked to stop.",
    "Threatening message to a councillor in reply to the surgery times post.",
    "Shared a resident's address and phone number in a reply.",
    "Keeps posting off-topic links under every post about the library service.",
]
DECISION_TEXTS = {
    "block": "Breaks the social media policy; the behaviour is serious or continued after a warning.",
    "warn": "First time: warn them with the standard message and refer again if it continues.",
    "hide": "Hide the comment; the rest of their posts are within the policy.",
    "no_action": "Robust criticism of the council, within the policy: no action.",
}


@section("blocking")
def blocking(fill: Fill) -> None:
    """Referrals by the officers running live accounts and by councillors over five years, about a pool
    of members of the public (some referred more than once, on several accounts): recent ones waiting,
    sent back for information or withdrawn; older ones decided (block, warn first, hide, no action).
    A block is blocked only where the warn-first rule allows it. Each block is reviewed every
    BLOCKING_REVIEW_MONTHS: marked due by the sweep, then kept with a new date or lifted; the latest
    still due; blocks on closed accounts expired. Some blocks were appealed (answered, a few upheld and
    lifted). Officers also recorded blocks themselves (confirmed, reversed or waiting) and the earlier
    list was imported. Every record has its log rows. Evidence files are left out (no files)."""
    from accounts_registry.platforms import identify
    from blocking.models import (
        NO_WARNING_NEEDED,
        Appeal,
        AppealEvent,
        Block,
        BlockEvent,
        Referral,
        ReferralEvent,
    )
    from blocking.services import add_months, review_months

    rnd = fill.rng("blocking")
    comms = [p.id for p in fill.people["Communications"]]
    today = fill.now.date()
    live = [a for a in fill.accounts if a.status in ("active", "dormant", "closing", "closed")]
    total = fill.size("referrals", 30)
    # Members of the public: about 0.7 per referral, so a third are referred more than once.
    people_count = max(5, round(total * 0.7))
    identities: dict[tuple[str, int], tuple[str, str, str]] = {}

    def person_on(platform: str, k: int) -> tuple[str, str, str]:
        if (platform, k) not in identities:
            handle = f"resident{k:05d}.bsky.social" if platform == "bluesky" else f"Resident{k:05d}"
            identity = identify(platform, handle)
            identities[(platform, k)] = (identity.handle, identity.key, identity.profile_url)
        return identities[(platform, k)]

    def at_time(day: date | datetime, hours: float = 0) -> datetime:
        if isinstance(day, datetime):
            return day + timedelta(hours=hours)
        return datetime.combine(day, datetime.min.time(), tzinfo=fill.now.tzinfo) + timedelta(hours=9 + hours)

    referrals, referral_events, blocks, block_events, appeals, appeal_events = [], [], [], [], [], []
    warned: set[tuple[str, str]] = set()  # people decided "warn first" so far (referrals go oldest first)
    first_referral, first_block, first_appeal = next_id(Referral), next_id(Block), next_id(Appeal)

    def block_life(block_id: int, account, categories, blocked_on: date, by: int) -> tuple:
        """Walks a block in force from blocked_on: appeal, reviews, expiry. Returns its final
        (status, review_on, lifted_on)."""
        closed_on = last_possible(account, fill.now).date() if account.status == "closed" else None
        months = review_months(categories)
        review_on = add_months(blocked_on, months)
        if rnd.random() < 0.1:  # appealed within weeks
            received = blocked_on + timedelta(days=rnd.randint(1, 40))
            if received <= today and (closed_on is None or received < closed_on):
                appeal_id = first_appeal + len(appeals)
                answered = received + timedelta(days=rnd.randint(2, 20))
                channel = rnd.choice(["social_media", "email", "complaint", "phone", "letter"])
                logger = rnd.choice(comms)
                appeal_events.append((appeal_id, logger, "logged", "", "waiting", "", at_time(received)))
                if answered >= today or (closed_on and answered >= closed_on):
                    appeals.append(
                        (
                            appeal_id,
                            block_id,
                            received,
                            channel,
                            logger,
                            at_time(received),
                            "waiting",
                            "",
                            "",
                            None,
                            None,
                        )
                    )
                else:
                    upheld = rnd.random() < 0.25
                    outcome = "upheld" if upheld else "not_upheld"
                    label = "Upheld: the block is lifted" if upheld else "Not upheld: the block stays"
                    appeals.append(
                        (
                            appeal_id,
                            block_id,
                            received,
                            channel,
                            logger,
                            at_time(received),
                            "answered",
                            outcome,
                            "We have looked again at the block and written to explain the outcome.",
                            logger,
                            at_time(answered, 2),
                        )
                    )
                    appeal_events.append(
                        (appeal_id, logger, "answer", "waiting", "answered", label, at_time(answered, 2))
                    )
                    if upheld:
                        block_events.append(
                            (
                                block_id,
                                logger,
                                "appeal_upheld",
                                "active",
                                "lifted",
                                "Lifted on appeal.",
                                at_time(answered, 2),
                            )
                        )
                        return "lifted", None, answered
        while True:
            if closed_on and closed_on <= review_on:
                block_events.append(
                    (
                        block_id,
                        None,
                        "expire",
                        "active",
                        "expired",
                        "The council account was closed.",
                        at_time(closed_on, 1),
                    )
                )
                return "expired", review_on, None
            if review_on > today:
                return "active", review_on, None
            block_events.append(
                (
                    block_id,
                    None,
                    "mark_due",
                    "active",
                    "review_due",
                    "The review date has come.",
                    at_time(review_on, -7),
                )
            )
            reviewed = review_on + timedelta(days=rnd.randint(1, 20))
            if reviewed >= today:
                return "review_due", review_on, None
            reviewer = rnd.choice(comms)
            if rnd.random() < 0.3:
                block_events.append(
                    (
                        block_id,
                        reviewer,
                        "lift",
                        "review_due",
                        "lifted",
                        "Nothing further since the block: lifted.",
                        at_time(reviewed, 3),
                    )
                )
                return "lifted", None, reviewed
            review_on = add_months(reviewed, months)
            block_events.append(
                (
                    block_id,
                    reviewer,
                    "keep",
                    "review_due",
                    "active",
                    "Still posting abuse from another account: kept.",
                    at_time(reviewed, 3),
                )
            )

    def add_block(
        account,
        handle,
        key,
        url,
        categories,
        reason,
        source,
        referral_id,
        blocked_on,
        recorder,
        decider,
        created,
    ) -> None:
        block_id = first_block + len(blocks)
        action = {"decision": "decided", "recorded": "recorded", "imported": "imported"}[source]
        first = "unconfirmed" if source == "recorded" else "active"  # Comms confirm what officers record
        block_events.append((block_id, recorder, action, "", first, "", created))
        status, review_on, lifted_on = first, None, None
        if source == "recorded" and (today - blocked_on).days >= 10:
            confirmer = rnd.choice(comms)
            if rnd.random() < 0.15:
                block_events.append(
                    (
                        block_id,
                        confirmer,
                        "reverse",
                        "unconfirmed",
                        "reversed",
                        "Not a breach of the policy: unblock them.",
                        at_time(blocked_on, 30),
                    )
                )
                status = "reversed"
            else:
                block_events.append(
                    (block_id, confirmer, "confirm", "unconfirmed", "active", "", at_time(blocked_on, 30))
                )
                decider = confirmer
                status, review_on, lifted_on = block_life(
                    block_id, account, categories, blocked_on + timedelta(days=2), confirmer
                )
        elif first == "active":
            status, review_on, lifted_on = block_life(block_id, account, categories, blocked_on, decider)
        else:
            review_on = add_months(blocked_on, review_months(categories))
        blocks.append(
            (
                block_id,
                account.pk,
                account.platform,
                handle,
                url,
                key,
                categories,
                reason,
                source,
                referral_id,
                blocked_on,
                review_on,
                lifted_on,
                status,
                recorder,
                decider,
                created,
                review_on if status == "review_due" else None,
            )
        )

    # Referrals, oldest first, so "warned before" is known when a later one is decided.
    moments = sorted(rnd.uniform(0.5, 365 * YEARS) for _ in range(total))
    for n, days_ago in enumerate(reversed(moments)):
        account = live[rnd.randrange(len(live))]
        latest = last_possible(account, fill.now)
        margin = timedelta(days=10 if account.status == "closed" else 0, hours=rnd.uniform(1, 48))
        created = min(fill.ago(days_ago), latest - margin)
        # One in five referrals is about someone from a small group referred again and again.
        k = rnd.randrange(max(1, people_count // 20)) if rnd.random() < 0.2 else rnd.randrange(people_count)
        handle, key, url = person_on(account.platform, k)
        categories = rnd.choices([c for c, _ in BEHAVIOUR], weights=[w for _, w in BEHAVIOUR])[0]
        by = account.deputy_id if account.deputy_id and rnd.random() < 0.3 else account.responsible_officer_id
        warning = not (NO_WARNING_NEEDED & set(categories)) and rnd.random() < 0.3
        warned_on = (created - timedelta(days=rnd.randint(3, 30))).date() if warning else None
        referral_id = first_referral + n
        age = (fill.now - created).days
        recent = age < 30 and account.status != "closed"
        status = (
            _weighted(rnd, [("submitted", 40), ("more_information", 20), ("withdrawn", 5), ("decided", 35)])
            if recent
            else _weighted(rnd, [("decided", 93), ("withdrawn", 7)])
        )
        referral_events.append((referral_id, by, "referred", "", "submitted", "", "", at_time(created)))
        t = created
        info = ""
        if status == "more_information" or (status != "submitted" and rnd.random() < 0.1):
            t = min(t + timedelta(hours=rnd.uniform(4, 72)), fill.now - timedelta(minutes=30))
            info = "Please add a link to the comment and say whether they were warned."
            referral_events.append(
                (
                    referral_id,
                    rnd.choice(comms),
                    "ask_for_information",
                    "submitted",
                    "more_information",
                    "",
                    info,
                    t,
                )
            )
            if status != "more_information":
                t = min(t + timedelta(hours=rnd.uniform(2, 48)), fill.now - timedelta(minutes=20))
                referral_events.append(
                    (
                        referral_id,
                        by,
                        "add_information",
                        "more_information",
                        "submitted",
                        "",
                        "Link added; no warning was given.",
                        t,
                    )
                )
        outcome, reason, decided_by, decided_at = "", "", None, None
        if status == "withdrawn":
            t = min(t + timedelta(hours=rnd.uniform(1, 72)), fill.now - timedelta(minutes=10))
            referral_events.append((referral_id, by, "withdraw", "submitted", "withdrawn", "", "", t))
        elif status == "decided":
            may_block = (
                bool(NO_WARNING_NEEDED & set(categories)) or warning or (account.platform, key) in warned
            )
            outcome = _weighted(rnd, [("block", 45), ("warn", 25), ("hide", 18), ("no_action", 12)])
            if outcome == "block" and not may_block:
                outcome = "warn"
            if outcome == "warn":
                warned.add((account.platform, key))
            reason, decided_by = DECISION_TEXTS[outcome], rnd.choice(comms)
            decided_at = min(t + timedelta(hours=rnd.uniform(2, 96)), fill.now - timedelta(minutes=5))
            if account.status == "closed":
                decided_at = min(decided_at, latest)
            referral_events.append(
                (referral_id, decided_by, "decide", "submitted", "decided", outcome, reason, decided_at)
            )
            if outcome == "block":
                add_block(
                    account,
                    handle,
                    key,
                    url,
                    categories,
                    reason,
                    "decision",
                    referral_id,
                    decided_at.date(),
                    decided_by,
                    decided_by,
                    decided_at,
                )
        referrals.append(
            (
                referral_id,
                account.pk,
                account.platform,
                handle,
                url,
                key,
                categories,
                rnd.choice(REFERRAL_TEXTS),
                "Council are useless, you lot should be locked up.",
                warning,
                warned_on,
                by,
                created,
                status,
                info,
                outcome,
                reason,
                decided_by,
                decided_at,
            )
        )

    # Blocks officers made themselves (a tenth of the register), and the earlier list imported once.
    recorded = max(2, total // 10)
    for n in range(recorded):
        account = live[rnd.randrange(len(live))]
        latest = last_possible(account, fill.now)
        created = min(fill.ago(rnd.uniform(0.2, 365 * YEARS)), latest - timedelta(hours=2))
        handle, key, url = person_on(account.platform, people_count + n)
        categories = rnd.choice([["abuse"], ["threats"], ["discrimination"], ["abuse", "threats"]])
        add_block(
            account,
            handle,
            key,
            url,
            categories,
            "Blocked out of hours after threats to staff.",
            "recorded",
            None,
            created.date(),
            account.responsible_officer_id,
            None,
            created,
        )
    imported_on = fill.ago(365 * YEARS + 5)
    for n in range(max(2, total // 25)):
        account = live[rnd.randrange(len(live))]
        handle, key, url = person_on(account.platform, people_count + recorded + n)
        blocked_on = (imported_on - timedelta(days=rnd.randint(30, 900))).date()
        add_block(
            account,
            handle,
            key,
            url,
            ["abuse"],
            "On the earlier block list (2018 audit).",
            "imported",
            None,
            blocked_on,
            comms[0],
            comms[0],
            imported_on,
        )

    copy_rows(
        Referral,
        "id account_id platform person_handle person_profile_url person_key categories what_happened"
        " quoted_text warning_given warned_on referred_by_id created_at status information_request outcome"
        " decision_reason decided_by_id decided_at",
        referrals,
        Progress("referrals", len(referrals)),
    )
    copy_rows(
        ReferralEvent,
        "referral_id actor_id action from_status to_status outcome comment created_at",
        referral_events,
        Progress("referral events", len(referral_events)),
    )
    copy_rows(
        Block,
        "id account_id platform person_handle person_profile_url person_key categories reason source"
        " referral_id blocked_on review_on lifted_on status recorded_by_id decided_by_id created_at"
        " review_notice_for",
        blocks,
        Progress("blocks", len(blocks)),
    )
    copy_rows(
        BlockEvent,
        "block_id actor_id action from_status to_status comment created_at",
        block_events,
        Progress("block events", len(block_events)),
    )
    copy_rows(
        Appeal,
        "id block_id received_on channel logged_by_id logged_at status outcome reply answered_by_id"
        " answered_at message",
        [(*a, "I was blocked for one comment and I want to be able to reply again.") for a in appeals],
    )
    copy_rows(
        AppealEvent,
        "appeal_id actor_id action from_status to_status comment created_at",
        appeal_events,
    )
    for model in (Referral, Block, Appeal):
        reset_sequence(model)
    fill.counts.update(referrals=len(referrals), blocks=len(blocks), appeals=len(appeals))


# ---------------------------------------------------------------------------------------------------
# training: courses, sessions, bookings and attendance, requests, completions


EXTRA_COURSES = 20  # e-learning modules beside the audit's five courses


@section("training")
def training(fill: Fill) -> None:
    """The audit's five courses (seeded by the migration) and twenty e-learning modules; sessions of the
    in-person and online courses over five years (held, with their bookings marked attended, not
    attended or cancelled, and a completion for each attendance; a few cancelled; a few held last week
    and not yet marked; the coming ones booked, the full ones with a waiting list); requests (waiting,
    offered a session, declined, withdrawn); and e-learning and earlier completions imported, so that
    most people have some valid, some expired and some missing training and a tenth have none."""
    from training.models import (
        Booking,
        BookingEvent,
        Completion,
        Course,
        RequestEvent,
        Requirement,
        SessionEvent,
        TrainingRequest,
        TrainingSession,
    )
    from training.seed import seed_courses

    rnd = fill.rng("training")
    seed_courses(Course, Requirement)
    Course.objects.bulk_create(
        Course(
            code=f"ELEARN-{n + 1:02d}",
            title=f"E-learning module {n + 1}: social media good practice",
            topic="A short online module from the council's learning platform.",
            format="e_learning",
            length_minutes=rnd.choice([15, 30, 45]),
            validity_months=rnd.choice([12, 24, None]),
        )
        for n in range(EXTRA_COURSES)
    )
    courses = list(Course.objects.order_by("code"))
    taught = [c for c in courses if c.format != "e_learning"]
    comms = [p.id for p in fill.people["Communications"]]
    by_id: dict[int, Person] = {}
    for role in ("Communications", "Head of Service", "Officer", "Councillor"):
        for p in fill.people[role]:
            by_id.setdefault(p.id, p)
    everyone = sorted(by_id)
    trainees = [pid for pid in everyone if rnd.random() < 0.9]  # a tenth never trained
    councillor_ids = {p.id for p in fill.people["Councillor"]}
    total = fill.size("completions", 60)
    today = fill.now.date()

    def local(day: date, hour: int) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=fill.now.tzinfo) + timedelta(hours=hour)

    sessions, session_events, bookings, booking_events, completions = [], [], [], [], []
    done: set[tuple[int, int, date]] = set()  # (person, course, day): one completion a day
    first_session, first_booking = next_id(TrainingSession), next_id(Booking)
    per_session = 12
    session_count = max(4, round(total * 0.45 / per_session / 0.85))
    days_used: set[tuple[int, date]] = set()
    for n in range(session_count):
        course = taught[n % len(taught)]
        day = today - timedelta(days=rnd.randint(-60, 365 * YEARS))
        while (course.pk, day) in days_used:
            day += timedelta(days=1)
        days_used.add((course.pk, day))
        starts = local(day, rnd.choice([10, 14, 18]))
        created = starts - timedelta(days=rnd.randint(14, 60))
        session_id = first_session + len(sessions)
        capacity = rnd.choice([8, 12, 15, 20])
        online = course.format == "online"
        by = rnd.choice(comms)
        if starts > fill.now:
            status = "scheduled"
        elif rnd.random() < 0.08:
            status = "cancelled"
        elif (fill.now - starts).days < 7 and rnd.random() < 0.5:
            status = "scheduled"  # held, attendance not yet recorded
        else:
            status = "held"
        sessions.append(
            (
                session_id,
                course.pk,
                starts,
                "" if online else rnd.choice(["Committee Room 2, Town Hall", "Council Chamber, Town Hall"]),
                f"https://meet.northfield.gov.uk/s{session_id}" if online else "",
                capacity,
                rnd.choice(["Amira Shah", "Tom Baker", "Priya Patel"]),
                status,
                by,
                min(created, fill.now),
            )
        )
        session_events.append((session_id, by, "scheduled", "", "scheduled", "", min(created, fill.now)))
        wanted = capacity + (rnd.randint(1, 4) if rnd.random() < 0.2 else -rnd.randint(0, capacity // 3))
        people = rnd.sample(trainees, k=min(wanted, len(trainees)))
        attended = 0
        for k, person in enumerate(people):
            booking_id = first_booking + len(bookings)
            booked_at = min(created + timedelta(days=rnd.uniform(0, 10), minutes=k), fill.now)
            first = "booked" if k < capacity else "waiting"
            booking_events.append((booking_id, person, "booked", "", first, "", booked_at))
            final, moved = first, ""
            if status == "cancelled":
                final, moved = "cancelled", "cancel"
            elif status == "held":
                if first == "waiting":
                    final, moved = "cancelled", "cancel"
                else:
                    final = _weighted(rnd, [("attended", 85), ("no_show", 10), ("cancelled", 5)])
                    moved = final
            if moved:
                comment = "The session took place." if first == "waiting" and status == "held" else ""
                end = starts + timedelta(hours=3) if status == "held" else starts - timedelta(days=1)
                booking_events.append((booking_id, by, moved, first, final, comment, min(end, fill.now)))
            bookings.append((booking_id, session_id, person, final, booked_at))
            if final == "attended" and (person, course.pk, day) not in done:
                done.add((person, course.pk, day))
                completions.append(
                    (person, course.pk, day, "session", booking_id, by, starts + timedelta(hours=3))
                )
                attended += 1
        if status != "scheduled":
            action = "hold" if status == "held" else "cancel"
            comment = f"{attended} attended." if status == "held" else "The trainer is unwell."
            when = starts + timedelta(hours=3) if status == "held" else starts - timedelta(days=2)
            session_events.append((session_id, by, action, "scheduled", status, comment, min(when, fill.now)))

    # Imported completions (e-learning, and courses taken before the service), up to the total.
    recorder = fill.personas["Communications"].id
    while len(completions) < total:
        person = trainees[rnd.randrange(len(trainees))]
        course = courses[rnd.randrange(len(courses))]
        day = today - timedelta(days=rnd.randint(1, 365 * YEARS))
        if (person, course.pk, day) in done:
            continue
        done.add((person, course.pk, day))
        completions.append((person, course.pk, day, "import", None, recorder, local(day, 17)))

    # Requests: most offered a session or declined long ago; recent ones waiting (one per course).
    requests, request_events, waiting = [], [], set()
    first_request = next_id(TrainingRequest)
    for n in range(max(6, total // 10)):
        person = trainees[rnd.randrange(len(trainees))]
        course = courses[rnd.randrange(len(courses))] if rnd.random() < 0.9 else None
        created = fill.ago(rnd.uniform(0.5, 365 * YEARS))
        status = (
            "waiting"
            if (fill.now - created).days < 60 and rnd.random() < 0.6
            else _weighted(rnd, [("scheduled", 60), ("declined", 15), ("withdrawn", 25)])
        )
        if status == "waiting" and (person, course and course.pk) in waiting:
            status = "withdrawn"
        if status == "waiting":
            waiting.add((person, course and course.pk))
        request_id = first_request + n
        decided = min(created + timedelta(days=rnd.uniform(1, 30)), fill.now) if status != "waiting" else None
        session = None
        if status == "scheduled":
            candidates = [s for s in sessions[-40:] if course and s[1] == course.pk] if course else []
            session = candidates[0][0] if candidates else None
            if session is None:
                status = "declined"
        audience = "councillors" if person in councillor_ids else "officers"
        need = "" if course else "Help writing accessible posts with alt text and plain English."
        requests.append(
            (request_id, person, course and course.pk, need, audience, status, session, created, decided)
        )
        request_events.append((request_id, person, "requested", "", "waiting", "", created))
        if status != "waiting":
            action = {"scheduled": "schedule", "declined": "decline", "withdrawn": "withdraw"}[status]
            actor = person if status == "withdrawn" else rnd.choice(comms)
            comment = "Covered by the e-learning module." if status == "declined" else ""
            request_events.append((request_id, actor, action, "waiting", status, comment, decided))

    copy_rows(
        TrainingSession,
        "id course_id starts_at place online_link capacity trainer status created_by_id created_at",
        sessions,
        Progress("sessions", len(sessions)),
    )
    copy_rows(
        SessionEvent, "session_id actor_id action from_status to_status comment created_at", session_events
    )
    copy_rows(
        Booking, "id session_id person_id status created_at", bookings, Progress("bookings", len(bookings))
    )
    copy_rows(
        BookingEvent,
        "booking_id actor_id action from_status to_status comment created_at",
        booking_events,
        Progress("booking events", len(booking_events)),
    )
    copy_rows(
        Completion,
        "person_id course_id completed_on source booking_id recorded_by_id created_at",
        completions,
        Progress("completions", len(completions)),
    )
    copy_rows(
        TrainingRequest,
        "id requester_id course_id need audience status session_id created_at decided_at",
        requests,
    )
    copy_rows(
        RequestEvent, "request_id actor_id action from_status to_status comment created_at", request_events
    )
    for model in (TrainingSession, Booking, TrainingRequest):
        reset_sequence(model)
    fill.counts.update(
        training_sessions=len(sessions),
        bookings=len(bookings),
        completions=len(completions),
        training_requests=len(requests),
    )


# ---------------------------------------------------------------------------------------------------


def generate(scale: float, seed: int) -> dict[str, int]:
    """Runs every installed app's section on the configured database (already migrated, empty)."""
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    from organisation.models import User

    if User.objects.exists():
        sys.exit("The database already has people in it: give --database NAME to fill a fresh one.")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    _NOW[:] = [now]
    with connection.cursor() as cursor:
        # The triggers (pgtrigger, pghistory) read settings that web requests set: which triggers to
        # skip, and who is acting from where. Unset, each trigger call fails a lookup inside a
        # subtransaction, and rolling that back scans every deferred foreign-key check queued so far in
        # the transaction: quadratic in the rows written. Set, the history says it came from here.
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', '{}', false), "
            "set_config('pghistory.context_id', %s, false), "
            "set_config('pghistory.context_metadata', %s, false)",
            [
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/generate.py/{seed}")),
                json.dumps({"source": "bench"}),
            ],
        )
    fill = Fill(scale=scale, seed=seed, now=now)
    for app_label, run in SECTIONS:
        if not apps.is_installed(app_label):
            print(f"{app_label}: not installed, skipped", flush=True)
            continue
        started = time.perf_counter()
        print(f"{app_label}…", flush=True)
        run(fill)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    for app_label, needs in MISSING_SECTIONS.items():
        if apps.is_installed(app_label):
            print(
                f"WARNING: {app_label} is installed but has no section here yet (needs {needs}).", flush=True
            )
    started = time.perf_counter()
    print(
        "VACUUM ANALYZE (plans and index-only scans as on a database that has been running a while)…",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return fill.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = a large council's five years (default)")
    parser.add_argument("--database", help="make this database afresh on the same server and fill it")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.scale <= 0:
        parser.error("--scale must be more than 0")

    started = time.perf_counter()
    if args.database:
        fresh_database(args.database)
        os.environ["DATABASE_URL"] = database_url(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-generate-not-secret")
    os.environ.pop("REDIS_URL", None)  # nothing is queued; the questionnaire load runs inline
    import django

    django.setup()
    if not args.database:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
    counts = generate(args.scale, args.seed)
    elapsed = time.perf_counter() - started
    print("made: " + ", ".join(f"{n:,} {what.replace('_', ' ')}" for what, n in counts.items()))
    print(f"generated at scale {args.scale:g} in {elapsed:.0f} s")
    if args.database:
        set_comment(args.database, comment_for(args.scale, args.seed))


def comment_for(scale: float, seed: int) -> str:
    return f"bench/generate.py scale={scale:g} seed={seed} source={source_hash()} day={date.today()}"


if __name__ == "__main__":
    main()
