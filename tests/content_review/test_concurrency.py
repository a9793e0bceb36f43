"""Two reviewers acting at once on real PostgreSQL: exactly one decision per revision."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from content_review import services
from content_review.models import D, Draft, DraftEvent
from organisation.models import Role
from tests.factories import AccountFactory, PersonFactory, ReviewerAssignmentFactory

A = DraftEvent.Action


def submitted_draft(people, service_area) -> Draft:
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    draft = services.draft_create(by=people["officer"], account=account, text="Bins as normal this week.")
    services.draft_submit(draft=draft, by=people["officer"])
    return draft


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_end_with_exactly_one_decision(people, service_area):
    draft = submitted_draft(people, service_area)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def act(name: str, decide) -> None:
        # Each thread has its own connection; both start deciding at the same moment.
        try:
            barrier.wait()
            outcomes[name] = decide()
        except Exception as exc:  # the test inspects whatever happened
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=act,
            args=(
                "approve",
                lambda: services.draft_approve(draft=draft, by=people["comms"], revision_number=1),
            ),
        ),
        threading.Thread(
            target=act,
            args=(
                "changes",
                lambda: services.draft_request_changes(
                    draft=draft, by=people["reviewer"], revision_number=1, comment="Say which week."
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    decisions = list(DraftEvent.objects.filter(draft=draft, action__in=DraftEvent.DECISIONS))
    assert len(decisions) == 1, outcomes
    [decision] = decisions
    winner = "approve" if decision.action == A.APPROVED else "changes"
    loser = "changes" if winner == "approve" else "approve"
    assert outcomes[winner] == decision
    assert isinstance(outcomes[loser], ValidationError), outcomes
    expected = D.APPROVED if winner == "approve" else D.CHANGES_REQUESTED
    assert Draft.objects.get(pk=draft.pk).status == expected


@pytest.mark.django_db
def test_the_database_refuses_a_second_decision_on_a_revision(people, service_area):
    draft = submitted_draft(people, service_area)
    revision = draft.revisions.get()
    other_comms = PersonFactory(roles=[Role.COMMS])
    services.draft_approve(draft=draft, by=people["comms"], revision_number=1)

    for action in DraftEvent.DECISIONS:
        with pytest.raises(IntegrityError), transaction.atomic():
            DraftEvent.objects.create(draft=draft, revision=revision, actor=other_comms, action=action)
    # The constraint is about decisions only: comments on the same revision are fine.
    DraftEvent.objects.create(draft=draft, revision=revision, actor=other_comms, action=A.COMMENTED)

    assert draft.events.filter(action__in=DraftEvent.DECISIONS).count() == 1
