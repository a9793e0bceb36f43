"""The one path by which personal data leaves a record and its audit trail.

The audit trail is append-only in the database (core.history, core migration 0002). A redaction
first writes a core.models.Redaction row (what kind of data, from which record, when, by whom, under
which rule, never the data), and only in that transaction may the trail's rows change, and only by
replacing values, or parts of a text, with MARKER. The database refuses anything else, whoever asks.

    redact(
        record=draft,
        fields=["text"],
        secrets=["07700 900123"],          # None: the fields' whole values go
        copies=[Copy(draft.revisions.all(), ["text"]), Copy(draft.events.all(), ["comment"])],
        kind="a phone number", rule="request", reason="The resident asked", by=comms_user,
    )
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pghistory.models
from django.apps import apps
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from core.models import Redaction

MARKER = "[removed]"


@dataclass(frozen=True)
class Copy:
    """Other rows holding the same data: a draft's revisions, a log's comments, an unsent email."""

    rows: models.QuerySet
    fields: list[str]


def removed(value, secrets: Iterable[str] | None):
    """The value with each secret (longest first) replaced by MARKER, looking inside JSON; with
    secrets=None, the whole value (an empty value stays empty)."""
    if value in (None, ""):
        return value
    if secrets is None:
        return MARKER if isinstance(value, str) else _whole(value)
    if isinstance(value, str):
        for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
            value = value.replace(secret, MARKER)
        return value
    if isinstance(value, dict):
        return {key: removed(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [removed(item, secrets) for item in value]
    return value


def _whole(value):
    if isinstance(value, dict):
        return {key: _whole(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole(item) for item in value]
    return MARKER if isinstance(value, str) else value


def history_of(record: models.Model) -> list[models.QuerySet]:
    """The audit-trail rows (pghistory events) that snapshot this record."""
    found = []
    for model in apps.get_models():
        if (
            issubclass(model, pghistory.models.Event)
            and getattr(model, "pgh_tracked_model", None) is type(record)
            and model._meta.managed
        ):
            found.append(model._default_manager.filter(pgh_obj_id=record.pk))
    return found


def redact(
    *,
    record: models.Model,
    fields: list[str],
    secrets: Iterable[str] | None,
    kind: str,
    rule: str,
    reason: str,
    by=None,
    copies: Iterable[Copy] = (),
) -> Redaction | None:
    """Remove the data from the record's fields, the same fields of its audit trail, and the copies.
    Returns the Redaction recorded, or None when there was nothing left to remove (safe to repeat)."""
    secrets = None if secrets is None else [s for s in secrets if s]
    targets = [Copy(type(record)._default_manager.filter(pk=record.pk), fields)]
    targets += [Copy(rows, [f for f in fields if _has_field(rows.model, f)]) for rows in history_of(record)]
    targets += list(copies)
    with transaction.atomic():
        plan = []
        for target in targets:
            if not target.fields:
                continue
            for row in target.rows.select_for_update().order_by("pk"):
                changed = {}
                for name in target.fields:
                    old = getattr(row, name)
                    if isinstance(old, FieldFile):  # the file itself is the caller's to delete
                        old = old.name
                    new = removed(old, secrets)
                    if new != old:
                        changed[name] = new
                if changed:
                    plan.append((target.rows.model, row.pk, changed))
        if not plan:
            return None
        redaction = Redaction.objects.create(
            by=by,
            rule=rule,
            reason=reason,
            kind=kind,
            record=record._meta.label_lower,
            record_id=str(record.pk),
            fields=list(fields),
            rows=len(plan),
        )
        for model, pk, changed in plan:
            # .update(): no save() side effects, and no version bump for what is not an edit.
            model._default_manager.filter(pk=pk).update(**changed)
    return redaction


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True
