"""What each app adds to the service, declared in one place: a `contribute(...)` call in the app's
`AppConfig.ready()`. Core and organisation read what is declared here and name no domain app, so an
app that no other app depends on can be left out of INSTALLED_APPS and the rest still works.

    # content_review/apps.py
    def ready(self):
        from content_review import attention, permissions
        from core.contributions import DemoStep, Job, NavItem, contribute

        contribute(
            self.label,
            urls=("content/", "content_review.urls"),
            nav=[NavItem("Posts and replies", "content:mine", "content_review.view_area", 20, "/content/")],
            governed=["draft", "inboundmessage", "standardresponse"],
            demo=DemoStep(30, "new drafts", "content_review.demo.create_demo_content"),
            jobs=[Job("sweep-response-times", "content_review.tasks.sweep_response_times", 300)],
            attention=[attention.content_items],
        )

What can be declared:
- urls: (prefix, urlconf module) mounted at that prefix by config/urls.py;
- nav: the service navigation's entries, each shown to those holding its permission;
- governed: models whose audit trail Comms and auditors read on the history pages (the app's rules
  then also bind superusers: see organisation.models.User.has_perm);
- admin_section: whether the Communications team sees the app's section of the Django admin;
- workflow_rules: whether the app's permissions are workflow rules that bind superusers too;
- demo: a step of `manage.py demo_data`, run in `order` (the organisation's council is 0);
- jobs: periodic tasks, run by celery beat (or `manage.py run_schedule` without Redis);
- attention: functions (user -> [AttentionItem]) whose items the home page lists (each asking the
  database once, however many items it gives: core.attention.counts);
- flags: risk flags this app computes on another app's records (`flags_for(model)` reads them);
- record_links: links this app adds to another app's record pages (`links_for(record, user)`);
- retention: how long the app keeps personal data, and how it anonymises what is due (RetentionRule);
- subject_access: functions (handle, platform) -> [Found] listing what the app holds about one member
  of the public (the privacy app's subject access page and command read them).
- banners: notices every page shows while they hold (`add_banner(provider)`, provider(request) -> [str]).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # None: everyone signed in
    order: int = 50
    active_prefix: str = ""  # the path prefix that marks the item as the current section


@dataclass(frozen=True)
class DemoStep:
    order: int
    what: str  # read after the count: "12 new drafts"
    create: str  # dotted path to a function taking no arguments and returning how many it made


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # the Celery task's dotted name
    every_seconds: float


HOURLY = 60 * 60
DAILY = 24 * HOURLY


@dataclass(frozen=True)
class Flag:
    """A risk flag on another app's records. `annotate` takes a queryset of that model and returns it
    annotated with a boolean `flag_<code>`, computed in the database so lists can filter on it."""

    code: str
    label: str
    advice: str
    annotate: Callable[[QuerySet], QuerySet]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    hint: str = ""


@dataclass(frozen=True)
class RetentionRule:
    """Personal data kept `default_months` (or RETENTION_MONTHS[code]) after `after`, then
    anonymised through core.redaction. `due(cutoff)` gives the records whose period ended before the
    cutoff and that still hold the data (so a second sweep finds nothing); `anonymise(record)` removes
    it, record and audit trail, and returns how many rows changed (0: nothing was left)."""

    code: str
    label: str
    after: str  # read after "N months": "after the message was replied to or closed"
    reason: str  # why that long, in words an auditor reads
    default_months: int
    due: Callable[[Any], QuerySet]
    anonymise: Callable[[Model], int]

    @property
    def months(self) -> int:
        from django.conf import settings

        return int(getattr(settings, "RETENTION_MONTHS", {}).get(self.code, self.default_months))


@dataclass
class Found:
    """What one app holds about one member of the public: a heading, rows of label -> text, and
    files (name, storage file, sha256) for the subject access download."""

    section: str
    items: list[dict[str, str]] = field(default_factory=list)
    files: list[tuple[str, Any, str]] = field(default_factory=list)


@dataclass
class Contribution:
    app_label: str
    urls: tuple[str, str] | None = None
    nav: list[NavItem] = field(default_factory=list)
    governed: list[str] = field(default_factory=list)
    admin_section: bool = True
    workflow_rules: bool = True
    demo: DemoStep | None = None
    jobs: list[Job] = field(default_factory=list)
    attention: list[Callable] = field(default_factory=list)
    retention: list[RetentionRule] = field(default_factory=list)
    subject_access: list[Callable[[str, str | None], list[Found]]] = field(default_factory=list)


_contributions: dict[str, Contribution] = {}
_flags: dict[str, list[Flag]] = {}
_record_links: dict[str, list[Callable[[Model, Any], list[Link]]]] = {}
_banners: list[Callable[[Any], list[str]]] = []


def contribute(
    app_label: str,
    *,
    urls: tuple[str, str] | None = None,
    nav: list[NavItem] = (),
    governed: list[str] = (),
    admin_section: bool = True,
    workflow_rules: bool = True,
    demo: DemoStep | None = None,
    jobs: list[Job] = (),
    attention: list[Callable] = (),
    retention: list[RetentionRule] = (),
    subject_access: list[Callable[[str, str | None], list[Found]]] = (),
) -> None:
    """Declare what an app adds. `governed` names the app's own models (lower case).
    workflow_rules=False for the apps that administer the platform (people, the outbox), whose
    permissions superusers hold outright."""
    _contributions[app_label] = Contribution(
        app_label,
        urls=urls,
        nav=list(nav),
        governed=[f"{app_label}.{name.lower()}" for name in governed],
        admin_section=admin_section,
        workflow_rules=workflow_rules,
        demo=demo,
        jobs=list(jobs),
        attention=list(attention),
        retention=list(retention),
        subject_access=list(subject_access),
    )
    if admin_section:
        import rules

        from organisation.permissions import is_comms

        # The admin index shows an app's section to whoever holds the permission named after the app.
        rules.set_perm(app_label, is_comms)


def add_flag(model_label: str, flag: Flag) -> None:
    """A flag on another app's records, e.g. training adds "nobody trained" to the register's accounts."""
    _flags.setdefault(model_label.lower(), []).append(flag)


def add_record_links(model_label: str, provider: Callable[[Model, Any], list[Link]]) -> None:
    """Links this app puts on another app's record page: provider(record, user) -> [Link]."""
    _record_links.setdefault(model_label.lower(), []).append(provider)


