"""The pre-election period, with a frozen clock: Comms approval as the last step for council accounts,
warnings for names and campaign wording, councillors' own accounts outside it, the banner, and the
record of every draft approved during it."""

import datetime

import pghistory.models
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from content_review import chains, services
from content_review.checks import pre_election_findings
from content_review.models import D, Draft, PreElectionPeriod, StepRole
from content_review.permissions import DRAFT_ACTIONS
from core.actions import Refused
from organisation.models import Role
from tests.factories import AccountFactory, PersonFactory, ReviewerAssignmentFactory, WardFactory

pytestmark = pytest.mark.django_db

BEFORE = datetime.datetime(2027, 3, 20, 10, 0, tzinfo=datetime.UTC)
DURING = datetime.datetime(2027, 4, 10, 10, 0, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2027, 5, 20, 10, 0, tzinfo=datetime.UTC)
PLAIN = "Bins are collected as normal this week."


@pytest.fixture
def period(people):
    with time_machine.travel(BEFORE, tick=False):
        return services.pre_election_save(
            by=people["comms"],
            starts_on=datetime.date(2027, 3, 29),
            ends_on=datetime.date(2027, 5, 6),
            whole_council=True,
            note="Borough elections",
        )


@pytest.fixture
def account(people, service_area):
    return AccountFactory(service_area=service_area, responsible_officer=people["officer"])


def submitted(by, account, text=PLAIN) -> Draft:
    draft = services.draft_create(by=by, account=account, text=text)
    services.draft_submit(draft=draft, by=by)
    return Draft.objects.get(pk=draft.pk)


def approve(draft, by, acknowledged=None):
    services.draft_approve(
        draft=draft, by=by, revision_number=draft.latest_revision.number, acknowledged=acknowledged
    )
    return Draft.objects.get(pk=draft.pk)


def test_only_comms_set_the_period(people):
    for persona in ("officer", "head_of_service", "reviewer"):
        with pytest.raises(Refused):
            services.pre_election_save(
                by=people[persona],
                starts_on=datetime.date(2027, 3, 29),
                ends_on=datetime.date(2027, 5, 6),
                whole_council=True,
            )


def test_during_the_period_comms_approve_last_after_the_accounts_reviewer(
    people, account, service_area, period
):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    with time_machine.travel(DURING, tick=False):
        draft = submitted(people["officer"], account)
        assert [s["roles"] for s in draft.chain_steps] == [[StepRole.REVIEWERS], [StepRole.COMMS]]
        assert draft.chain_steps[-1]["pre_election"]
        draft = approve(draft, people["reviewer"])
        assert draft.status == D.SUBMITTED
        assert "decide" not in DRAFT_ACTIONS.for_record(draft, people["reviewer"])
        draft = approve(draft, people["comms"])
        assert draft.status == D.APPROVED
        assert draft.approved_during_pre_election
    assert Draft.objects.approved_during_pre_election().count() == 1
    # In the history too.
    assert (
        pghistory.models.Events.objects.references(draft)
        .filter(pgh_data__approved_during_pre_election=True)
        .exists()
    )


def test_during_the_period_comms_are_added_after_any_chain(people, account, period):
    services.chain_save(
        by=people["comms"], name="Head", steps=[{"roles": ["head_of_service"]}], account=account
    )
    with time_machine.travel(DURING, tick=False):
        draft = submitted(people["officer"], account)
        assert [s["roles"] for s in draft.chain_steps] == [["head_of_service"], ["comms"]]
        draft = approve(draft, people["head_of_service"])
        assert draft.status == D.SUBMITTED
        assert approve(draft, people["comms"]).status == D.APPROVED


def test_before_and_after_the_period_the_usual_rule_applies(people, account, period):
    for moment in (BEFORE, AFTER):
        with time_machine.travel(moment, tick=False):
            draft = submitted(people["officer"], account, text=f"{PLAIN} {moment:%B}.")
            assert draft.chain_steps == []
            assert chains.pre_election_period_for(account) is None
            assert not approve(draft, people["comms"]).approved_during_pre_election


def test_councillors_own_accounts_are_outside_it(people, period, ward):
    own = AccountFactory(
        kind="councillor", ward=ward, responsible_officer=people["councillor"], service_area=None
    )
    with time_machine.travel(DURING, tick=False):
        assert chains.pre_election_period_for(own) is None
        assert chains.steps_for(Draft(account=own))[1] == []


