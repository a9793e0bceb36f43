"""Who may see and do what with questionnaires. Views, templates, services and the admin all ask here.

Invitees answer only their own invitation; Comms builds, invites, imports and reads everything;
auditors read reports (with small groups withheld); individual answers are for Comms only."""

import rules

from organisation.permissions import can_read_everything, is_comms


@rules.predicate
def is_invitee(user, invitation) -> bool:
    return invitation is not None and invitation.person_id == user.pk


@rules.predicate
def structure_not_frozen(user, questionnaire) -> bool:
    return questionnaire is None or not questionnaire.is_frozen


@rules.predicate
def has_no_response(user, invitation) -> bool:
    return invitation is None or not hasattr(invitation, "response") or invitation.response is None


# Pages
rules.add_perm("surveys.view_questionnaires", can_read_everything)
rules.add_perm("surveys.view_report", can_read_everything)
rules.add_perm("surveys.view_small_groups", is_comms)  # the report without the anonymity minimum
rules.add_perm("surveys.view_individual_answers", is_comms)
rules.add_perm("surveys.manage_questionnaire", is_comms)  # load, edit dates, copy
rules.add_perm("surveys.invite", is_comms)
rules.add_perm("surveys.import_responses", is_comms)
rules.add_perm("surveys.export_responses", is_comms)
rules.add_perm("surveys.answer_invitation", is_invitee)

# The admin (Comms only: it is behind is_staff). Structure is editable there until responses exist.
rules.add_perm("surveys.view_questionnaire", is_comms)
rules.add_perm("surveys.add_questionnaire", is_comms)
rules.add_perm("surveys.change_questionnaire", is_comms)
rules.add_perm("surveys.delete_questionnaire", is_comms & structure_not_frozen)
for model in ("question", "option"):
    rules.add_perm(f"surveys.view_{model}", is_comms)
    rules.add_perm(f"surveys.add_{model}", is_comms)
    rules.add_perm(f"surveys.change_{model}", is_comms)
    rules.add_perm(f"surveys.delete_{model}", is_comms)
rules.add_perm("surveys.view_invitation", is_comms)
rules.add_perm("surveys.delete_invitation", is_comms & has_no_response)  # invited by mistake
rules.add_perm("surveys.view_response", is_comms)
