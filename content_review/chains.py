"""Approval chains and the pre-election period: which approvals a draft needs, in what order, and who
may give each.

A chain belongs to one account, one service area (every account in it) or one campaign; an account's
chain wins over its service area's, which wins over its campaign's. With no chain a draft has today's
single review. The steps that apply are copied onto the draft when it is sent for review
(`Draft.chain_steps`), so a chain changed later never changes a review under way. While a pre-election
period covers the account, the Communications team's approval is always the last step.
"""

import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from accounts_registry.models import AccountKind
from content_review.models import (
    EDITABLE,
    ApprovalChain,
    Draft,
    PreElectionPeriod,
    ReviewerAssignment,
    StepApproval,
    StepRole,
)
from organisation.models import Role

PRE_ELECTION_LABEL = "The Communications team (pre-election period)"


def chain_for(account, campaign=None) -> ApprovalChain | None:
    """The chain that applies to a draft on this account (in this campaign): the account's, else its
    service area's, else the campaign's, else none. One query."""
    scope = Q(account=account.pk)
    if account.service_area_id:
        scope |= Q(service_area=account.service_area_id)
    if campaign is not None:
        scope |= Q(campaign=campaign.pk if hasattr(campaign, "pk") else campaign)
    chains = list(ApprovalChain.objects.filter(scope).prefetch_related("steps__members__person"))
    for kind in ("account_id", "service_area_id", "campaign_id"):
        for chain in chains:
            if getattr(chain, kind):
                return chain
    return None


# Within one request the periods are read once (the banner, the checks and the chain all ask).
_request = threading.local()


def request_started(**kwargs) -> None:
    _request.periods = {}


def request_finished(**kwargs) -> None:
    _request.periods = None


def periods_on(day: date | None = None) -> list[PreElectionPeriod]:
    day = day or timezone.localdate()
    cache = getattr(_request, "periods", None)
    if cache is None:
        return list(PreElectionPeriod.objects.on(day).prefetch_related("wards"))
    if day not in cache:
        cache[day] = list(PreElectionPeriod.objects.on(day).prefetch_related("wards"))
    return cache[day]


def period_covers(period: PreElectionPeriod, account) -> bool:
    """Council accounts only (a councillor's own account is outside it); a period for chosen wards
    covers the accounts of those wards."""
    if account.kind == AccountKind.COUNCILLOR:
        return False
    if period.whole_council:
        return True
    return account.ward_id is not None and any(w.pk == account.ward_id for w in period.wards.all())


def pre_election_period_for(account, day: date | None = None) -> PreElectionPeriod | None:
    return next((p for p in periods_on(day) if period_covers(p, account)), None)


def needs_review(account) -> bool:
    """The account's own rule, except that during a pre-election period covering it every draft is
    reviewed (Comms last)."""
    return account.review_required or pre_election_period_for(account) is not None


def _step_dict(label: str, roles: list[str], people: list, pre_election: bool = False) -> dict:
    return {
        "label": label,
        "roles": list(roles),
        "people": [p.pk for p in people],
        "names": [p.get_full_name() or p.email for p in people],
        "pre_election": pre_election,
    }


def step_label(roles: list[str], names: list[str]) -> str:
    groups = [str(StepRole(r).label) for r in roles] + list(names)
    if not groups:
        return "Nobody named"
    return groups[0] if len(groups) == 1 else "Any one of: " + "; ".join(groups)


def _has_named_reviewers(account) -> bool:
    named = Q(account=account.pk)
    if account.service_area_id:
        named |= Q(service_area=account.service_area_id)
    return ReviewerAssignment.objects.filter(named).exists()