def test_a_period_for_chosen_wards_covers_only_their_accounts(people, service_area, ward):
    elsewhere = WardFactory(name="Hillside", code="hillside")
    with time_machine.travel(BEFORE, tick=False):
        services.pre_election_save(
            by=people["comms"],
            starts_on=datetime.date(2027, 4, 1),
            ends_on=datetime.date(2027, 4, 30),
            whole_council=False,
            wards=[ward],
        )
    inside = AccountFactory(service_area=service_area, ward=ward)
    outside = AccountFactory(service_area=service_area, ward=elsewhere)
    with time_machine.travel(DURING, tick=False):
        assert chains.pre_election_period_for(inside) is not None
        assert chains.pre_election_period_for(outside) is None


def test_names_parties_and_campaign_wording_get_a_warning_that_explains_the_rule(people, account, period):
    PersonFactory(first_name="Priya", last_name="Shah", roles=[Role.COUNCILLOR])
    services.pre_election_names_save(
        by=people["comms"], parties=["Labour", "Green Party"], candidates=["Tom Reed"]
    )
    text = "Councillor Priya Shah and Tom Reed of the Green Party opened the park. Vote for change!"
    with time_machine.travel(DURING, tick=False):
        draft = services.draft_create(by=people["officer"], account=account, text=text)
        codes = [f.code for f in services.draft_findings(draft) if f.code.startswith("pre_election")]
        assert sorted(codes) == [
            "pre_election.party",
            "pre_election.person",
            "pre_election.person",
            "pre_election.wording",
        ]
        warned = next(f for f in services.draft_findings(draft) if f.code == "pre_election.party")
        assert warned.severity == "warn"
        assert "pre-election period" in warned.message
        assert text[warned.start : warned.end] == "Green Party"
        # A warning, not a block: sent, and approved once each warning is acknowledged.
        services.draft_submit(draft=draft, by=people["officer"])
        draft = Draft.objects.get(pk=draft.pk)
        assert approve(draft, people["comms"], acknowledged=sorted(set(codes))).status == D.APPROVED
    with time_machine.travel(AFTER, tick=False):
        later = services.draft_create(by=people["officer"], account=account, text=text)
        assert not [f for f in services.draft_findings(later) if f.code.startswith("pre_election")]


def test_the_checks_are_plain_functions():
    found = pre_election_findings("Re-elect Jo Bloggs", people=["Jo Bloggs"], parties=[])
    assert {f.code for f in found} == {"pre_election.person", "pre_election.wording"}
    assert pre_election_findings("Bins on Monday", people=["Jo"], parties=["Labour"]) == []


def test_a_banner_tells_everyone_while_it_is_on(people, period):
    def home() -> str:
        client = Client()
        client.force_login(people["officer"], backend="django.contrib.auth.backends.ModelBackend")
        return client.get(reverse("home")).content.decode()

    with time_machine.travel(DURING, tick=False):
        assert "The pre-election period is on for the whole council until 6 May 2027" in home()
    with time_machine.travel(AFTER, tick=False):
        assert "pre-election period is on" not in home()


def test_the_period_is_in_the_history(people, period):
    period.ends_on = datetime.date(2027, 5, 7)
    services.pre_election_save(
        by=people["comms"],
        period=period,
        starts_on=period.starts_on,
        ends_on=datetime.date(2027, 5, 7),
        whole_council=True,
    )
    assert PreElectionPeriod.objects.get().ends_on == datetime.date(2027, 5, 7)
    assert pghistory.models.Events.objects.references(period).count() >= 2


def test_the_pre_election_page_is_for_comms(assert_statuses):
    expected = dict.fromkeys(
        ("officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"), 403
    )
    assert_statuses(reverse("content:pre_election"), {**expected, "comms": 200})
    assert_statuses(reverse("content:pre_election_new"), {**expected, "comms": 200})


def test_comms_set_the_period_through_the_page(clients, people):
    response = clients["comms"].post(
        reverse("content:pre_election_new"),
        {
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "ends_on_0": "6",
            "ends_on_1": "5",
            "ends_on_2": "2027",
            "whole_council": "yes",
            "note": "Borough elections",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PreElectionPeriod.objects.get().created_by == people["comms"]


def test_an_account_that_needs_no_review_needs_it_during_the_period(people, service_area, period):
    account = AccountFactory(
        service_area=service_area, responsible_officer=people["officer"], review_required=False
    )
    draft = services.draft_create(by=people["officer"], account=account, text=PLAIN)
    with time_machine.travel(BEFORE, tick=False):
        assert "publish" in DRAFT_ACTIONS.for_record(draft, people["officer"])
        assert "submit" not in DRAFT_ACTIONS.for_record(draft, people["officer"])
    with time_machine.travel(DURING, tick=False):
        assert "publish" not in DRAFT_ACTIONS.for_record(draft, people["officer"])
        services.draft_submit(draft=draft, by=people["officer"])
        draft = Draft.objects.get(pk=draft.pk)
        assert [s["roles"] for s in draft.chain_steps] == [[StepRole.COMMS]]
        assert approve(draft, people["comms"]).approved_during_pre_election
