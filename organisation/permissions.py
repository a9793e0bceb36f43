"""Who may see and do what with people and the council's structure. Role predicates live here
because every app builds its own rules from them."""

import rules

from core.actions import Policy, Rule, in_states
from organisation.models import Role, RoleGrant


def _role_predicate(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"has_role_{role.name.lower()}")
    def has_role(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.has_role(role))

    return has_role


is_comms = _role_predicate(Role.COMMS)
is_officer = _role_predicate(Role.OFFICER)
is_reviewer = _role_predicate(Role.REVIEWER)
is_head_of_service = _role_predicate(Role.HEAD_OF_SERVICE)
is_councillor = _role_predicate(Role.COUNCILLOR)
is_auditor = _role_predicate(Role.AUDITOR)
can_read_everything = is_comms | is_auditor

for model in ("user", "servicearea", "ward"):
    rules.add_perm(f"organisation.view_{model}", can_read_everything)
    rules.add_perm(f"organisation.add_{model}", is_comms)
    rules.add_perm(f"organisation.change_{model}", is_comms)
# People are marked as having left, never deleted: their history and records must stay.
rules.add_perm("organisation.delete_user", rules.always_deny)
rules.add_perm("organisation.delete_servicearea", is_comms)
rules.add_perm("organisation.delete_ward", is_comms)
rules.add_perm("organisation.import_people", is_comms)
rules.add_perm("organisation.mark_left", is_comms)
# Giving the Communications or Auditor role: one member asks, a different one decides.
rules.add_perm("organisation.view_rolegrant", can_read_everything)
rules.add_perm("organisation.request_rolegrant", is_comms)
rules.add_perm("organisation.decide_rolegrant", is_comms)
# Lock-outs (django-axes): Comms can see them and clear one for a locked-out colleague.
rules.add_perm("axes.view_accessattempt", is_comms)
rules.add_perm("axes.delete_accessattempt", is_comms)
rules.add_perm("axes.view_accessfailurelog", is_comms)
rules.add_perm("axes.view_accesslog", is_comms)

# The admin index shows an app's section to whoever holds the permission named after the app
# (rules' has_module_perms). The Django admin is the Communications team's; each of our apps declares
# its own section (core.contributions); these are the libraries' sections.
for app_label in ("axes", "pghistory"):
    rules.add_perm(app_label, is_comms)


def _may_decide(user, grant) -> str | None:
    if not is_comms(user):
        return "Only the Communications team can confirm or refuse roles."
    if grant.requested_by_id == user.pk:
        return "You asked for this: a different member of the Communications team must confirm or refuse it."
    if grant.person_id == user.pk:
        return (
            "This role is for you: a different member of the Communications team must confirm or refuse it."
        )
    if grant.person.has_left:
        return f"{grant.person} has left the council."
    return None


# What may this person do next with a role grant: one decision, by a second member of Comms.
ROLE_GRANT_ACTIONS = Policy(
    Rule(
        "decide",
        "Confirm or refuse",
        "people:role_grant",
        when=in_states([RoleGrant.Status.PENDING], "This was already {status}."),
        who=_may_decide,
    )
)
