"""Who may see and do what in the blocking process: the one answer views, templates and services use.

Who sees a record: `Referral.objects.visible_to(user)` (and Block, Appeal). What a person may do next
with it: REFERRAL_ACTIONS, BLOCK_ACTIONS and APPEAL_ACTIONS (core.actions).

Personal data (handles, links, what was said, evidence) is for the Communications team and for the
officer or councillor who referred or recorded it. Auditors read the report and the register with none
of it; nobody else sees anything here."""

import rules

from blocking.models import AppealStatus, BlockStatus, ReferralStatus
from core.actions import Policy, Rule, can_move, in_states
from organisation.permissions import is_auditor, is_comms, is_councillor, is_officer

can_refer = is_comms | is_officer | is_councillor

rules.add_perm("blocking.view_area", can_refer | is_auditor)
rules.add_perm("blocking.refer", can_refer)
rules.add_perm("blocking.record_block", can_refer)
rules.add_perm("blocking.decide", is_comms)
rules.add_perm("blocking.view_register", is_comms | is_auditor)
rules.add_perm("blocking.view_personal_data", is_comms)  # handles, search by handle, evidence of anyone
rules.add_perm("blocking.view_report", is_comms | is_auditor)
rules.add_perm("blocking.import_blocks", is_comms)
rules.add_perm("blocking.view_appeals", is_comms)


def _comms(message: str):
    def who(user, record) -> str | None:
        return None if is_comms(user) else message

    return who


def _referrer(message: str):
    def who(user, referral) -> str | None:
        return None if referral.referred_by_id == user.pk else message

    return who


REFERRAL_ACTIONS = Policy(
    Rule(
        "decide",
        "Decide on this referral",
        "blocking:decide",
        when=can_move("decide"),
        who=_comms("Only the Communications team decides on referrals."),
        style="primary",
    ),
    Rule(
        "add_information",
        "Add the information asked for",
        "blocking:add_information",
        when=in_states(
            [ReferralStatus.MORE_INFORMATION], "This referral is {status}: no information has been asked for."
        ),
        who=_referrer("Only the person who made the referral can add the information asked for."),
        style="primary",
    ),
    Rule(
        "withdraw",
        "Withdraw the referral",
        "blocking:withdraw",
        when=can_move("withdraw"),
        who=_referrer("Only the person who made the referral can withdraw it."),
        style="warning",
        post=True,
    ),
)

_COMMS_BLOCKS = "Only the Communications team decides on blocks."

BLOCK_ACTIONS = Policy(
    Rule(
        "confirm",
        "Confirm the block",
        "blocking:confirm",
        when=in_states(
            [BlockStatus.UNCONFIRMED],
            "This block is {status}: only a block an officer recorded is confirmed.",
        ),
        who=_comms(_COMMS_BLOCKS),
        style="primary",
    ),
    Rule(
        "reverse",
        "Reverse the block",
        "blocking:reverse",
        when=in_states(
            [BlockStatus.UNCONFIRMED], "This block is {status}: only a block an officer recorded is reversed."
        ),
        who=_comms(_COMMS_BLOCKS),
        style="warning",
    ),
    Rule(
        "review",
        "Review the block",
        "blocking:review",
        when=can_move("lift"),
        who=_comms("Only the Communications team reviews blocks."),
        style="primary",
    ),
    Rule(
        "appeal",
        "Log an appeal",
        "blocking:appeal_new",
        when=can_move("lift"),
        who=_comms("Only the Communications team logs appeals."),
    ),
)

APPEAL_ACTIONS = Policy(
    Rule(
        "answer",
        "Answer the appeal",
        "blocking:answer",
        when=in_states([AppealStatus.WAITING], "This appeal is {status} already."),
        who=_comms("Only the Communications team answers appeals."),
        style="primary",
    ),
)
