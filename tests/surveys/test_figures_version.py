"""The report's cached figures (surveys.figures) are kept under the questionnaire's figures_version:
every way its figures can change moves the version on, in the same transaction, and the report page
shows the new figures at once. Saving an answer part-way changes no figure, and moves nothing."""

import re

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from surveys.figures import figures_changed
from surveys.models import Invitation, Questionnaire, Response
from surveys.privacy import response_anonymise
from surveys.services import (
    invitations_create,
    response_save_answer,
    response_submit,
    response_void,
    responses_import,
)
from tests.surveys.helpers import invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def pulse():
    return make_questionnaire()


def version(questionnaire: Questionnaire) -> int:
    return Questionnaire.objects.values_list("figures_version", flat=True).get(pk=questionnaire.pk)


def shown(client, questionnaire: Questionnaire) -> dict[str, str]:
    """The everyone group's Responses and Invited, as the report page shows them (cached or not)."""
    page = client.get(reverse("surveys:report", args=[questionnaire.slug])).content.decode()
    return dict(
        re.findall(r'__key">(Responses|Invited)</dt><dd class="govuk-summary-list__value">([^<]*)<', page)
    )


def test_an_answer_sent_moves_the_version_and_the_report_counts_it(clients, people, pulse):
    invitation = invite(pulse, people["officer"])
    response_save_answer(invitation=invitation, by=people["officer"], question_code="uses", value="no")
    before, page = version(pulse), shown(clients["comms"], pulse)
    assert version(pulse) == before  # saving part-way changes no figure
    assert page["Responses"] == "0"
    response_submit(invitation=invitation, by=people["officer"])
    assert version(pulse) != before
    assert shown(clients["comms"], pulse)["Responses"] == "1"


def test_a_void_moves_the_version_and_the_report_leaves_it_out(clients, people, pulse):
    response = respond(pulse, {"uses": "yes"}, respondent="a@x.test")
    before, page = version(pulse), shown(clients["comms"], pulse)
    assert page["Responses"] == "1"
    response_void(response=response, by=people["comms"], reason="A test.")
    assert version(pulse) != before
    assert shown(clients["comms"], pulse)["Responses"] == "0"


def test_an_import_moves_the_version_and_the_report_counts_it(clients, pulse):
    before, page = version(pulse), shown(clients["comms"], pulse)
    assert page["Responses"] == "0"
    data = b"respondent,audience,submitted_at,uses\namy@x.test,officer,2026-03-02T10:30:00,no\n"
    assert responses_import(questionnaire=pulse, by=None, data=data) == 1
    assert version(pulse) != before
    assert shown(clients["comms"], pulse)["Responses"] == "1"


def test_anonymising_a_response_moves_the_version_and_leaves_the_figures(clients, pulse):
    respond(pulse, {"uses": "yes", "comments": "Private note"}, respondent="a@x.test")
    before, page = version(pulse), shown(clients["comms"], pulse)
    response_anonymise(Response.objects.get())
    assert version(pulse) != before
    assert shown(clients["comms"], pulse) == page


def test_inviting_people_moves_the_version_and_the_report_counts_them(clients, people, pulse):
    before, page = version(pulse), shown(clients["comms"], pulse)
    assert page["Invited"] == "\u2013"
    result = invitations_create(
        questionnaire=pulse, by=people["comms"], audience="officer", role="Officer", notify=False
    )
    assert result.invited and version(pulse) != before
    assert shown(clients["comms"], pulse)["Invited"] == str(len(result.invited))
    again = version(pulse)
    invitations_create(
        questionnaire=pulse, by=people["comms"], audience="officer", role="Officer", notify=False
    )
    assert version(pulse) == again  # nobody new


@pytest.mark.parametrize("how", ["one", "several"])
def test_withdrawing_an_invitation_in_the_admin_moves_the_version(clients, people, pulse, how):
    invite(pulse, people["officer"])
    invite(pulse, people["councillor"], audience="councillor")
    before, page = version(pulse), shown(clients["comms"], pulse)
    assert page["Invited"] == "2"
    request = RequestFactory().post("/")
    request.user = people["comms"]
    admin = site._registry[Invitation]
    if how == "one":
        admin.delete_model(request, Invitation.objects.get(person=people["officer"]))
    else:
        admin.delete_queryset(request, Invitation.objects.filter(person=people["officer"]))
    assert version(pulse) != before
    assert shown(clients["comms"], pulse)["Invited"] == "1"


def test_a_new_version_is_not_a_change_in_the_audit_trail(pulse):
    events = apps.get_model("surveys", "QuestionnaireEvent").objects.filter(pgh_obj_id=pulse.pk)
    before = events.count()
    figures_changed(pulse.pk)
    assert events.count() == before
