"""Who may see and do what with questionnaires: the one answer views, templates, services and the
admin use.

Who sees what: `Questionnaire.objects.visible_to(user)` (Comms and auditors), `Invitation.objects.
visible_to(user)` (the invitee alone), `Response.objects.visible_to(user)` (Comms alone). What a
person may do next: QUESTIONNAIRE_ACTIONS, INVITATION_ACTIONS (answering) and RESPONSE_ACTIONS
(core.actions). Reports shown to anyone but Comms withhold small groups; free text is on a page of
its own (surveys:comments), for Comms alone."""

from datetime import date

import rules
from django.core.exceptions import ObjectDoesNotExist

from core.actions import Policy, Rule, can_move, in_states
from core.templatetags.dates import govuk_date
from organisation.permissions import can_read_everything, is_comms
from surveys.models import Invitation, Questionnaire, QuestionnaireStatus, Response, ResponseStatus


@rules.predicate
def can_see_questionnaire(user, questionnaire) -> bool:
    if questionnaire is None:
        return can_read_everything(user)
    return Questionnaire.objects.visible_to(user).filter(pk=questionnaire.pk).exists()


@rules.predicate
def can_see_response(user, response) -> bool:
    if response is None:
        return is_comms(user)
    return Response.objects.visible_to(user).filter(pk=response.pk).exists()


@rules.predicate
def structure_not_frozen(user, questionnaire) -> bool:
    return questionnaire is None or not questionnaire.is_frozen


@rules.predicate
def has_no_response(user, invitation) -> bool:
    return invitation is None or _response_of(invitation) is None


# Pages that are not about one record
rules.add_perm("surveys.view_questionnaires", can_read_everything)  # every questionnaire, comparisons
rules.add_perm("surveys.view_small_groups", is_comms)  # the report without the anonymity minimum
rules.add_perm("surveys.manage_questionnaire", is_comms)  # load a new one

# The admin (Comms only: it is behind is_staff). Structure is editable there until responses exist.
rules.add_perm("surveys.view_questionnaire", is_comms & can_see_questionnaire)
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
rules.add_perm("surveys.view_response", can_see_response)


# What may this person do next with a questionnaire.

COMMS_ONLY = "Only the Communications team can do this."


def _comms(message: str = COMMS_ONLY):
    def who(user, record) -> str | None:
        return None if is_comms(user) else message

    return who


QUESTIONNAIRE_ACTIONS = Policy(
    Rule("report", "View the report", "surveys:report", style="primary"),
    Rule(
        "invite",
        "Invite people",
        "surveys:invite",
        when=in_states(
            [QuestionnaireStatus.SCHEDULED, QuestionnaireStatus.OPEN],
            "This questionnaire is {status}: nobody new can be invited.",
        ),
        who=_comms("Only the Communications team sends invitations."),
    ),
    Rule(
        "import",
        "Import responses",
        "surveys:import",
        who=_comms("Only the Communications team imports responses."),
    ),
    Rule(
        "open",
        "Open it now",
        "surveys:open",
        when=can_move("open"),
        who=_comms("Only the Communications team opens questionnaires."),
    ),
    Rule(
        "close",
        "Close it now",
        "surveys:close",
        when=can_move("close"),
        who=_comms("Only the Communications team closes questionnaires."),
        style="warning",
    ),
    Rule(
        "reopen",
        "Reopen it",
        "surveys:reopen",
        when=can_move("reopen"),
        who=_comms("Only the Communications team reopens questionnaires."),
    ),
    Rule(
        "edit",
        "Change the title or dates",
        "surveys:edit",
        who=_comms("Only the Communications team changes questionnaires."),
        style="link",
    ),
    Rule(
        "copy",
        "Copy for a new run",
        "surveys:copy",
        who=_comms("Only the Communications team copies questionnaires."),
        style="link",
    ),
    Rule(
        "responses",
        "Individual responses",
        "surveys:responses",
        who=_comms("Only the Communications team sees individual answers."),
        style="link",
    ),
    Rule(
        "comments",
        "Read the comments (free-text answers)",
        "surveys:comments",
        who=_comms("Only the Communications team reads free-text answers."),
        style="link",
    ),
    Rule(
        "export_responses",
        "Download the responses (CSV, the import layout)",
        "surveys:export_responses",
        who=_comms("Only the Communications team downloads individual answers."),
        style="link",
    ),
    Rule("definition", "Download the definition file (JSON)", "surveys:definition", style="link"),
    url_args=lambda questionnaire: [questionnaire.slug],
)


# Answering: what may an invitee do with their invitation now.


def _response_of(invitation: Invitation) -> Response | None:
    try:
        return invitation.response
    except ObjectDoesNotExist:
        return None


def _on(day: date | None) -> str:
    return f" on {govuk_date(day)}" if day else ""


def answering_refusal(invitation: Invitation) -> str | None:
    """Why the invitee cannot answer now (their answers are sent, or the questionnaire is not open),
    or None if they can."""
    questionnaire, response = invitation.questionnaire, _response_of(invitation)
    if response is not None and response.status != ResponseStatus.IN_PROGRESS:
        return f"You sent your answers on {govuk_date(response.submitted_at)}: they can no longer be changed."
    if questionnaire.status == QuestionnaireStatus.SCHEDULED:
        return f"This questionnaire opens{_on(questionnaire.opens_on)}. You can answer it from then."
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        before = ", before your answers were sent" if response is not None else ""
        return f"This questionnaire closed{_on(questionnaire.closes_on)}{before}."
    return None


def _invitee(user, invitation) -> str | None:
    return None if invitation.person_id == user.pk else "This is not your invitation."


INVITATION_ACTIONS = Policy(
    Rule("answer", "Answer the questions", "surveys:answer", when=answering_refusal, who=_invitee),
)


# What may Comms do with one response.

RESPONSE_ACTIONS = Policy(
    Rule(
        "void",
        "Void this response",
        "surveys:void",
        when=can_move("void"),
        who=_comms("Only the Communications team voids responses."),
        style="warning",
    ),
    url_args=lambda response: [response.questionnaire.slug, response.pk],
)
