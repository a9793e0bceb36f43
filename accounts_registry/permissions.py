"""Who may see and do what in the account register. Views, templates and services all ask here."""

import rules

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
def is_responsible(user, account) -> bool:
    return account is not None and user.pk in (account.responsible_officer_id, account.deputy_id)


@rules.predicate
def requested_it(user, account) -> bool:
    return account is not None and account.requested_by_id == user.pk


@rules.predicate
def heads_its_service_area(user, account) -> bool:
    return (
        account is not None
        and account.service_area_id is not None
        and (
            account.service_area_id == user.service_area_id
            or account.service_area.head_of_service_id == user.pk
        )
    )


@rules.predicate
def is_open(user, account) -> bool:
    return account is None or not account.is_closed


can_see_register = can_read_everything | is_head_of_service | is_officer | is_councillor | is_reviewer

rules.add_perm("accounts_registry.view_register", can_see_register)
rules.add_perm(
    "accounts_registry.view_account",
    can_read_everything | is_responsible | requested_it | (is_head_of_service & heads_its_service_area),
)
rules.add_perm("accounts_registry.request_account", is_comms | is_officer | is_councillor | is_reviewer)
rules.add_perm("accounts_registry.add_account", is_comms)
# Editing: Comms anything (services decide which fields); the responsible officer the descriptive fields.
rules.add_perm("accounts_registry.change_account", is_open & (is_comms | is_responsible))
rules.add_perm("accounts_registry.manage_account", is_comms)
rules.add_perm("accounts_registry.decide_account", is_comms)
rules.add_perm("accounts_registry.transfer_accounts", is_comms)
rules.add_perm("accounts_registry.export_accounts", is_comms | is_auditor)
rules.add_perm("accounts_registry.import_accounts", is_comms)
rules.add_perm("accounts_registry.delete_account", rules.always_deny)  # closed, never deleted
rules.add_perm("accounts_registry.view_activitycheck", can_read_everything)
