"""The report safe to publish (for example in a Freedom of Information answer): referrals, decisions,
blocks and lifts per category, per council account and per month. It reads only categories, accounts,
statuses and dates: no handle, link, quoted text or person's name can reach it.

Every figure is counted in the database (conditional counts and GROUP BY), in a fixed number of
queries whatever the number of records. What is counted, for a period from `from` to `to` (inclusive, dates in
UK time; no `from` means since records began):
- referrals: referrals made in the period (withdrawn ones too: they were made);
- blocks: blocks whose `blocked_on` is in the period, however they came about (decided on a referral,
  recorded by an officer, imported), and whatever happened to them later;
- lifted: blocks whose `lifted_on` is in the period (lifted after a review or an appeal, reversed by
  Comms, or imported as lifted);
- decisions: referrals decided in the period, by outcome (on the page and in the downloads).
A referral or block with several categories counts once in each."""

import calendar
from dataclasses import dataclass, field
from datetime import date

import tablib
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts_registry.platforms import Platform
from blocking.models import Block, Category, Outcome, Referral
from core.spreadsheet import protect_row


@dataclass
class Counts:
    referrals: int = 0
    blocks: int = 0


@dataclass
class Report:
    date_from: date | None
    date_to: date
    referrals: int
    blocks: int
    lifted: int
    by_category: dict[str, Counts]
    by_account: dict[str, Counts]
    by_month: dict[str, Counts]
    decisions: dict[str, int] = field(default_factory=dict)

    def category_rows(self) -> list[tuple[str, str, Counts]]:
        return [(code, label, self.by_category[code]) for code, label in Category.choices]

    def month_rows(self) -> list[tuple[str, Counts]]:
        """("September 2026", counts) for pages; the JSON and downloads keep "2026-09"."""
        return [
            (f"{calendar.month_name[int(month[5:])]} {month[:4]}", counts)
            for month, counts in self.by_month.items()
        ]

    def decision_rows(self) -> list[tuple[str, int]]:
        return [(label, self.decisions.get(code, 0)) for code, label in Outcome.choices]


def _in(field_name: str, date_from: date | None, date_to: date) -> Q:
    period = Q(**{f"{field_name}__lte": date_to})
    return period & Q(**{f"{field_name}__gte": date_from}) if date_from else period


def blocking_report(*, date_from: date | None = None, date_to: date | None = None) -> Report:
    date_to = date_to or timezone.localdate()
    referrals = Referral.objects.filter(_in("created_at__date", date_from, date_to))
    blocked = _in("blocked_on", date_from, date_to)
    blocks = Block.objects.filter(blocked)

    referral_counts = referrals.aggregate(
        total=Count("pk"),
        **{code: Count("pk", filter=Q(categories__contains=[code])) for code in Category.values},
    )
    block_counts = Block.objects.aggregate(
        total=Count("pk", filter=blocked),
        lifted=Count("pk", filter=_in("lifted_on", date_from, date_to)),
        **{code: Count("pk", filter=blocked & Q(categories__contains=[code])) for code in Category.values},
    )
    by_category = {code: Counts(referral_counts[code], block_counts[code]) for code in Category.values}

    by_account: dict[str, Counts] = {}
    accounts = "account_id", "account__display_name", "account__platform"
    per_account = {
        "referrals": referrals.values(*accounts).annotate(n=Count("pk")).order_by(),
        "blocks": blocks.values(*accounts).annotate(n=Count("pk")).order_by(),
    }
    names = _account_names(row for rows in per_account.values() for row in rows)
    for kind, rows in per_account.items():
        for row in rows:
            setattr(by_account.setdefault(names[row["account_id"]], Counts()), kind, row["n"])

    by_month: dict[str, Counts] = {}
    per_month = {
        "referrals": referrals.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk")),
        "blocks": blocks.annotate(month=TruncMonth("blocked_on")).values("month").annotate(n=Count("pk")),
    }
    for kind, rows in per_month.items():
        for row in rows.order_by():
            setattr(by_month.setdefault(f"{row['month']:%Y-%m}", Counts()), kind, row["n"])

    decisions = (
        Referral.objects.filter(_in("decided_at__date", date_from, date_to))
        .exclude(outcome="")
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Report(
        date_from=date_from,
        date_to=date_to,
        referrals=referral_counts["total"],
        blocks=block_counts["total"],
        lifted=block_counts["lifted"],
        by_category=by_category,
        by_account=dict(sorted(by_account.items(), key=lambda item: item[0].lower())),
        by_month=dict(sorted(by_month.items())),
        decisions={row["outcome"]: row["n"] for row in decisions},
    )


def _account_names(rows) -> dict[int, str]:
    """Each account by its display name; two accounts with the same name are told apart by platform."""
    accounts = {row["account_id"]: (row["account__display_name"], row["account__platform"]) for row in rows}
    taken: dict[str, int] = {}
    for name, _ in accounts.values():
        taken[name] = taken.get(name, 0) + 1
    platforms = dict(Platform.choices)
    return {
        pk: name if taken[name] == 1 else f"{name} on {platforms.get(platform, platform)}"
        for pk, (name, platform) in accounts.items()
    }


def _pair(counts: Counts) -> dict:
    return {"referrals": counts.referrals, "blocks": counts.blocks}


def report_json(report: Report) -> dict:
    """The agreed layout of `manage.py blocking_report --format json`."""
    return {
        "from": report.date_from.isoformat() if report.date_from else None,
        "to": report.date_to.isoformat(),
        "referrals": report.referrals,
        "blocks": report.blocks,
        "lifted": report.lifted,
        "by_category": {code: _pair(counts) for code, counts in report.by_category.items()},
        "by_account": {name: _pair(counts) for name, counts in report.by_account.items()},
        "by_month": {month: _pair(counts) for month, counts in report.by_month.items()},
    }


def report_dataset(report: Report) -> tablib.Dataset:
    """The report as one table for CSV and XLSX: what is counted, the item, and its figures."""
    dataset = tablib.Dataset(headers=["Breakdown", "Item", "Referrals", "Blocks"])
    period = (
        f"{report.date_from.isoformat() if report.date_from else 'start'} to {report.date_to.isoformat()}"
    )
    rows = [
        ["Period", period, "", ""],
        ["Total", "All", report.referrals, report.blocks],
        ["Total", "Blocks lifted", "", report.lifted],
        *(["Decision", label, count, ""] for label, count in report.decision_rows()),
        *(["Category", str(label), c.referrals, c.blocks] for _, label, c in report.category_rows()),
        *(["Council account", name, c.referrals, c.blocks] for name, c in report.by_account.items()),
        *(["Month", month, c.referrals, c.blocks] for month, c in report.by_month.items()),
    ]
    for row in rows:
        dataset.append(protect_row(row))
    return dataset