def add_banner(provider: Callable[[Any], list[str]]) -> None:
    """A notice at the top of every page while it holds: provider(request) -> [plain-words sentences]."""
    if provider not in _banners:
        _banners.append(provider)


# ---------------------------------------------------------------------------------------------------
# Reading what was declared


def contributions() -> list[Contribution]:
    return list(_contributions.values())


def url_mounts() -> list[tuple[str, str]]:
    return [c.urls for c in _contributions.values() if c.urls]


def nav_items() -> list[NavItem]:
    return sorted((item for c in _contributions.values() for item in c.nav), key=lambda i: i.order)


def governed_models() -> set[str]:
    return {label for c in _contributions.values() for label in c.governed}


def workflow_rule_apps() -> set[str]:
    """Apps whose permissions are the council's workflow rules, which superusers do not bypass."""
    return {c.app_label for c in _contributions.values() if c.workflow_rules}


def demo_steps() -> list[tuple[str, Callable[[], int]]]:
    steps = sorted((c.demo for c in _contributions.values() if c.demo), key=lambda s: s.order)
    return [(step.what, import_string(step.create)) for step in steps]


def jobs() -> list[Job]:
    return [job for c in _contributions.values() for job in c.jobs]


def beat_schedule() -> dict[str, dict]:
    return {job.name: {"task": job.task, "schedule": job.every_seconds} for job in jobs()}


def attention_providers() -> list[Callable]:
    return [provider for c in _contributions.values() for provider in c.attention]


def flags_for(model_label: str) -> list[Flag]:
    return list(_flags.get(model_label.lower(), []))


def links_for(record: Model, user) -> list[Link]:
    providers = _record_links.get(record._meta.label_lower, [])
    return [link for provider in providers for link in provider(record, user)]


def retention_rules() -> list[RetentionRule]:
    return [rule for c in _contributions.values() for rule in c.retention]


def subject_access_finders() -> list[Callable[[str, str | None], list[Found]]]:
    return [finder for c in _contributions.values() for finder in c.subject_access]


def banner_providers() -> list[Callable[[Any], list[str]]]:
    return list(_banners)


def banners_for(request) -> list[str]:
    return [text for provider in _banners for text in provider(request)]
