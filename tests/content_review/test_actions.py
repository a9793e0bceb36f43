"""One answer to who sees a draft or message and what a person may do next with it: the drifts the
seams issue found, each closed, and refusals in words."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts_registry.models import AccountStatus
from content_review import services
from content_review.models import D, Draft, InboundMessage, accounts_drafted_by
from content_review.permissions import DRAFT_ACTIONS, may_draft_for
from core.actions import Refused
from tests.conftest import PERSONAS
from tests.factories import AccountFactory, DraftFactory, InboundMessageFactory, ReviewerAssignmentFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"content:{name}", args=args)


def test_who_drafts_for_an_account_is_one_answer_in_every_status(people, service_area):
    accounts = [
        AccountFactory(status=status, service_area=service_area, responsible_officer=people["officer"])
        for status in AccountStatus.values
    ]
    for persona in PERSONAS:
        offered = set(accounts_drafted_by(people[persona]).values_list("pk", flat=True))
        allowed = {a.pk for a in accounts if may_draft_for(people[persona], a)}
        assert offered == allowed, persona
    assert {a.status for a in accounts if may_draft_for(people["officer"], a)} == {
        "approved",
        "active",
        "dormant",
        "closing",
    }


@pytest.mark.parametrize("status", ["requested", "rejected", "closed"])
def test_nobody_drafts_or_records_messages_on_an_account_that_is_not_open(people, service_area, status):
    account = AccountFactory(status=status, service_area=service_area, responsible_officer=people["officer"])
    for persona in ("officer", "comms"):
        with pytest.raises(PermissionDenied):
            services.draft_create(by=people[persona], account=account, text="Hello.")
    assert not Draft.objects.exists()


def test_a_requested_account_is_neither_offered_nor_accepted_by_the_form(clients, people, service_area):
    requested = AccountFactory(
        status="requested", service_area=service_area, responsible_officer=people["officer"]
    )
    AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    page = clients["officer"].get(url("new")).content.decode()
    assert requested.display_name not in page
    clients["officer"].post(url("new"), {"account": requested.pk, "text": "Hello."})
    assert not Draft.objects.exists()


def test_a_message_on_an_account_that_is_not_open_cannot_be_replied_to(clients, people, service_area):
    account = AccountFactory(
        status="closed", service_area=service_area, responsible_officer=people["officer"]
    )
    message = InboundMessageFactory(account=account)
    page = clients["comms"].get(url("reply", message.pk))
    assert page.status_code == 403 and "nothing more is posted on it" in page.content.decode()


@pytest.fixture
def submitted(people, service_area):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    return DraftFactory(account=account, author=people["comms"], status=D.SUBMITTED)


def test_an_author_trying_to_approve_is_told_authors_never_approve_their_own(clients, people, submitted):
    submitted.revisions.create(number=1, text=submitted.text, submitted_by=people["comms"])
    page = clients["comms"].get(url("decide", submitted.pk))
    assert page.status_code == 403
    assert "Authors never approve their own drafts" in page.content.decode()
    with pytest.raises(Refused, match="Authors never approve their own drafts"):
        services.draft_approve(draft=submitted, by=people["comms"], revision_number=1)


def test_auditors_are_not_offered_the_comment_box_and_are_told_why(clients, submitted):
    page = clients["auditor"].get(url("detail", submitted.pk)).content.decode()
    assert "Add a comment" not in page and 'data-action="comment"' not in page
    refused = clients["auditor"].post(url("comment", submitted.pk), {"comment": "Noted."})
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Auditors read the trail; they do not add to it." in body
    assert "does not let you see this page" not in body
    assert not submitted.events.exists()


def test_the_withdraw_link_is_offered_to_those_the_service_lets_withdraw(clients, people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    draft = DraftFactory(account=account, author=people["officer"])
    for persona, offered in [
        ("officer", True),
        ("comms", True),
        ("head_of_service", False),
        ("auditor", False),
    ]:
        page = clients[persona].get(url("detail", draft.pk)).content.decode()
        assert ('data-action="withdraw"' in page) is offered, persona
        assert (clients[persona].get(url("withdraw", draft.pk)).status_code == 200) is offered, persona


def test_every_refusal_of_every_draft_action_is_a_sentence(people, submitted):
    for persona in PERSONAS:
        for name in DRAFT_ACTIONS.rules:
            refused = DRAFT_ACTIONS.refusal(name, submitted, people[persona])
            if refused:
                reason = refused[1]
                assert reason[0].isupper() and reason.endswith("."), (persona, name, reason)


def test_who_sees_a_message_is_who_sees_its_account_drafts(people, service_area, other_service_area):
    ours = InboundMessageFactory(account=AccountFactory(service_area=service_area))
    theirs = InboundMessageFactory(account=AccountFactory(service_area=other_service_area))
    seen = {
        persona: set(InboundMessage.objects.visible_to(people[persona]).values_list("pk", flat=True))
        for persona in PERSONAS
    }
    assert seen == {
        "comms": {ours.pk, theirs.pk},
        "auditor": {ours.pk, theirs.pk},
        "head_of_service": {ours.pk},
        "officer": set(),
        "reviewer": set(),
        "councillor": set(),
        "outsider": set(),
    }
