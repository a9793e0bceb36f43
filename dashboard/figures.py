"""The dashboard's figures as its page and its spreadsheet show them, kept for a few minutes.

Working them out reads a year of published drafts, decisions, messages and blocks and every person's
training on each month's last day: about half a second at a large council's size, on every request,
for a page auditors open again and again with the same period and service area. The figures are
aggregates with no personal data, so they are cached per period, service area and day (and the apps
that give them) for DASHBOARD_CACHE_SECONDS (0: worked out on every request), and the page says when
they were worked out. Nothing clears them early: a figure is at most that old."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from dashboard.indicators import SECTIONS, Dashboard, Period, compute
from dashboard.said_vs_did import Comparison, said_vs_did

KEY_VERSION = 1  # raise it when what is cached changes shape


@dataclass
class Figures:
    dashboard: Dashboard
    questionnaire: object | None  # the questionnaire "said" comes from
    comparisons: list[Comparison]
    as_at: datetime  # when they were worked out


def cache_key(period: Period, area) -> str:
    installed = ",".join(
        label for label in [*(s for s, _ in SECTIONS), "surveys"] if apps.is_installed(label)
    )
    area_key = area.pk if area is not None else "all"
    today = timezone.localdate()  # "still waiting" and the trends stop at today
    return f"dashboard:figures:{KEY_VERSION}:{period.start}:{period.end}:{area_key}:{today}:{installed}"


def figures(period: Period, area=None, *, fresh: bool = False) -> Figures:
    """The figures for the period and service area (None: every area), from the cache unless they
    are older than DASHBOARD_CACHE_SECONDS; `fresh` works them out now (and keeps them)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = cache_key(period, area)
    found = cache.get(key) if seconds and not fresh else None
    if found is not None:
        found.dashboard.service_area = area  # the area as it is now (its name may have changed)
        return found
    dashboard = compute(period, area)
    questionnaire, comparisons = said_vs_did(dashboard)
    found = Figures(dashboard, questionnaire, comparisons, timezone.now())
    if seconds:
        cache.set(key, found, seconds)
    return found
