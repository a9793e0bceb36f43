"""The approval chains pages: who reaches them, setting a chain through the form, and their queries."""

import pytest
from django.urls import reverse

from content_review import services
from content_review.models import ApprovalChain, Draft, PreElectionPeriod
from tests.factories import AccountFactory, PersonFactory

pytestmark = pytest.mark.django_db
NOBODY_ELSE = dict.fromkeys(("officer", "reviewer", "councillor", "auditor", "outsider"), 403)


@pytest.fixture
def account(people, service_area):
    return AccountFactory(
        display_name="Northfield Bins", service_area=service_area, responsible_officer=people["officer"]
    )


def test_comms_and_heads_of_service_reach_the_chains_pages(assert_statuses, account):
    for name in ("content:chains", "content:chain_new"):
        assert_statuses(reverse(name), {**NOBODY_ELSE, "comms": 200, "head_of_service": 200})


def test_a_head_of_service_sets_a_chain_for_their_areas_account_through_the_form(clients, people, account):
    reviewer = people["reviewer"]
    response = clients["head_of_service"].post(
        reverse("content:chain_new"),
        {
            "name": "Head, then the reviewer",
            "account": account.pk,
            "step_1_roles": ["head_of_service"],
            "step_2_people": reviewer.email.upper(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    chain = ApprovalChain.objects.get()
    assert chain.account == account
    steps = list(chain.steps.all())
    assert [s.roles for s in steps] == [["head_of_service"], []]
    assert list(steps[1].people.all()) == [reviewer]


def test_an_unknown_email_address_is_an_error_on_its_step(clients, account):
    response = clients["comms"].post(
        reverse("content:chain_new"),
        {"name": "Typo", "account": account.pk, "step_1_people": "nobody@example.org"},
    )
    assert response.status_code == 200
    assert "Nobody here has the email address nobody@example.org" in response.content.decode()
    assert not ApprovalChain.objects.exists()


def test_a_head_of_service_cannot_open_another_areas_chain(clients, people, other_service_area):
    elsewhere = AccountFactory(service_area=other_service_area)
    chain = services.chain_save(
        by=people["comms"], name="Elsewhere", steps=[{"roles": ["comms"]}], account=elsewhere
    )
    assert clients["head_of_service"].get(reverse("content:chain_edit", args=[chain.pk])).status_code == 403
    assert clients["comms"].get(reverse("content:chain_edit", args=[chain.pk])).status_code == 200


def test_removing_a_chain_goes_back_to_a_single_review(clients, people, account):
    chain = services.chain_save(
        by=people["comms"], name="Two", steps=[{"roles": ["comms"]}] * 2, account=account
    )
    assert clients["comms"].post(reverse("content:chain_delete", args=[chain.pk])).status_code == 302
    assert not ApprovalChain.objects.exists()


def test_the_chains_list_makes_the_same_queries_whatever_its_size(
    clients, people, assert_flat_queries, service_area
):
    comms = people["comms"]

    def grow():
        for _ in range(4):
            account = AccountFactory(service_area=service_area)
            services.chain_save(
                by=comms,
                name=f"Chain for {account}",
                steps=[{"roles": ["comms"], "people": [PersonFactory()]}, {"roles": ["head_of_service"]}],
                account=account,
            )

    grow()
    assert_flat_queries(lambda: clients["comms"].get(reverse("content:chains")), grow, at_most=15)


def test_the_pre_election_page_makes_the_same_queries_whatever_its_size(clients, people, assert_flat_queries):
    import datetime

    def grow():
        for i in range(3):
            services.pre_election_save(
                by=people["comms"],
                starts_on=datetime.date(2020 + i, 4, 1),
                ends_on=datetime.date(2020 + i, 5, 1),
                whole_council=i != 0,
                wards=[] if i else [people["councillor"].ward],
            )

    grow()
    assert_flat_queries(lambda: clients["comms"].get(reverse("content:pre_election")), grow, at_most=15)
    assert PreElectionPeriod.objects.count() == 6


def test_a_chained_drafts_page_makes_the_same_queries_whatever_its_chain(
    clients, people, account, assert_flat_queries
):
    services.chain_save(
        by=people["comms"],
        name="Two",
        steps=[{"roles": ["head_of_service"]}, {"roles": ["comms"]}],
        account=account,
    )
    draft = services.draft_create(by=people["officer"], account=account, text="Bins as normal.")
    services.draft_submit(draft=draft, by=people["officer"])
    url = reverse("content:detail", args=[draft.pk])

    def grow():
        services.draft_approve(
            draft=Draft.objects.get(pk=draft.pk), by=people["head_of_service"], revision_number=1
        )

    page = clients["comms"].get(url).content.decode()
    assert "Approvals needed" in page and "Step 2" in page
    assert_flat_queries(lambda: clients["comms"].get(url), grow, at_most=40)
