"""Moving a record along its state graph, the one way every app does it: lock the row, check the move
(the state allows it, the person may: the app's actions policy), make it, save, and append the event
row that says who moved it, when, from what, to what and why.

    with moving(draft, "approve", by=reviewer, policy=DRAFT_ACTIONS, log=DraftEvent) as step:
        if blocking_findings(step.record):            # more checks on the locked record
            raise ValidationError("…")
        step.event["revision"] = step.record.latest_revision   # more fields for the event row
    return step.record

or, when nothing more is needed, `move(account, "approve", by=comms, policy=…, log=…)`.
Two people acting at once: the second waits for the first's lock, then finds the state moved on and
is told so (a ValidationError), never a second move.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django_fsm import can_proceed

from core.actions import Policy, can_move


@dataclass
class Step:
    record: models.Model
    before: str
    event: dict = field(default_factory=dict)  # extra fields for the event row
    logged: models.Model | None = None


def _log_field(log: type[models.Model], model: type[models.Model]) -> str:
    for f in log._meta.get_fields():
        if f.many_to_one and f.related_model is model:
            return f.name
    raise LookupError(f"{log.__name__} has no foreign key to {model.__name__}")


@contextmanager
def moving(
    record: models.Model,
    transition: str,
    *,
    by,
    policy: Policy | None = None,
    rule: str | None = None,
    log: type[models.Model] | None = None,
    action: str | None = None,
    comment: str = "",
    select_related: tuple[str, ...] = (),
) -> Iterator[Step]:
    """`rule`: the policy's rule that covers this move (default: the transition's name); by=None is
    the system (a scheduled sweep), which the policy does not check. `action` names the event row's
    action when it differs from the transition's name."""
    with transaction.atomic():
        model = type(record)
        locked = (
            model._default_manager.select_for_update(of=("self",))
            .select_related(*select_related)
            .get(pk=record.pk)
        )
        if policy is not None and by is not None:
            policy.recheck(rule or transition, locked, by)
        move = getattr(locked, transition)
        if not can_proceed(move):
            reason = can_move(transition)(locked)
            raise ValidationError(f"{reason} Someone may have just changed it: reload the page to see.")
        step = Step(record=locked, before=locked.status)
        move()
        yield step
        if hasattr(locked, "version"):
            locked.version += 1
        locked.save()
        if log is not None:
            step.logged = log.objects.create(
                **{_log_field(log, model): locked},
                actor=by,
                action=action or transition,
                comment=comment,
                **_status_fields(log, step.before, locked.status),
                **step.event,
            )


def _status_fields(log: type[models.Model], before: str, after: str) -> dict:
    names = {f.name for f in log._meta.get_fields()}
    return {"from_status": before, "to_status": after} if {"from_status", "to_status"} <= names else {}


def move(record: models.Model, transition: str, **kwargs) -> Step:
    """`moving` with nothing more to check or record."""
    with moving(record, transition, **kwargs) as step:
        pass
    return step
