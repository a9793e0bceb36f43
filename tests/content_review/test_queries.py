"""Every content list and record page makes the same number of queries however much is on it, and
nobody who sees everything pays for a DISTINCT."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content_review import services
from content_review.models import D, Draft, DraftImage, InboundMessage, NoReplyReason
from content_review.permissions import can_see_draft, fetched_for
from tests.factories import (
    AccountFactory,
    DraftFactory,
    InboundMessageFactory,
    ReviewerAssignmentFactory,
    StandardResponseFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"content:{name}", args=args)


@pytest.fixture
def accounts(people, service_area, other_service_area):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    return [
        AccountFactory(service_area=area, responsible_officer=people["officer"])
        for area in (service_area, other_service_area, service_area)
    ]


def some_drafts(accounts, n: int = 12) -> None:
    for i in range(n):
        account = accounts[i % len(accounts)]
        message = InboundMessageFactory(account=account) if i % 2 else None
        status = [D.DRAFT, D.SUBMITTED, D.APPROVED, D.PUBLISHED][i % 4]
        DraftFactory(account=account, status=status, inbound_message=message, urgent=status == D.PUBLISHED)


@pytest.mark.parametrize(
    ("persona", "query"),
    [("officer", {}), ("officer", {"all": 1}), ("comms", {"urgent": 1}), ("head_of_service", {"all": 1})],
)
def test_my_drafts(clients, accounts, assert_flat_queries, persona, query):
    some_drafts(accounts, 4)
    assert_flat_queries(
        lambda: clients[persona].get(url("mine"), query), lambda: some_drafts(accounts), at_most=10
    )


@pytest.mark.parametrize("persona", ["comms", "reviewer"])
def test_the_review_queue(clients, accounts, assert_flat_queries, persona):
    some_drafts(accounts, 8)
    assert_flat_queries(lambda: clients[persona].get(url("queue")), lambda: some_drafts(accounts), at_most=10)


def more_messages(people, accounts) -> None:
    now = timezone.now()
    for account in accounts:
        InboundMessageFactory(account=account)
        InboundMessageFactory(account=account, due_at=now - datetime.timedelta(hours=2))
        InboundMessageFactory(account=account, replied_at=now)
        InboundMessageFactory(
            account=account, closed_at=now, closed_by=people["officer"], closed_code=NoReplyReason.SPAM
        )
        InboundMessageFactory(
            account=account, hidden_at=now, hidden_by=people["comms"], hidden_reason="Abuse."
        )


@pytest.mark.parametrize("persona", ["comms", "officer", "head_of_service"])
def test_the_inbox(clients, people, accounts, assert_flat_queries, persona):
    InboundMessageFactory(account=accounts[0])
    assert_flat_queries(
        lambda: clients[persona].get(url("inbox")), lambda: more_messages(people, accounts), at_most=6
    )


def test_standard_responses(clients, assert_flat_queries):
    StandardResponseFactory()

    def grow():
        for n in range(10):
            StandardResponseFactory(tags=["bins", f"tag{n}"], is_active=n % 3 > 0)

    assert_flat_queries(lambda: clients["officer"].get(url("responses")), grow, at_most=8)


def test_the_draft_page_stays_flat_as_its_history_grows(clients, people, accounts, assert_flat_queries):
    """It was 10 queries with 2 events and 20 with 12: the template read the events again. (13: the
    record of personal data removed from it, core.models.Redaction, is one query. 9: the person's roles
    and Django permissions are one query, and whether they may see the draft comes from its fetch.)"""
    officer, reviewer = people["officer"], people["reviewer"]
    standard = StandardResponseFactory(body="Hi [name], thank you.")
    message = InboundMessageFactory(account=accounts[0])
    draft = services.draft_create(
        by=officer,
        account=accounts[0],
        inbound_message=message,
        standard_response=standard,
        text="Hi Jo, thanks.",
    )
    services.draft_submit(draft=draft, by=officer)

    def grow():
        for n in range(2, 5):
            services.draft_request_changes(
                draft=draft, by=reviewer, revision_number=n - 1, comment=f"Round {n - 1}: shorter."
            )
            draft.refresh_from_db()
            services.draft_update(draft=draft, by=officer, version=draft.version, text=f"Hi Jo, thanks {n}.")
            DraftImage.objects.create(draft=draft, image=f"drafts/{n}.png", alt_text=f"Picture {n}")
            services.draft_submit(draft=draft, by=officer)
            for who in ("comms", "head_of_service", "officer"):
                services.draft_comment(draft=draft, by=people[who], comment=f"Noted by {who}.")

    for client in (clients["reviewer"], clients["officer"], clients["auditor"]):
        assert_flat_queries(lambda c=client: c.get(url("detail", draft.pk)), lambda: None, at_most=9)
    assert_flat_queries(lambda: clients["reviewer"].get(url("detail", draft.pk)), grow, at_most=9)


@pytest.mark.parametrize("page", ["reply", "message"])
def test_the_reply_page_and_the_message_page(clients, people, accounts, assert_flat_queries, page):
    message = InboundMessageFactory(account=accounts[0])

    def grow():
        for _ in range(5):
            StandardResponseFactory()
            DraftFactory(account=accounts[0], inbound_message=message, status=D.WITHDRAWN)
        services.inbound_hide(message=message, by=people["officer"], reason="Offensive language.")

    assert_flat_queries(lambda: clients["officer"].get(url(page, message.pk)), grow, at_most=10)


def test_nobody_who_sees_everything_pays_for_distinct_and_nobody_else_needs_it(clients, people, accounts):
    """Issue 16: the messages list sorted every row for a DISTINCT. The scope is written with
    subqueries, so no row can come twice, for anyone."""
    more_messages(people, accounts)
    some_drafts(accounts)
    for persona in ("comms", "auditor", "officer", "reviewer", "head_of_service"):
        for page, query in [("inbox", {}), ("mine", {"all": 1}), ("queue", {})]:
            with CaptureQueriesContext(connection) as run:
                assert clients[persona].get(url(page), query).status_code == 200
            sql = " ".join(q["sql"] for q in run.captured_queries)
            assert "DISTINCT" not in sql, (persona, page)
    for persona in ("comms", "officer", "head_of_service", "reviewer"):
        for visible in (
            InboundMessage.objects.visible_to(people[persona]),
            Draft.objects.visible_to(people[persona]),
        ):
            assert visible.count() == len(set(visible.values_list("pk", flat=True))) > 0, persona


def test_the_draft_page_does_not_ask_again_whether_its_reader_may_see_it(people, accounts):
    """can_see_draft answers from the draft's fetch for its reader (the page's `comment` check), and
    asks the database for anyone else, or for a draft fetched afresh (a service's recheck)."""
    officer, outsider = people["officer"], people["outsider"]
    draft = DraftFactory(account=accounts[0], author=officer)
    fetched = fetched_for(Draft.objects.visible_to(officer).get(pk=draft.pk), officer)
    afresh = Draft.objects.get(pk=draft.pk)
    officer.role_names, outsider.role_names  # noqa: B018  (loaded before counting)
    with CaptureQueriesContext(connection) as asked:
        assert can_see_draft(officer, fetched)
    assert len(asked) == 0
    with CaptureQueriesContext(connection) as asked:
        assert not can_see_draft(outsider, fetched)
        assert can_see_draft(officer, afresh)
    assert len(asked) == 2
