"""Approval chains: which chain applies, steps in order, "any one of a group", nobody approving twice,
change requests starting the chain again, and urgent posts reviewed by the chain's last step."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from content_review import chains, services
from content_review.models import D, Draft, DraftEvent, StepApproval, StepRole
from content_review.permissions import DRAFT_ACTIONS
from content_review.selectors import review_queue
from core.actions import Refused
from organisation.models import Role
from tests.factories import AccountFactory, CampaignFactory, PersonFactory, ReviewerAssignmentFactory

pytestmark = pytest.mark.django_db
A = DraftEvent.Action
PLAIN = "Bins are collected as normal this week."


@pytest.fixture
def account(people, service_area):
    return AccountFactory(
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


def two_steps(by, **scope):
    """Head of service, then Comms."""
    return services.chain_save(
        by=by,
        name="Head of service, then Comms",
        steps=[{"roles": [StepRole.HEAD_OF_SERVICE]}, {"roles": [StepRole.COMMS]}],
        **scope,
    )


def submitted(officer, account, text=PLAIN, **kwargs) -> Draft:
    draft = services.draft_create(by=officer, account=account, text=text, **kwargs)
    services.draft_submit(draft=draft, by=officer)
    return Draft.objects.get(pk=draft.pk)


def approve(draft, by):
    return services.draft_approve(draft=draft, by=by, revision_number=draft.latest_revision.number)


def reloaded(draft):
    return Draft.objects.get(pk=draft.pk)


# Resolution


def test_an_accounts_chain_wins_over_its_service_areas_which_wins_over_a_campaigns(
    people, account, service_area
):
    comms = people["comms"]
    campaign = CampaignFactory(owner=comms)
    by_campaign = services.chain_save(
        by=comms, name="Campaign", steps=[{"roles": ["comms"]}], campaign=campaign
    )
    assert chains.chain_for(account, campaign) == by_campaign
    by_area = services.chain_save(
        by=comms, name="Area", steps=[{"roles": ["comms"]}], service_area=service_area
    )
    assert chains.chain_for(account, campaign) == by_area
    by_account = services.chain_save(by=comms, name="Account", steps=[{"roles": ["comms"]}], account=account)
    assert chains.chain_for(account, campaign) == by_account
    assert chains.chain_for(AccountFactory(), campaign) == by_campaign
    assert chains.chain_for(AccountFactory(), None) is None


def test_with_no_chain_a_draft_has_todays_single_review(people, account):
    draft = submitted(people["officer"], account)
    assert draft.chain_steps == []
    approve(draft, people["comms"])
    assert reloaded(draft).status == D.APPROVED
    assert not StepApproval.objects.exists()


def test_the_chain_is_copied_onto_the_draft_when_it_is_sent_and_shown_before(people, account):
    two_steps(people["comms"], account=account)
    draft = services.draft_create(by=people["officer"], account=account, text=PLAIN)
    before = chains.chain_state(draft)
    assert [s.label for s in before] == [
        "The head of the account's service area",
        "The Communications team",
    ]
    services.draft_submit(draft=draft, by=people["officer"])
    draft = reloaded(draft)
    assert [s["roles"] for s in draft.chain_steps] == [["head_of_service"], ["comms"]]
    assert draft.chain_name.startswith("Head of service, then Comms")
    # Changing the chain later does not change a review under way.
    services.chain_save(
        by=people["comms"], name="Comms only", steps=[{"roles": ["comms"]}], chain=account.chain
    )
    assert len(reloaded(draft).chain_steps) == 2


# Steps in order, any one of a group


def test_steps_are_approved_in_order_and_the_draft_is_approved_after_the_last(people, account):
    two_steps(people["comms"], account=account)
    draft = submitted(people["officer"], account)
    assert list(review_queue(people["head_of_service"])) == [draft]
    # Comms cannot approve step 1 (the head of service's).
    actions = DRAFT_ACTIONS.for_record(draft, people["comms"])
    assert "decide" not in actions
    assert "Step 1" in actions["decide"].reason
    with pytest.raises(Refused):
        approve(draft, people["comms"])

    approve(draft, people["head_of_service"])
    draft = reloaded(draft)
    assert draft.status == D.SUBMITTED
    step = StepApproval.objects.get(draft=draft)
    assert (step.position, step.approved_by) == (1, people["head_of_service"])
    assert draft.events.filter(action=A.STEP_APPROVED).count() == 1

    approve(draft, people["comms"])
    draft = reloaded(draft)
    assert draft.status == D.APPROVED
    assert list(draft.step_approvals.values_list("position", "approved_by")) == [
        (1, people["head_of_service"].pk),
        (2, people["comms"].pk),
    ]
    states = chains.chain_state(draft)
    assert [s.approval.approved_by for s in states] == [people["head_of_service"], people["comms"]]


def test_any_one_of_a_group_approves_a_step(people, account):
    colleague = PersonFactory(roles=[Role.OFFICER])
    other = PersonFactory(roles=[Role.OFFICER])
    services.chain_save(
        by=people["comms"],
        name="Either of two",
        steps=[{"people": [colleague, people["reviewer"]]}],
        account=account,
    )
    first = submitted(people["officer"], account)
    # Named in the chain: they see the draft and find it in their review queue.
    assert Draft.objects.visible_to(colleague).filter(pk=first.pk).exists()
    assert list(review_queue(colleague)) == [first]
    assert not Draft.objects.visible_to(other).exists()
    assert "decide" in DRAFT_ACTIONS.for_record(first, colleague)
    assert "decide" in DRAFT_ACTIONS.for_record(first, people["reviewer"])
    assert "decide" not in DRAFT_ACTIONS.for_record(first, other)
    approve(first, colleague)
    assert reloaded(first).status == D.APPROVED
    second = submitted(people["officer"], account, text="The tip is open on Sunday.")
    approve(second, people["reviewer"])
    assert reloaded(second).status == D.APPROVED


def test_nobody_approves_two_steps_of_one_draft(people, account):
    services.chain_save(
        by=people["comms"],
        name="Comms twice",
        steps=[{"roles": ["comms"]}, {"roles": ["comms"]}],
        account=account,
    )
    draft = submitted(people["officer"], account)
    approve(draft, people["comms"])
    actions = DRAFT_ACTIONS.for_record(reloaded(draft), people["comms"])
    assert "already approved a step" in actions["decide"].reason
    with pytest.raises(Refused):
        approve(reloaded(draft), people["comms"])
    approve(reloaded(draft), PersonFactory(roles=[Role.COMMS]))
    assert reloaded(draft).status == D.APPROVED


def test_nobody_approves_their_own_draft_under_a_chain(people, account):
    services.chain_save(by=people["comms"], name="Comms", steps=[{"roles": ["comms"]}], account=account)
    draft = submitted(people["comms"], account)
    with pytest.raises(Refused):
        approve(draft, people["comms"])


def test_a_change_request_at_any_step_sends_it_back_and_the_chain_starts_again(people, account):
    two_steps(people["comms"], account=account)
    draft = submitted(people["officer"], account)
    approve(draft, people["head_of_service"])
    services.draft_request_changes(
        draft=reloaded(draft), by=people["comms"], revision_number=1, comment="Say which day."
    )
    draft = reloaded(draft)
    assert draft.status == D.CHANGES_REQUESTED
    services.draft_update(draft=draft, by=people["officer"], version=draft.version, text=PLAIN + " Monday.")
    services.draft_submit(draft=reloaded(draft), by=people["officer"])
    draft = reloaded(draft)
    # Step 1 waits again: Comms cannot skip to step 2.
    assert [s.current for s in chains.chain_state(draft)] == [True, False]
    with pytest.raises(Refused):
        approve(draft, people["comms"])
    approve(draft, people["head_of_service"])
    approve(reloaded(draft), people["comms"])
    assert reloaded(draft).status == D.APPROVED
    assert draft.step_approvals.filter(revision__number=2).count() == 2


def test_only_the_waiting_steps_group_sends_it_back(people, account):
    two_steps(people["comms"], account=account)
    draft = submitted(people["officer"], account)
    with pytest.raises(Refused):
        services.draft_request_changes(draft=draft, by=people["comms"], revision_number=1, comment="No.")


def test_a_stale_revision_is_not_approved(people, account):
    two_steps(people["comms"], account=account)
    draft = submitted(people["officer"], account)
    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, by=people["head_of_service"], revision_number=7)


# Urgent posts


def test_an_urgent_post_under_a_chain_is_reviewed_afterwards_by_its_last_step(people, account):
    services.chain_save(
        by=people["comms"],
        name="Head of service, then the reviewer",
        steps=[{"roles": ["head_of_service"]}, {"people": [people["reviewer"]]}],
        account=account,
    )
    draft = services.draft_publish_urgent(
        by=people["comms"],
        account=account,
        text="The Riverside recycling centre is closed today because of flooding.",
        published_url="https://x.com/NfieldBins/99",
        published_at=timezone.now() - datetime.timedelta(minutes=3),
        reason="Flooding at 7am.",
    )
    assert draft.status == D.PUBLISHED
    assert "post_review" not in DRAFT_ACTIONS.for_record(draft, PersonFactory(roles=[Role.COMMS]))
    assert "post_review" not in DRAFT_ACTIONS.for_record(draft, people["head_of_service"])
    assert "post_review" in DRAFT_ACTIONS.for_record(draft, people["reviewer"])
    services.draft_post_review(draft=draft, by=people["reviewer"])
    assert reloaded(draft).post_reviewed_by == people["reviewer"]


# Who sets chains


def test_only_comms_and_heads_of_service_for_their_areas_accounts_set_chains(
    people, account, service_area, other_service_area
):
    steps = [{"roles": ["comms"]}]
    with pytest.raises(Refused):
        services.chain_save(by=people["officer"], name="Mine", steps=steps, account=account)
    with pytest.raises(Refused):
        services.chain_save(by=people["head_of_service"], name="Area", steps=steps, service_area=service_area)
    elsewhere = AccountFactory(service_area=other_service_area)
    with pytest.raises(Refused):
        services.chain_save(by=people["head_of_service"], name="Theirs", steps=steps, account=elsewhere)
    chain = services.chain_save(by=people["head_of_service"], name="Ours", steps=steps, account=account)
    assert chain.account == account


def test_a_chain_is_bounded(people, account):
    with pytest.raises(ValidationError):
        services.chain_save(
            by=people["comms"], name="Long", steps=[{"roles": ["comms"]}] * 6, account=account
        )
    with pytest.raises(ValidationError):
        services.chain_save(by=people["comms"], name="Empty", steps=[{}], account=account)


def test_reviewers_step_uses_the_accounts_named_reviewers(people, account, service_area):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    services.chain_save(
        by=people["comms"],
        name="Reviewers, then Comms",
        steps=[{"roles": ["reviewers"]}, {"roles": ["comms"]}],
        account=account,
    )
    draft = submitted(people["officer"], account)
    assert "decide" in DRAFT_ACTIONS.for_record(draft, people["reviewer"])
    assert "decide" not in DRAFT_ACTIONS.for_record(draft, people["head_of_service"])
