"""What the background exports hold: drafts with their review decisions, and the audit trail of a
period or of one record. Each builder returns (headers, total rows, rows): rows come from the database
in chunks, so a long export does not hold every record in memory."""

from collections.abc import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import F, FilteredRelation, Q

from dashboard.indicators import Period

MAX_ROWS = 200_000  # beyond this an export is cut short and says so in its last row
CHUNK = 2_000

DRAFT_HEADERS = [
    "Draft",
    "Kind",
    "Account",
    "Service area",
    "Author",
    "Status",
    "Created",
    "Urgent",
    "Published",
    "From a standard response",
    "Revision",
    "Submitted",
    "Decision",
    "Decided by",
    "Decided at",
    "Comment",
]
AUDIT_HEADERS = ["When", "Who", "Record", "Record id", "What", "Changes"]


def _when(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def drafts(export) -> tuple[list[str], int, Iterator[list]]:
    """One row per review decision (a draft never decided: one row without one), for drafts created
    or published in the period that the person who asked may see."""
    from content_review.models import Draft, DraftEvent

    period = Period(export.start, export.end)
    found = Draft.objects.visible_to(export.requested_by).filter(
        period.moments("created_at") | period.moments("published_at")
    )
    if export.service_area_id:
        found = found.filter(account__service_area=export.service_area_id)
    found = found.annotate(
        decision=FilteredRelation("events", condition=Q(events__action__in=DraftEvent.DECISIONS))
    ).values_list(
        "pk",
        "kind",
        "account__display_name",
        "account__service_area__name",
        F("author__first_name"),
        F("author__last_name"),
        "status",
        "created_at",
        "urgent",
        "published_at",
        "standard_response__title",
        "decision__revision__number",
        "decision__revision__submitted_at",
        "decision__action",
        "decision__actor__first_name",
        "decision__actor__last_name",
        "decision__created_at",
        "decision__comment",
    )
    found = found.order_by("pk", "decision__created_at")
    total = min(found.count(), MAX_ROWS)
    kinds, statuses = (
        dict(Draft._meta.get_field("kind").flatchoices),
        dict(Draft._meta.get_field("status").flatchoices),
    )
    actions = dict(DraftEvent.Action.choices)

    def rows():
        for n, r in enumerate(found.iterator(chunk_size=CHUNK)):
            if n >= MAX_ROWS:
                yield [f"Cut short at {MAX_ROWS:,} rows: choose a shorter period."]
                return
            yield [
                r[0],
                kinds.get(r[1], r[1]),
                r[2],
                r[3] or "",
                f"{r[4]} {r[5]}".strip(),
                statuses.get(r[6], r[6]),
                _when(r[7]),
                "Yes" if r[8] else "No",
                _when(r[9]),
                r[10] or "",
                r[11],
                _when(r[12]),
                actions.get(r[13], r[13] or ""),
                f"{r[14] or ''} {r[15] or ''}".strip(),
                _when(r[16]),
                r[17] or "",
            ]

    return DRAFT_HEADERS, total, rows()


def _governed_event_models() -> list[str]:
    from core.contributions import governed_models

    governed = governed_models()
    return [
        m._meta.label
        for m in apps.get_models()
        if getattr(m, "pgh_tracked_model", None) is not None
        and m.pgh_tracked_model._meta.label_lower in governed
    ]


def _names(user_ids) -> dict:
    User = get_user_model()
    return {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}


def _changes(event) -> str:
    if event.pgh_diff:
        return "; ".join(f"{name}: {old!s} → {new!s}" for name, (old, new) in event.pgh_diff.items())
    return "; ".join(f"{name}: {value!s}" for name, value in (event.pgh_data or {}).items() if name != "id")


def audit_period(export) -> tuple[list[str], int, Iterator[list]]:
    """Every audit-trail event of the governed records in the period (the same records the history
    pages show), oldest first."""
    import pghistory.models

    period = Period(export.start, export.end)
    events = pghistory.models.Events.objects.filter(
        period.moments("pgh_created_at"), pgh_model__in=_governed_event_models()
    ).order_by("pgh_created_at", "pgh_id")
    total = min(events.count(), MAX_ROWS)

    def rows():
        done = 0
        last = None
        while done < total:
            chunk = events
            if last is not None:
                chunk = chunk.filter(
                    Q(pgh_created_at__gt=last[0]) | Q(pgh_created_at=last[0], pgh_id__gt=last[1])
                )
            chunk = list(chunk[:CHUNK])
            if not chunk:
                return
            names = _names({(e.pgh_context or {}).get("user") for e in chunk} - {None})
            for e in chunk:
                user = (e.pgh_context or {}).get("user")
                yield [
                    _when(e.pgh_created_at),
                    names.get(user, "The system" if not user else "Unknown"),
                    e.pgh_model.split(".")[-1].removesuffix("Event").removesuffix("History"),
                    e.pgh_obj_id,
                    e.pgh_label,
                    _changes(e),
                ]
                done += 1
                if done >= total:
                    break
            last = (chunk[-1].pgh_created_at, chunk[-1].pgh_id)
        if events.count() > MAX_ROWS:
            yield [f"Cut short at {MAX_ROWS:,} rows: choose a shorter period."]

    return AUDIT_HEADERS, total, rows()


def audit_record(export) -> tuple[list[str], int, Iterator[list]]:
    """The audit trail of one governed record, as its history page shows it, oldest first."""
    from core.history import history_for

    model = apps.get_model(export.record_model)
    obj = model._default_manager.get(pk=export.record_pk)
    entries = list(reversed(history_for(obj, limit=MAX_ROWS)))

    def rows():
        for entry in entries:
            changes = "; ".join(
                f"{c.field}: {c.old} → {c.new}" if c.old else f"{c.field}: {c.new}" for c in entry.changes
            )
            yield [_when(entry.when), entry.who, entry.record, export.record_pk, entry.what, changes]

    return AUDIT_HEADERS, len(entries), rows()


BUILDERS = {"drafts": drafts, "audit_period": audit_period, "audit_record": audit_record}
