"""For every app's records in every state, as every persona: every action shown is allowed, every
allowed action is shown, and a refused one says why in words a person understands.

"Shown" is read from the record's page (`data-action="…"` on the button or link); "allowed" from
what the server does when the action's page is opened (a form page) or its button pressed (an action
that posts): 200 or 302 is allowed, 403 refused. Each request runs in a savepoint that is rolled
back, so pressing one button does not change the state the next check sees. Records a persona may not
see at all must answer 404 on their page and on every action's address.

Each app adds a case below: its policy, the records (one per state at least) and its detail page."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts_registry.models import AccountStatus
from accounts_registry.permissions import ACCOUNT_ACTIONS
from content_review.models import DraftStatus, NoReplyReason, Revision
from content_review.permissions import DRAFT_ACTIONS, MESSAGE_ACTIONS
from core.actions import Policy
from organisation.models import Role
from tests.conftest import PERSONAS
from tests.factories import (
    AccountFactory,
    DraftFactory,
    InboundMessageFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
)

pytestmark = pytest.mark.django_db

GENERIC_403 = "Your role in this service does not let you see this page"


@dataclass
class Case:
    policy: Policy
    records: Callable[[dict, object], list]  # (people, other_service_area) -> records in every state
    detail: str  # URL name of the record's page


def accounts(people, other_area) -> list:
    made = []
    for status in AccountStatus.values:
        # The officer runs some accounts; others belong to another service area entirely.
        made.append(
            AccountFactory(
                status=status,
                responsible_officer=people["officer"],
                service_area=people["officer"].service_area,
            )
        )
        made.append(AccountFactory(status=status, service_area=other_area, requested_by=people["councillor"]))
    return made


def _content_accounts(people, other_area):
    """The officer's account in their area (the reviewer reviews the area), one of another area run by
    someone who is no persona, one needing no review, and a closed one the officer used to run."""
    area = people["officer"].service_area
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=area)
    mine = AccountFactory(service_area=area, responsible_officer=people["officer"])
    elsewhere = AccountFactory(service_area=other_area)
    unreviewed = AccountFactory(
        service_area=area, responsible_officer=people["officer"], review_required=False
    )
    closed = AccountFactory(service_area=area, responsible_officer=people["officer"], status="closed")
    return mine, elsewhere, unreviewed, closed


def drafts(people, other_area) -> list:
    mine, elsewhere, unreviewed, closed = _content_accounts(people, other_area)
    officer, comms = people["officer"], people["comms"]
    made = []
    for status in DraftStatus.values:
        made.append(DraftFactory(account=mine, author=officer, status=status))
        made.append(DraftFactory(account=elsewhere, status=status))  # an author who is no persona
    for status in (DraftStatus.DRAFT, DraftStatus.SUBMITTED, DraftStatus.APPROVED):
        message = InboundMessageFactory(account=mine)
        made.append(DraftFactory(account=mine, author=officer, inbound_message=message, status=status))
    made.append(DraftFactory(account=mine, author=comms, status=DraftStatus.SUBMITTED))  # Comms wrote it
    made.append(DraftFactory(account=unreviewed, author=officer))
    made.append(DraftFactory(account=closed, author=officer))
    colleague = PersonFactory(roles=[Role.COMMS])
    for author in (comms, colleague):  # urgent posts, to be reviewed afterwards
        made.append(DraftFactory(account=mine, author=author, status=DraftStatus.PUBLISHED, urgent=True))
    for draft in made:
        if draft.status != DraftStatus.DRAFT:
            Revision.objects.create(draft=draft, number=1, text=draft.text, submitted_by=draft.author)
    return made


def messages(people, other_area) -> list:
    mine, elsewhere, _, closed = _content_accounts(people, other_area)
    now = timezone.now()
    return [
        InboundMessageFactory(account=mine),
        InboundMessageFactory(account=mine, due_at=now - datetime.timedelta(hours=1)),
        InboundMessageFactory(account=mine, replied_at=now),
        InboundMessageFactory(account=mine, closed_at=now, closed_code=NoReplyReason.SPAM),
        InboundMessageFactory(
            account=mine, hidden_at=now, hidden_by=people["officer"], hidden_reason="Abuse."
        ),
        InboundMessageFactory(account=elsewhere),
        InboundMessageFactory(account=closed),
    ]


CASES = {
    "account": Case(ACCOUNT_ACTIONS, accounts, "accounts:detail"),
    "draft": Case(DRAFT_ACTIONS, drafts, "content:detail"),
    "message": Case(MESSAGE_ACTIONS, messages, "content:message"),
}


def _press(client, rule, url):
    with transaction.atomic():
        response = client.post(url) if rule.post else client.get(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("case_name", sorted(CASES))
def test_every_action_shown_is_allowed_and_every_allowed_action_is_shown(
    case_name, people, clients, other_service_area
):
    case = CASES[case_name]
    records = case.records(people, other_service_area)
    checked = 0
    for persona in PERSONAS:
        client, user = clients[persona], people[persona]
        for record in records:
            record.refresh_from_db()
            page = client.get(reverse(case.detail, args=[record.pk]))
            if page.status_code == 404:
                for rule in case.policy.rules.values():
                    url = reverse(rule.url_name, args=[record.pk])
                    assert _press(client, rule, url).status_code == 404, (
                        f"{persona} reached {url} of an unseen record"
                    )
                continue
            assert page.status_code == 200, (persona, record, page.status_code)
            html = page.content.decode()
            for name, rule in case.policy.rules.items():
                url = reverse(rule.url_name, args=[record.pk])
                shown = f'data-action="{name}"' in html
                response = _press(client, rule, url)
                allowed = response.status_code in (200, 302)
                where = f"{persona}, {name} on {record} ({record.get_status_display()})"
                assert shown == allowed, (
                    f"{where}: shown={shown} but the server answered {response.status_code}"
                )
                if not allowed:
                    body = response.content.decode()
                    assert response.status_code == 403, where
                    reason = case.policy.refusal(name, record, user)
                    assert reason and escape(reason[1]) in body, f"{where}: the refusal does not say why"
                    assert GENERIC_403 not in body, where
                checked += 1
    assert checked > len(records)  # the walk really looked at actions
