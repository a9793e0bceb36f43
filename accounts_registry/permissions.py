"""Who may see and do what in the account register: the one answer views, templates and services use.

Who sees an account: `Account.objects.visible_to(user)`. What a person may do next with it:
`ACCOUNT_ACTIONS.for_record(account, user)` (core.actions)."""

import rules

from accounts_registry.models import OPEN_STATUSES, Account, AccountStatus
from core.actions import Policy, Rule, can_move, in_states
from organisation.permissions import (
    can_read_everything,
    is_auditor,
    is_comms,
    is_councillor,
    is_head_of_service,
    is_officer,
    is_reviewer,
)


@rules.predicate
def can_see_account(user, account) -> bool:
    """Without an account (the admin's list): whether they read the whole register."""
    if account is None:
        return can_read_everything(user)
    return Account.objects.visible_to(user).filter(pk=account.pk).exists()


@rules.predicate
def is_responsible(user, account) -> bool:
    return account is not None and user.pk in (account.responsible_officer_id, account.deputy_id)


@rules.predicate
def is_open(user, account) -> bool:
    return account is None or not account.is_closed


can_see_register = can_read_everything | is_head_of_service | is_officer | is_councillor | is_reviewer

rules.add_perm("accounts_registry.view_register", can_see_register)
rules.add_perm("accounts_registry.view_account", can_see_account)
rules.add_perm("accounts_registry.request_account", is_comms | is_officer | is_councillor | is_reviewer)
rules.add_perm("accounts_registry.add_account", is_comms)
# Editing: Comms anything (services decide which fields); the responsible officer the descriptive fields.
rules.add_perm("accounts_registry.change_account", is_open & (is_comms | is_responsible))
rules.add_perm("accounts_registry.manage_account", is_comms)
rules.add_perm("accounts_registry.transfer_accounts", is_comms)
rules.add_perm("accounts_registry.export_accounts", is_comms | is_auditor)
rules.add_perm("accounts_registry.import_accounts", is_comms)
rules.add_perm("accounts_registry.view_summary", can_read_everything)
rules.add_perm("accounts_registry.delete_account", rules.always_deny)  # closed, never deleted
rules.add_perm("accounts_registry.view_activitycheck", can_read_everything)


# What may this person do next with this account.

COMMS_ONLY = "Only the Communications team can do this."


def _comms(message: str = COMMS_ONLY):
    def who(user, account) -> str | None:
        return None if is_comms(user) else message

    return who


def _editor(user, account) -> str | None:
    if is_comms(user) or is_responsible(user, account):
        return None
    return "Only the Communications team and the account's responsible officer or deputy can edit it."


def _status_can_change(account) -> str | None:
    if any(can_move(name)(account) is None for name in ("activate", "start_closing", "close")):
        return None
    return f"This account is {account.get_status_display().lower()}: its status cannot change now."


ACCOUNT_ACTIONS = Policy(
    Rule(
        "decide",
        "Decide on this request",
        "accounts:decide",
        when=in_states(
            [AccountStatus.REQUESTED], "This request was already decided: the account is {status}."
        ),
        who=_comms("Only the Communications team decides on account requests."),
        style="primary",
    ),
    Rule("status", "Change status", "accounts:status", when=_status_can_change, who=_comms()),
    Rule(
        "check",
        "Record an activity check",
        "accounts:check",
        when=in_states(
            [AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.DORMANT],
            "This account is {status}: activity checks are for live accounts.",
        ),
        who=_comms("Only the Communications team records activity checks."),
    ),
    Rule(
        "edit",
        "Edit the account",
        "accounts:edit",
        when=in_states(
            [*OPEN_STATUSES, AccountStatus.REQUESTED], "This account is {status}: it can no longer be edited."
        ),
        who=_editor,
        style="link",
    ),
)
