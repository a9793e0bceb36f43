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
from content_review.models import DraftStatus, NoReplyReason, Revision, StepApproval
from content_review.permissions import DRAFT_ACTIONS, MESSAGE_ACTIONS
from core.actions import Policy
from organisation.models import Role
from surveys.models import Response, ResponseStatus
from surveys.permissions import INVITATION_ACTIONS, QUESTIONNAIRE_ACTIONS, RESPONSE_ACTIONS
from tests.conftest import PERSONAS
from tests.factories import (
    AccountFactory,
    BookingFactory,
    CourseFactory,
    DraftFactory,
    InboundMessageFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
    TrainingRequestFactory,
    TrainingSessionFactory,
)
from tests.surveys.helpers import invite, make_questionnaire, respond
from training.models import BookingStatus, RequestStatus, SessionStatus
from training.permissions import BOOKING_ACTIONS, REQUEST_ACTIONS, SESSION_ACTIONS

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


def _blocking_account(people, other_area):
    """An account the officer runs, and one the councillor runs in another area."""
    return (
        AccountFactory(responsible_officer=people["officer"], service_area=people["officer"].service_area),
        AccountFactory(responsible_officer=people["councillor"], service_area=other_area),
    )


def referrals(people, other_area) -> list:
    from blocking.models import ReferralStatus
    from tests.blocking.factories import ReferralFactory

    made = []
    for account in _blocking_account(people, other_area):
        for status in ReferralStatus.values:
            decided = {"outcome": "warn", "decision_reason": "Warn."} if status == "decided" else {}
            made.append(ReferralFactory(account=account, status=status, **decided))
    return made


def blocks(people, other_area) -> list:
    import datetime

    from blocking.models import BlockStatus
    from tests.blocking.factories import BlockFactory

    made = []
    for account in _blocking_account(people, other_area):
        for status in BlockStatus.values:
            ended = {"lifted_on": datetime.date.today()} if status in ("lifted", "reversed") else {}
            made.append(BlockFactory(account=account, status=status, **ended))
    return made


def appeals(people, other_area) -> list:
    from tests.blocking.factories import AppealFactory, BlockFactory

    made = []
    for account in _blocking_account(people, other_area):
        made.append(AppealFactory(block=BlockFactory(account=account), logged_by=people["comms"]))
        made.append(
            AppealFactory(
                block=BlockFactory(account=account),
                logged_by=people["comms"],
                status="answered",
                outcome="not_upheld",
                reply="The block stays.",
            )
        )
    return made


def _blocking_cases() -> dict:
    from blocking.permissions import APPEAL_ACTIONS, BLOCK_ACTIONS, REFERRAL_ACTIONS

    return {
        "referral": Case(REFERRAL_ACTIONS, referrals, "blocking:referral"),
        "block": Case(BLOCK_ACTIONS, blocks, "blocking:block"),
        "appeal": Case(APPEAL_ACTIONS, appeals, "blocking:appeal"),
    }


def campaigns(people, other_area) -> list:
    """One campaign the officer owns, one Comms owns."""
    from tests.factories import CampaignFactory

    return [CampaignFactory(owner=people["officer"]), CampaignFactory(owner=people["comms"])]


def _planning_cases() -> dict:
    from planning.permissions import CAMPAIGN_ACTIONS

    return {"campaign": Case(CAMPAIGN_ACTIONS, campaigns, "planning:campaign")}


def _questionnaires_in_every_state() -> list:
    today = timezone.localdate()
    days = datetime.timedelta
    return [
        make_questionnaire(slug="not-open-yet", opens_on=today + days(5), closes_on=today + days(20)),
        make_questionnaire(slug="open-now", opens_on=today - days(5), closes_on=today + days(5)),
        make_questionnaire(slug="closed-now", opens_on=today - days(20), closes_on=today - days(2)),
    ]


def _voided(questionnaire, **kwargs) -> Response:
    response = respond(questionnaire, {"uses": "no"}, **kwargs)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.VOIDED)
    return response


def questionnaires(people, other_area) -> list:
    made = _questionnaires_in_every_state()
    respond(made[1], {"uses": "no"})  # open, with answers: its questions are frozen
    return made


def invitations(people, other_area) -> list:
    """Per questionnaire state: one invitation not answered (the head of service's), one part-way
    (the councillor's), one sent (the officer's), one voided (the reviewer's)."""
    made = []
    for questionnaire in _questionnaires_in_every_state():
        made.append(invite(questionnaire, people["head_of_service"]))
        started = invite(questionnaire, people["councillor"], "councillor")
        respond(questionnaire, {"uses": "no"}, invitation=started, audience="councillor", submitted=False)
        sent = invite(questionnaire, people["officer"])
        respond(questionnaire, {"uses": "no"}, invitation=sent)
        voided = invite(questionnaire, people["reviewer"])
        _voided(questionnaire, invitation=voided)
        made += [started, sent, voided]
    return made


def responses(people, other_area) -> list:
    questionnaire = make_questionnaire()
    return [
        respond(questionnaire, {"uses": "no"}, submitted=False),
        respond(questionnaire, {"uses": "yes", "platforms": ["x"]}),
        _voided(questionnaire),
    ]


