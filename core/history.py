"""Reading the audit trail (django-pghistory events) of a record as people read it:
who, when, what changed."""

from dataclasses import dataclass, field
from datetime import datetime

import pghistory.models
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime

from core.contributions import governed_models
from core.templatetags.dates import govuk_date, govuk_datetime


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str
    record: str
    changes: list[Change] = field(default_factory=list)


# The records whose history Comms and auditors read are those the apps declare as governed
# (core.contributions). Anything else (survey answers, emails, groups) is not shown, even to them, and
# its history never appears inside these records' pages either.

LABELS = {
    "insert": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "role.added": "Role added",
    "role.removed": "Role removed",
}


def _display(model: type[models.Model] | None, name: str, value, lookups: dict) -> tuple[str, str]:
    if model is None:
        return name.replace("_", " "), "" if value is None else str(value)
    try:
        f = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return name.replace("_", " "), "" if value is None else str(value)
    label = str(getattr(f, "verbose_name", name)).capitalize()
    if value is None or value == "":
        return label, "(none)"
    if f.is_relation and f.related_model is not None:
        return label, lookups.get((f.related_model, value), f"#{value}")
    if getattr(f, "choices", None):
        return label, str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return label, "Yes" if value else "No"
    if isinstance(f, models.DateTimeField):
        return label, govuk_datetime(parse_datetime(value)) if parse_datetime(str(value)) else str(value)
    if isinstance(f, models.DateField):
        return label, govuk_date(parse_date(value)) if parse_date(str(value)) else str(value)
    return label, str(value)


def history_for(obj: models.Model, limit: int = 200) -> list[HistoryEntry]:
    """Events of this record and of the rows that point at it (role memberships, say), newest first.
    Related names are resolved in one query per related model, not one per value."""
    events = list(
        pghistory.models.Events.objects.references(obj).order_by("-pgh_created_at", "-pgh_id")[:limit]
    )

    tracked = {}
    wanted: dict[type[models.Model], set] = {}
    User = get_user_model()
    kept = []
    governed = governed_models()
    for event in events:
        event_model = pghistory.models.Events._meta.apps.get_model(event.pgh_model)
        tracked_model = getattr(event_model, "pgh_tracked_model", None)
        if tracked_model is None or tracked_model._meta.label_lower not in governed:
            continue
        kept.append(event)
        tracked[event.pk, event.pgh_model] = tracked_model
        user_id = (event.pgh_context or {}).get("user")
        if user_id:
            wanted.setdefault(User, set()).add(user_id)
        for name, value in (event.pgh_data or {}).items():
            if tracked_model is None or value in (None, ""):
                continue
            try:
                f = tracked_model._meta.get_field(name.removesuffix("_id"))
            except FieldDoesNotExist:  # a column the model no longer has
                continue
            if f.is_relation and f.related_model is not None:
                wanted.setdefault(f.related_model, set()).add(value)
    events = kept
    lookups = {}
    for model, ids in wanted.items():
        for related in model._default_manager.filter(pk__in=ids):
            lookups[model, related.pk] = str(related)

    entries = []
    for event in events:
        tracked_model = tracked[event.pk, event.pgh_model]
        context = event.pgh_context or {}
        who = lookups.get((User, context.get("user")), "The system" if not context.get("user") else "Unknown")
        entry = HistoryEntry(
            when=event.pgh_created_at,
            who=who,
            what=LABELS.get(event.pgh_label, event.pgh_label.replace(".", " ").capitalize()),
            record=str(tracked_model._meta.verbose_name).capitalize() if tracked_model else event.pgh_model,
        )
        if event.pgh_diff:
            for name, (old, new) in event.pgh_diff.items():
                label, old_text = _display(tracked_model, name, old, lookups)
                _, new_text = _display(tracked_model, name, new, lookups)
                entry.changes.append(Change(label, old_text, new_text))
        elif event.pgh_label != "update":
            for name, value in (event.pgh_data or {}).items():
                if name in {"id", "pgh_obj"}:
                    continue
                label, text = _display(tracked_model, name, value, lookups)
                entry.changes.append(Change(label, "", text))
        if event.pgh_label == "update" and not entry.changes:
            continue
        entries.append(entry)
    entries += _redactions(obj)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _redactions(obj: models.Model) -> list[HistoryEntry]:
    """Personal data removed from the record (core.redaction): by whom, when and why, never what."""
    from core.models import Redaction

    found = Redaction.objects.filter(record=obj._meta.label_lower, record_id=str(obj.pk)).select_related("by")
    return [
        HistoryEntry(
            when=r.created_at,
            who=str(r.by) if r.by else "The retention sweep",
            what="Personal data removed",
            record=str(obj._meta.verbose_name).capitalize(),
            changes=[Change("What", "", r.kind), Change("Because", "", r.reason)],
        )
        for r in found
    ]


# ---------------------------------------------------------------------------------------------------
# Append-only, in the database. Every audit-trail table (pghistory's event tables) and every workflow
# log an app marks with @append_only gets the core_append_only trigger (core migration 0002): no
# deletes, and no changes except through the redaction path (core.redaction).

_append_only: set[str] = set()


def append_only(model: type[models.Model]) -> type[models.Model]:
    """Class decorator for a workflow log (a draft's events, an account's status changes)."""
    _append_only.add(model._meta.label_lower)
    return model


def append_only_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and (issubclass(model, pghistory.models.Event) or model._meta.label_lower in _append_only)
    ]


def install_append_only_triggers(using: str = "default", **kwargs) -> None:
    """After every migrate (a post_migrate receiver): the trigger on every append-only table."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        for model in append_only_models():
            table = model._meta.db_table
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER core_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION core_append_only()"
            )
