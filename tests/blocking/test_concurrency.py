"""Two Communications people deciding one referral at once, on real PostgreSQL: exactly one decision."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from blocking import services
from blocking.models import Block, Outcome, Referral, ReferralEvent
from organisation.models import Role
from tests.factories import PersonFactory


@pytest.mark.django_db(transaction=True)
def test_two_people_deciding_at_once_end_with_exactly_one_decision(people, refer):
    referral = refer(["abuse"])
    other = PersonFactory(roles=[Role.COMMS])
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def act(name: str, decide) -> None:
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
                "block",
                lambda: services.referral_decide(
                    referral=referral, by=people["comms"], outcome=Outcome.BLOCK, reason="Abuse."
                ),
            ),
        ),
        threading.Thread(
            target=act,
            args=(
                "warn",
                lambda: services.referral_decide(
                    referral=referral, by=other, outcome=Outcome.WARN, reason="Warn."
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    [decision] = ReferralEvent.objects.filter(referral=referral, action="decide")
    winner = "block" if decision.outcome == Outcome.BLOCK else "warn"
    loser = "warn" if winner == "block" else "block"
    assert isinstance(outcomes[winner], Referral), outcomes
    assert isinstance(outcomes[loser], ValidationError), outcomes
    assert "Someone may have just changed it" in str(outcomes[loser])
    assert Referral.objects.get(pk=referral.pk).outcome == decision.outcome
    assert Block.objects.count() == (1 if winner == "block" else 0)


@pytest.mark.django_db
def test_the_database_refuses_a_second_decision_on_a_referral(people, refer):
    referral = services.referral_decide(
        referral=refer(), by=people["comms"], outcome=Outcome.WARN, reason="x"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralEvent.objects.create(
            referral=referral, actor=people["comms"], action="decide", to_status="decided", outcome="block"
        )
    # Other events on the same referral are fine.
    ReferralEvent.objects.create(
        referral=referral, actor=people["comms"], action="evidence", to_status="decided"
    )


@pytest.mark.django_db
def test_the_logs_are_append_only(people, refer):
    referral = refer()
    event = referral.events.get()
    with (
        pytest.raises(Exception, match=r"audit trail cannot be (changed|deleted)"),
        transaction.atomic(),
    ):
        ReferralEvent.objects.filter(pk=event.pk).update(comment="changed")