def _sessions(people) -> dict[str, object]:
    """A session in each state: coming up, started (attendance due), held and cancelled."""
    course = CourseFactory(code="SHOWN")
    past = timezone.now() - datetime.timedelta(hours=2)
    return {
        "coming": TrainingSessionFactory(course=course, created_by=people["comms"]),
        "started": TrainingSessionFactory(course=course, created_by=people["comms"], starts_at=past),
        "held": TrainingSessionFactory(
            course=course, created_by=people["comms"], starts_at=past, status=SessionStatus.HELD
        ),
        "cancelled": TrainingSessionFactory(
            course=course, created_by=people["comms"], status=SessionStatus.CANCELLED
        ),
    }


def training_requests(people, other_area) -> list:
    sessions = _sessions(people)
    made = []
    for status in RequestStatus.values:
        for requester, audience in ((people["officer"], "officers"), (people["councillor"], "councillors")):
            session = sessions["coming"] if status == RequestStatus.SCHEDULED else None
            course = sessions["coming"].course if requester == people["officer"] else None
            made.append(
                TrainingRequestFactory(
                    requester=requester,
                    course=course,
                    need="" if course else "Help with trolls.",
                    audience=audience,
                    status=status,
                    session=session,
                )
            )
    return made


def training_sessions(people, other_area) -> list:
    sessions = _sessions(people)
    # The officer has a place on the cancelled one (so sees it), and is waiting for another.
    BookingFactory(session=sessions["cancelled"], person=people["officer"], status=BookingStatus.CANCELLED)
    full = TrainingSessionFactory(course=sessions["coming"].course, created_by=people["comms"], capacity=1)
    BookingFactory(session=full, person=people["councillor"])
    BookingFactory(session=full, person=people["officer"], status=BookingStatus.WAITING)
    return [*sessions.values(), full]


def bookings(people, other_area) -> list:
    sessions = _sessions(people)
    course = sessions["coming"].course
    made = [
        BookingFactory(
            session=TrainingSessionFactory(course=course, created_by=people["comms"]),
            person=people["officer"],
            status=status,
        )
        for status in BookingStatus.values
    ]
    made.append(BookingFactory(session=sessions["started"], person=people["officer"]))
    made.append(BookingFactory(session=sessions["coming"], person=people["councillor"]))
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
    # Under a two-step chain (head of service, then Comms): waiting for step 1, waiting for step 2,
    # and an urgent post the last step reviews afterwards.
    steps = [
        {"label": "Head", "roles": ["head_of_service"], "people": [], "names": [], "pre_election": False},
        {"label": "Comms", "roles": ["comms"], "people": [], "names": [], "pre_election": False},
    ]
    chained = [
        DraftFactory(account=mine, author=officer, status=DraftStatus.SUBMITTED, chain_steps=steps),
        DraftFactory(account=mine, author=officer, status=DraftStatus.SUBMITTED, chain_steps=steps),
        DraftFactory(
            account=mine, author=comms, status=DraftStatus.PUBLISHED, urgent=True, chain_steps=steps
        ),
    ]
    made += chained
    for draft in made:
        if draft.status != DraftStatus.DRAFT:
            Revision.objects.create(draft=draft, number=1, text=draft.text, submitted_by=draft.author)
    StepApproval.objects.create(
        draft=chained[1],
        revision=chained[1].revisions.get(),
        position=1,
        approved_by=people["head_of_service"],
    )
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
    "questionnaire": Case(QUESTIONNAIRE_ACTIONS, questionnaires, "surveys:detail"),
    "invitation": Case(INVITATION_ACTIONS, invitations, "surveys:start"),
    "response": Case(RESPONSE_ACTIONS, responses, "surveys:response"),
    **_blocking_cases(),
    "training request": Case(REQUEST_ACTIONS, training_requests, "training:request"),
    "training session": Case(SESSION_ACTIONS, training_sessions, "training:session"),
    "booking": Case(BOOKING_ACTIONS, bookings, "training:booking"),
    "draft": Case(DRAFT_ACTIONS, drafts, "content:detail"),
    "message": Case(MESSAGE_ACTIONS, messages, "content:message"),
    **_planning_cases(),
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
            args = case.policy.url_args(record)
            page = client.get(reverse(case.detail, args=args))
            if page.status_code == 404:
                for rule in case.policy.rules.values():
                    url = reverse(rule.url_name, args=args)
                    assert _press(client, rule, url).status_code == 404, (
                        f"{persona} reached {url} of an unseen record"
                    )
                continue
            assert page.status_code == 200, (persona, record, page.status_code)
            html = page.content.decode()
            for name, rule in case.policy.rules.items():
                url = reverse(rule.url_name, args=args)
                shown = f'data-action="{name}"' in html
                response = _press(client, rule, url)
                allowed = response.status_code in (200, 302)
                state = record.get_status_display() if hasattr(record, "get_status_display") else ""
                where = f"{persona}, {name} on {record} ({state})"
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
    assert checked >= len(records)  # the walk really looked at actions, on every record
