"""Small questionnaires for the tests, and quick ways to invite and answer (bypassing the pages)."""

import datetime

from django.utils import timezone

from surveys.definition import spec_from_dict
from surveys.figures import figures_changed
from surveys.models import Invitation, Questionnaire, Response, ResponseStatus
from surveys.services import questionnaire_load

# Every question type, a condition, and a question only officers are asked.
PULSE = {
    "slug": "pulse",
    "title": "Social media pulse",
    "audiences": ["officer", "councillor"],
    "questions": [
        {"code": "uses", "text": "Do you use social media for work?", "type": "yes_no", "required": True},
        {
            "code": "platforms",
            "text": "Which platforms?",
            "type": "multiple_choice",
            "required": True,
            "options": [
                {"code": "x", "label": "X"},
                {"code": "facebook", "label": "Facebook"},
                {"code": "youtube", "label": "YouTube"},
            ],
            "show_if": {"question": "uses", "equals": "yes"},
        },
        {
            "code": "often",
            "text": "How often?",
            "type": "single_choice",
            "options": [
                {"code": "daily", "label": "Every day"},
                {"code": "weekly", "label": "Every week"},
                {"code": "monthly", "label": "Every month"},
            ],
            "show_if": {"question": "uses", "equals": "yes"},
        },
        {
            "code": "reviews",
            "text": "Are posts reviewed first?",
            "type": "yes_no",
            "audiences": ["officer"],
            "show_if": {"question": "uses", "equals": "yes"},
        },
        {
            "code": "rank",
            "text": "Rank these benefits",
            "type": "ranking",
            "options": [
                {"code": "a", "label": "Reach"},
                {"code": "b", "label": "Speed"},
                {"code": "c", "label": "Cost"},
            ],
        },
        # Negative and decimal numbers allowed, so the tests can show they stay numbers in every file.
        {
            "code": "accounts",
            "text": "How many accounts do you run?",
            "type": "number",
            "min": -1000,
            "max": 1000,
            "decimals": 2,
        },
        {"code": "comments", "text": "Anything else?", "type": "text"},
    ],
}


def definition(**changes) -> dict:
    return {**PULSE, **changes}


def make_questionnaire(*, opens_on=None, closes_on=None, **changes) -> Questionnaire:
    data = definition(**changes)
    if opens_on:
        data["opens_on"] = opens_on.isoformat()
    if closes_on:
        data["closes_on"] = closes_on.isoformat()
    questionnaire, _ = questionnaire_load(spec=spec_from_dict(data))
    return questionnaire


def invite(questionnaire: Questionnaire, person, audience: str = "officer") -> Invitation:
    invitation = Invitation.objects.create(questionnaire=questionnaire, person=person, audience=audience)
    figures_changed(questionnaire.pk)  # as surveys.services.invitations_create does
    return invitation


def respond(
    questionnaire: Questionnaire,
    answers: dict,
    *,
    audience: str = "officer",
    invitation: Invitation | None = None,
    respondent: str | None = None,
    submitted: bool = True,
) -> Response:
    when = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30))
    figures_changed(questionnaire.pk)  # as surveys.services.response_submit does
    return Response.objects.create(
        questionnaire=questionnaire,
        invitation=invitation,
        respondent=respondent
        or (invitation.person.email if invitation else f"r{Response.objects.count()}@x.test"),
        audience=audience,
        answers=answers,
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.IN_PROGRESS,
        submitted_at=when if submitted else None,
    )
