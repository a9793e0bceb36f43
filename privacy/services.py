"""The retention sweep: every app's rules (core.contributions.RetentionRule), run in one place."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection, transaction
from django.utils import timezone

from core.contributions import Found, RetentionRule, retention_rules, subject_access_finders
from privacy.models import RetentionRun, SubjectAccessRequest

# pg_try_advisory_lock's key: one sweep at a time across every worker and process on the database.
SWEEP_LOCK = 0x52455445  # "RETE"


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def cutoff_for(rule: RetentionRule, as_of: date) -> datetime:
    """The start of the day, `rule.months` before as_of, in the council's time zone: what ended
    before this is due."""
    return timezone.make_aware(datetime.combine(months_before(as_of, rule.months), time.min))


@dataclass
class RuleResult:
    rule: RetentionRule
    records: int
    rows: int = 0


def retention_sweep(*, as_of: date | None = None, dry_run: bool = False) -> list[RuleResult] | None:
    """Anonymise what each rule says is due on as_of (today by default). With dry_run, only count.
    Safe to repeat (what is anonymised is no longer due) and in two workers at once: a second sweep
    while one runs returns None and does nothing."""
    as_of = as_of or timezone.localdate()
    if dry_run:
        return [RuleResult(rule, rule.due(cutoff_for(rule, as_of)).count()) for rule in retention_rules()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK])
        if not cursor.fetchone()[0]:
            return None
    try:
        results = []
        for rule in retention_rules():
            started = timezone.now()
            result = RuleResult(rule, 0)
            for record in rule.due(cutoff_for(rule, as_of)).order_by("pk").iterator(chunk_size=200):
                # Each record in its own transaction: a failure leaves the others done.
                rows = rule.anonymise(record)
                if rows:
                    result.records += 1
                    result.rows += rows
            RetentionRun.objects.create(
                rule=rule.code, as_of=as_of, started_at=started, records=result.records, rows=result.rows
            )
            results.append(result)
        return results
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])


def last_runs() -> dict[str, RetentionRun]:
    """Each rule's latest run (one query: DISTINCT ON, served by retentionrun_rule_latest)."""
    runs = RetentionRun.objects.order_by("rule", "-started_at", "-pk").distinct("rule")
    return {run.rule: run for run in runs}


def subject_access(*, handle: str, platform: str | None, by=None, how: str) -> list[Found]:
    """Everything every app holds about the member of the public with this handle. The request is
    logged (who, when, how); the handle and the answer are not kept."""
    found = [section for finder in subject_access_finders() for section in finder(handle, platform)]
    with transaction.atomic():
        SubjectAccessRequest.objects.create(asked_by=by, how=how, sections=len(found))
    return found


def as_json(found: list[Found]) -> dict:
    return {
        "sections": [
            {
                "section": s.section,
                "items": s.items,
                "files": [{"name": name, "sha256": sha} for name, _, sha in s.files],
            }
            for s in found
        ]
    }
