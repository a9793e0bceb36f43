"""Reading drafts and messages: who may see what, the queues, and what a reviewer is shown."""

import difflib
import re

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts_registry.models import Account
from content_review.models import Draft, InboundMessage, ReviewerAssignment
from organisation.models import Role, User

PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")


def accounts_drafted_by(user: User) -> QuerySet[Account]:
    accounts = Account.objects.open()
    if user.has_role(Role.COMMS):
        return accounts
    return accounts.filter(Q(responsible_officer=user) | Q(deputy=user))


def accounts_reviewed_by(user: User) -> QuerySet[Account]:
    if user.has_role(Role.COMMS):
        return Account.objects.all()
    assignments = ReviewerAssignment.objects.filter(person=user)
    return Account.objects.filter(
        Q(pk__in=assignments.filter(account__isnull=False).values("account"))
        | Q(service_area__in=assignments.filter(service_area__isnull=False).values("service_area"))
    )


def _account_scope(user: User) -> Q:
    if user.has_role(Role.COMMS, Role.AUDITOR):
        return Q()
    scope = Q(account__in=accounts_drafted_by(user)) | Q(account__in=accounts_reviewed_by(user))
    if user.has_role(Role.HEAD_OF_SERVICE):
        scope |= Q(account__service_area__head_of_service=user)
        if user.service_area_id:
            scope |= Q(account__service_area=user.service_area_id)
    return scope


def drafts_visible_to(user: User) -> QuerySet[Draft]:
    if user.has_role(Role.COMMS, Role.AUDITOR):
        return Draft.objects.all()  # (an empty Q() ORed with another is not "everything")
    return Draft.objects.filter(_account_scope(user) | Q(author=user)).distinct()


def messages_visible_to(user: User) -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(_account_scope(user)).distinct()


def review_queue(user: User) -> QuerySet[Draft]:
    """Submitted drafts this person may decide: never their own."""
    return (
        Draft.objects.awaiting_review()
        .filter(account__in=accounts_reviewed_by(user))
        .exclude(author=user)
        .select_related("account", "author", "inbound_message", "account__service_area")
    )


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change between two texts, word by word: a list of (op, text), op one of =, +, -."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", "".join(b[j1:j2])))
    return out


def departure_from(standard: str, text: str) -> int:
    """How far a reply departs from its standard response: the percentage of words changed."""
    ratio = difflib.SequenceMatcher(a=standard.split(), b=text.split(), autojunk=False).ratio()
    return round((1 - ratio) * 100)


def unfilled_placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def due_status(message: InboundMessage, now=None) -> str:
    now = now or timezone.now()
    if not message.is_open:
        return "done"
    if message.due_at < now:
        return "overdue"
    if message.due_at - now <= settings.CONTENT_DUE_SOON:
        return "due_soon"
    return "on_time"