def steps_for(draft: Draft, day: date | None = None) -> tuple[str, list[dict]]:
    """The chain's name and steps that apply to this draft now (what submission copies onto it)."""
    chain = chain_for(draft.account, draft.campaign_id)
    steps, name = [], ""
    if chain is not None:
        name = f"{chain.name} (the {chain.scope_kind}'s chain)"
        for step in chain.steps.all():
            people = [m.person for m in step.members.all()]
            steps.append(_step_dict(step_label(step.roles, [str(p) for p in people]), step.roles, people))
    if pre_election_period_for(draft.account, day) is not None:
        if not steps and _has_named_reviewers(draft.account):
            # Today's single review first, by the account's reviewers.
            steps.append(_step_dict(step_label([StepRole.REVIEWERS], []), [StepRole.REVIEWERS], []))
        if steps and steps[-1]["roles"] == [StepRole.COMMS] and not steps[-1]["people"]:
            steps[-1]["pre_election"] = True
        else:
            steps.append(_step_dict(PRE_ELECTION_LABEL, [StepRole.COMMS], [], pre_election=True))
        name = name or "The pre-election period's rule"
    return name, steps


def in_group(user, step: dict, draft: Draft) -> bool:
    """Whether this person is one of the step's group: named, or holding one of its roles."""
    if user.pk in step["people"]:
        return True
    roles = step["roles"]
    if StepRole.COMMS in roles and user.has_role(Role.COMMS):
        return True
    account = draft.account
    area = account.service_area if account.service_area_id else None
    if StepRole.HEAD_OF_SERVICE in roles and area and area.head_of_service_id == user.pk:
        return True
    if StepRole.REVIEWERS in roles:
        from content_review.permissions import may_review_account

        return may_review_account(user, account)
    return False


@dataclass
class StepState:
    position: int  # from 1
    label: str
    pre_election: bool
    approval: StepApproval | None
    current: bool


def approvals_of(draft: Draft) -> list[StepApproval]:
    """The step approvals of the latest revision (the chain starts again with each revision)."""
    revision = draft.latest_revision
    if revision is None:
        return []
    return list(revision.step_approvals.select_related("approved_by"))


def chain_state(draft: Draft, steps: list[dict] | None = None, latest=None) -> list[StepState]:
    """Each step of the draft's chain with who approved it and when; the one waiting is `current`.
    Before submission, the chain that would apply now (`steps`, when the caller has them)."""
    if draft.status in EDITABLE:
        steps, approvals = steps if steps is not None else steps_for(draft)[1], {}
    elif not draft.chain_steps:
        return []
    else:
        revision = latest or draft.latest_revision
        found = revision.step_approvals.select_related("approved_by") if revision else []
        steps, approvals = draft.chain_steps, {a.position: a for a in found}
    states, waiting = [], draft.status == "submitted"
    for i, step in enumerate(steps, start=1):
        approval = approvals.get(i)
        current = waiting and approval is None
        if current:
            waiting = False
        states.append(StepState(i, step["label"], step.get("pre_election", False), approval, current))
    return states


def current_step(draft: Draft, approvals: list[StepApproval] | None = None) -> tuple[int, dict] | None:
    """The first step of the snapshot not yet approved for the latest revision, or None (no chain)."""
    if not draft.chain_steps:
        return None
    done = {a.position for a in (approvals if approvals is not None else approvals_of(draft))}
    for i, step in enumerate(draft.chain_steps, start=1):
        if i not in done:
            return i, step
    return None


def today() -> date:
    return timezone.localdate()


def pre_election_names() -> dict[str, list[str]]:
    """The names the pre-election checks look for: councillors (the people list), the candidates and
    the parties Comms keep."""
    from content_review.models import Candidate, PoliticalParty
    from organisation.models import User

    councillors = User.objects.current().with_role(Role.COUNCILLOR).filter(is_active=True)
    people = [p.get_full_name() for p in councillors.only("first_name", "last_name")]
    people += list(Candidate.objects.values_list("name", flat=True))
    return {
        "people": [p for p in people if p.strip()],
        "parties": list(PoliticalParty.objects.values_list("name", flat=True)),
    }
