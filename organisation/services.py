"""The only ways people's roles and leaving change: used by the web pages, the admin and the HR import."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from organisation.models import Role, User, role_group


def person_set_roles(*, person: User, roles: Iterable[str]) -> None:
    """Give the person exactly these roles. Communications staff get the Django admin too."""
    wanted = {Role(r) for r in roles}
    with transaction.atomic():
        person.groups.set([role_group(r) for r in wanted])
        is_staff = Role.COMMS in wanted
        if person.is_staff != is_staff:
            person.is_staff = is_staff
            person.save(update_fields=["is_staff"])
    person.__dict__.pop("_role_names", None)


def person_mark_left(*, person: User, left_on: date, by: User | None) -> User:
    """Record that the person has left the council: they can no longer sign in, and everything
    they were responsible for is listed for handover."""
    if by is not None and not by.has_perm("organisation.mark_left"):
        raise PermissionDenied("Only the Communications team can mark people as having left.")
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": "The date they left must be today or in the past."})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if locked.left_on is not None:
            raise ValidationError(
                f"{locked} was already marked as having left on {locked.left_on:%-d %B %Y}."
            )
        locked.left_on = left_on
        locked.is_active = False
        locked.save(update_fields=["left_on", "is_active"])
    return locked


def person_mark_returned(*, person: User, by: User | None) -> User:
    """Undo "left": for a mistaken entry or someone who came back."""
    if by is not None and not by.has_perm("organisation.mark_left"):
        raise PermissionDenied("Only the Communications team can change this.")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        locked.left_on = None
        locked.is_active = True
        locked.save(update_fields=["left_on", "is_active"])
    return locked


def sign_in_records_purge(*, now: datetime | None = None) -> dict[str, int]:
    """The sign-in log (every sign-in, failure and lock-out, with the address and browser) is kept
    SIGN_IN_LOG_RETENTION_DAYS; a session is deleted once it has expired. Returns what was deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIGN_IN_LOG_RETENTION_DAYS)
    deleted = {}
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        # attempt_time is indexed for this (organisation migration 0003).
        deleted[model._meta.label] = model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted["sessions"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    return deleted
