"""The only ways people's roles and leaving change: used by the web pages, the admin and the HR import."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.workflow import moving
from notifications.services import notification_queue
from organisation.models import PRIVILEGED_ROLES, Role, RoleGrant, User, role_group
from organisation.permissions import ROLE_GRANT_ACTIONS


def person_set_roles(*, person: User, roles: Iterable[str]) -> None:
    """Give the person exactly these roles, Communications and Auditor included, with nobody's
    confirmation: only for what runs on the server (create_comms_user, demo data, a confirmed
    RoleGrant). People change roles through person_change_roles. Communications staff get the
    Django admin too."""
    wanted = {Role(r) for r in roles}
    with transaction.atomic():
        person.groups.set([role_group(r) for r in wanted])
        is_staff = Role.COMMS in wanted
        if person.is_staff != is_staff:
            person.is_staff = is_staff
            person.save(update_fields=["is_staff"])
    person.forget_roles()


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


def person_change_roles(*, person: User, roles: Iterable[str], by: User) -> list[RoleGrant]:
    """Roles as a member of the Communications team sets them (in the admin). Other roles change at
    once, and any role can be taken away; giving the Communications or Auditor role becomes a request
    that a second member confirms. Returns the requests made."""
    if not by.has_perm("organisation.change_user"):
        raise PermissionDenied("Only the Communications team can change people's roles.")
    wanted = {Role(r) for r in roles}
    asked = (wanted - {Role(r) for r in person.role_names}) & PRIVILEGED_ROLES
    person_set_roles(person=person, roles=wanted - asked)
    already = set(RoleGrant.objects.pending().filter(person=person).values_list("role", flat=True))
    reason = "Asked for in the administration's person form."
    return [
        role_grant_request(person=person, role=role, by=by, reason=reason) for role in sorted(asked - already)
    ]


def role_grant_request(*, person: User, role: str, by: User, reason: str) -> RoleGrant:
    """Ask for the person to be given the Communications or Auditor role. Nothing changes until a
    different member of the Communications team confirms it; they are all told by email."""
    if not by.has_perm("organisation.request_rolegrant"):
        raise PermissionDenied("Only the Communications team can ask for these roles to be given.")
    if role not in PRIVILEGED_ROLES:
        raise ValidationError({"role": "Only the Communications and Auditor roles need a second person."})
    if person.has_left:
        raise ValidationError(f"{person} has left the council.")
    if role in person.role_names:
        raise ValidationError({"role": f"{person} already has the {Role(role).label} role."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why they need the role."})
    with transaction.atomic():
        if RoleGrant.objects.pending().filter(person=person, role=role).exists():
            raise ValidationError({"role": "This is already waiting for a second person."})
        grant = RoleGrant.objects.create(person=person, role=role, reason=reason.strip(), requested_by=by)
        deciders = (
            User.objects.current()
            .with_role(Role.COMMS)
            .filter(is_active=True)
            .exclude(pk__in=[by.pk, person.pk])
            .order_by("pk")
        )
        notification_queue(
            recipients=deciders,
            subject=f"Please confirm or refuse: {grant}",
            template="organisation/email/role_grant_requested.txt",
            context={"grant": grant},
        )
    return grant


def _decide(grant: RoleGrant, by: User, move: str, comment: str) -> RoleGrant:
    with moving(
        grant, move, by=by, policy=ROLE_GRANT_ACTIONS, rule="decide", select_related=("person",)
    ) as step:
        locked = step.record
        locked.decided_by, locked.decided_at, locked.comment = by, timezone.now(), comment.strip()
        if move == "confirm":
            person_set_roles(person=locked.person, roles=locked.person.role_names | {locked.role})
    return locked


def role_grant_confirm(*, grant: RoleGrant, by: User, comment: str = "") -> RoleGrant:
    """A second member of the Communications team confirms: the person gets the role now."""
    return _decide(grant, by, "confirm", comment)


def role_grant_refuse(*, grant: RoleGrant, by: User, comment: str) -> RoleGrant:
    """A second member of the Communications team refuses, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": "Say why you are refusing it."})
    return _decide(grant, by, "refuse", comment)
