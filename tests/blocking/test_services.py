"""The rules of the process, through the services: warning first, written reasons, closed accounts,
review dates, more information, retrospective blocks, appeals, and who is told."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocking import services
from blocking.models import (
    AppealStatus,
    Block,
    BlockEvent,
    BlockSource,
    BlockStatus,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from core.actions import Refused
from notifications.models import Notification
from tests.blocking.factories import AppealFactory, BlockFactory
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False)


def emails_to(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("subject", flat=True))


def test_a_referral_canonicalises_the_handle_and_tells_comms_without_personal_data(people, refer):
    referral = refer(person_handle="@Jo_Bloggs")
    assert (referral.person_handle, referral.person_key) == ("@Jo_Bloggs", "jo_bloggs")
    assert referral.person_profile_url == "https://x.com/Jo_Bloggs"
    assert referral.status == ReferralStatus.SUBMITTED
    [email] = Notification.objects.filter(recipient=people["comms"])
    assert email.subject == "New referral to decide: Northfield Bins (X (Twitter))"
    assert "Jo_Bloggs" not in email.body and "Cheap skips" not in email.body
    assert [e.action for e in referral.events.all()] == ["referred"]


def test_a_referral_for_a_closed_account_is_refused_with_a_reason(people, refer, account):
    type(account).objects.filter(pk=account.pk).update(status="closed")
    account.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        refer(account=account)
    assert "Northfield Bins (X (Twitter)) is closed: the council does not run it" in str(refused.value)
    assert not Referral.objects.exists()


def test_an_officer_refers_only_for_accounts_they_run(people, refer, other_service_area):
    theirs = AccountFactory(service_area=other_service_area)
    with pytest.raises(ValidationError, match="accounts you run or deputise on"):
        refer(account=theirs)
    assert refer(account=theirs, by=people["comms"]).account == theirs


def test_an_unreadable_handle_is_refused_on_its_field(refer):
    with pytest.raises(ValidationError) as refused:
        refer(person_handle="not a handle!")
    assert "person_handle" in refused.value.message_dict


def test_other_needs_a_description(refer):
    with pytest.raises(ValidationError) as refused:
        refer(["other"])
    assert refused.value.message_dict == {"category_other": ["Describe the other behaviour."]}


def test_a_decision_needs_a_written_reason(people, refer):
    referral = refer()
    with pytest.raises(ValidationError, match="Give the reason"):
        services.referral_decide(referral=referral, by=people["comms"], outcome=Outcome.WARN, reason="  ")
    assert Referral.objects.get().status == ReferralStatus.SUBMITTED


def test_warning_first_a_block_on_spam_with_no_warning_is_refused(people, refer):
    referral = refer(["spam"])
    with pytest.raises(ValidationError) as refused:
        services.referral_decide(referral=referral, by=people["comms"], outcome=Outcome.BLOCK, reason="Spam.")
    assert "Warn first" in str(refused.value)
    assert not Block.objects.exists() and Referral.objects.get().status == ReferralStatus.SUBMITTED


@pytest.mark.parametrize("category", ["threats", "abuse", "discrimination"])
def test_warning_first_threats_abuse_and_discrimination_may_be_blocked_at_once(people, refer, category):
    referral = refer(["spam", category])
    services.referral_decide(referral=referral, by=people["comms"], outcome=Outcome.BLOCK, reason="Serious.")
    assert set(Block.objects.get().categories) == {"spam", category}


def test_warning_first_a_warning_given_allows_a_block(people, refer):
    referral = refer(["spam"], warning_given=True, warned_on=TODAY - datetime.timedelta(days=3))
    services.referral_decide(referral=referral, by=people["comms"], outcome=Outcome.BLOCK, reason="Warned.")
    assert Block.objects.get().referral == referral


def test_warning_first_an_earlier_decision_to_warn_counts_on_any_account(people, refer, other_account):
    first = refer(["spam"], person_handle="@Jo_Bloggs")
    services.referral_decide(referral=first, by=people["comms"], outcome=Outcome.WARN, reason="Warn them.")
    # The same person typed differently, on another council account.
    second = refer(["spam"], account=other_account, person_handle="https://twitter.com/jo_bloggs")
    allowed, why = services.block_basis(second)
    assert allowed and "earlier referral" in why
    services.referral_decide(referral=second, by=people["comms"], outcome=Outcome.BLOCK, reason="Again.")
    assert Block.objects.get().account == other_account


def test_a_block_gets_a_review_date_six_months_on_by_default(people, refer):
    services.referral_decide(referral=refer(["abuse"]), by=people["comms"], outcome=Outcome.BLOCK, reason="x")
    block = Block.objects.get()
    assert (block.blocked_on, block.review_on, block.status) == (TODAY, datetime.date(2027, 5, 25), "active")
    assert (block.source, block.decided_by, block.reason) == (BlockSource.DECISION, people["comms"], "x")
    assert [e.action for e in block.events.all()] == ["decided"]


def test_the_review_period_is_configurable_per_category(people, refer, settings):
    settings.BLOCKING_REVIEW_MONTHS = 6
    settings.BLOCKING_REVIEW_MONTHS_BY_CATEGORY = {"threats": 12, "spam": 3}
    assert services.default_review_on(["spam"]) == datetime.date(2027, 2, 25)
    # The most serious behaviour sets the period.
    assert services.default_review_on(["spam", "threats"]) == datetime.date(2027, 11, 25)
    referral = refer(["threats"])
    services.referral_decide(referral=referral, by=people["comms"], outcome=Outcome.BLOCK, reason="Threat.")
    assert Block.objects.get().review_on == datetime.date(2027, 11, 25)


def test_the_decider_may_choose_the_review_date_within_bounds(people, refer):
    referral = refer(["abuse"])
    for bad in (TODAY, TODAY + datetime.timedelta(days=800)):
        with pytest.raises(ValidationError):
            services.referral_decide(
                referral=referral, by=people["comms"], outcome=Outcome.BLOCK, reason="x", review_on=bad
            )
    services.referral_decide(
        referral=referral,
        by=people["comms"],
        outcome=Outcome.BLOCK,
        reason="x",
        review_on=datetime.date(2027, 1, 4),
    )
    assert Block.objects.get().review_on == datetime.date(2027, 1, 4)


@pytest.mark.parametrize("outcome", [Outcome.WARN, Outcome.HIDE, Outcome.NO_ACTION])
def test_other_decisions_make_no_block_and_tell_the_referrer(people, refer, outcome):
    referral = services.referral_decide(
        referral=refer(), by=people["comms"], outcome=outcome, reason="Because."
    )
    assert (referral.status, referral.outcome, referral.decision_reason) == ("decided", outcome, "Because.")
    assert not Block.objects.exists()
    assert f"Your referral was decided: {Outcome(outcome).label.lower()}" in emails_to(people["officer"])
    assert ReferralEvent.objects.get(referral=referral, action="decide").outcome == outcome


def test_only_comms_decide(people, refer):
    with pytest.raises(Refused, match="Only the Communications team decides"):
        services.referral_decide(referral=refer(), by=people["officer"], outcome=Outcome.WARN, reason="x")


def test_more_information_then_the_referrer_adds_it(people, refer):
    referral = services.referral_ask_for_information(
        referral=refer(), by=people["comms"], request="Send a screenshot."
    )
    assert referral.status == ReferralStatus.MORE_INFORMATION
    assert "More information needed for your referral" in emails_to(people["officer"])
    with pytest.raises(Refused, match="Only the person who made the referral"):
        services.referral_add_information(referral=referral, by=people["councillor"], information="x")
    referral = services.referral_add_information(
        referral=referral, by=people["officer"], information="Here it is."
    )
    assert referral.status == ReferralStatus.SUBMITTED
    assert [e.action for e in referral.events.all()] == ["referred", "ask_for_information", "add_information"]
    assert any("has the information you asked for" in s for s in emails_to(people["comms"]))


def test_a_referral_waiting_for_information_can_still_be_decided(people, refer):
    referral = services.referral_ask_for_information(referral=refer(), by=people["comms"], request="More?")
    referral = services.referral_decide(
        referral=referral, by=people["comms"], outcome=Outcome.NO_ACTION, reason="x"
    )
    assert referral.status == ReferralStatus.DECIDED


def test_a_decided_referral_cannot_be_decided_again(people, refer):
    referral = services.referral_decide(
        referral=refer(), by=people["comms"], outcome=Outcome.WARN, reason="x"
    )
    with pytest.raises(ValidationError, match="Someone may have just changed it"):
        services.referral_decide(referral=referral, by=people["comms"], outcome=Outcome.NO_ACTION, reason="y")


def test_the_referrer_may_withdraw_before_a_decision(people, refer):
    referral = services.referral_withdraw(referral=refer(), by=people["officer"])
    assert referral.status == ReferralStatus.WITHDRAWN


# Retrospective blocks


def record(people, account, by=None, **fields):
    return services.block_record(
        by=by or people["officer"],
        fields={
            "account": account,
            "person_handle": "@spammer",
            "categories": ["spam"],
            "reason": "Posted a payment link pretending to be us.",
            "blocked_on": TODAY - datetime.timedelta(days=2),
            **fields,
        },
    )


def test_a_retrospective_block_needs_a_reason_and_waits_for_comms(people, account):
    with pytest.raises(ValidationError, match="Give the reason you blocked them"):
        record(people, account, reason="")
    block = record(people, account)
    assert (block.status, block.source, block.review_on) == (
        BlockStatus.UNCONFIRMED,
        BlockSource.RECORDED,
        None,
    )
    assert any("A block to confirm or reverse" in s for s in emails_to(people["comms"]))


def test_comms_confirm_a_retrospective_block_with_a_review_date(people, account):
    block = services.block_confirm(block=record(people, account), by=people["comms"])
    assert (block.status, block.review_on, block.decided_by) == (
        "active",
        datetime.date(2027, 5, 25),
        people["comms"],
    )
    assert "The block you recorded was confirmed" in emails_to(people["officer"])


def test_comms_reverse_a_retrospective_block_and_the_officer_is_told_to_unblock(people, account):
    block = services.block_reverse(block=record(people, account), by=people["comms"], reason="Not spam.")
    assert (block.status, block.lifted_on) == (BlockStatus.REVERSED, TODAY)
    assert "The block you recorded was reversed" in emails_to(people["officer"])
    assert BlockEvent.objects.filter(block=block, action="reverse", comment="Not spam.").exists()


def test_a_block_comms_record_is_in_force_at_once(people, account):
    block = record(people, account, by=people["comms"])
    assert (block.status, block.review_on) == (BlockStatus.ACTIVE, datetime.date(2027, 5, 25))


def test_a_retrospective_block_cannot_be_in_the_future(people, account):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        record(people, account, blocked_on=TODAY + datetime.timedelta(days=1))


def test_the_database_refuses_a_block_without_a_reason(account):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        BlockFactory(account=account, reason="")


# Reviews and appeals


def test_a_review_keeps_with_a_new_date_or_lifts(people, account):
    block = BlockFactory(account=account)
    kept = services.block_review(
        block=block,
        by=people["comms"],
        decision="keep",
        reason="Still posting.",
        next_review_on=TODAY + datetime.timedelta(days=90),
    )
    assert (kept.status, kept.review_on) == ("active", TODAY + datetime.timedelta(days=90))
    with pytest.raises(ValidationError):
        services.block_review(
            block=block, by=people["comms"], decision="keep", reason="x", next_review_on=None
        )
    lifted = services.block_review(
        block=block, by=people["comms"], decision="lift", reason="Quiet for months."
    )
    assert (lifted.status, lifted.lifted_on, lifted.review_on) == ("lifted", TODAY, None)
    assert [e.action for e in lifted.events.all()] == ["keep", "lift"]


def test_an_upheld_appeal_lifts_the_block_and_keeps_the_reply(people, account):
    block = BlockFactory(account=account)
    appeal = services.appeal_log(
        block=block, by=people["comms"], received_on=TODAY, channel="email", message="Blocked in error."
    )
    assert appeal.status == AppealStatus.WAITING
    answered = services.appeal_answer(
        appeal=appeal, by=people["comms"], outcome="upheld", reply="Unblocked, sorry."
    )
    assert (answered.status, answered.outcome, answered.reply) == ("answered", "upheld", "Unblocked, sorry.")
    block.refresh_from_db()
    assert (block.status, block.lifted_on) == (BlockStatus.LIFTED, TODAY)
    assert BlockEvent.objects.get(block=block).action == "appeal_upheld"


def test_an_appeal_not_upheld_keeps_the_block_and_needs_a_reply(people, account):
    appeal = AppealFactory(block=BlockFactory(account=account))
    with pytest.raises(ValidationError, match="Write the reply"):
        services.appeal_answer(appeal=appeal, by=people["comms"], outcome="not_upheld", reply="")
    services.appeal_answer(appeal=appeal, by=people["comms"], outcome="not_upheld", reply="The block stays.")
    assert Block.objects.get().status == BlockStatus.ACTIVE


def test_an_appeal_cannot_come_before_the_block(people, account):
    block = BlockFactory(account=account, blocked_on=TODAY)
    with pytest.raises(ValidationError, match="before the block"):
        services.appeal_log(
            block=block,
            by=people["comms"],
            received_on=TODAY - datetime.timedelta(days=1),
            channel="email",
            message="x",
        )
