"""Comms void a response with a reason (issue 9, item 2): it is kept and shown as voided to Comms,
the void is logged, and it is left out of every figure, download and comparison."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from surveys.models import Response, ResponseStatusChange
from tests.surveys.helpers import make_questionnaire, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def pulse():
    questionnaire = make_questionnaire()
    for i in range(5):
        respond(questionnaire, {"uses": "no", "accounts": 1}, respondent=f"o{i}@x.test")
    respond(questionnaire, {"uses": "yes", "platforms": ["x"], "accounts": 999}, respondent="joke@x.test")
    return questionnaire


def joke() -> Response:
    return Response.objects.get(respondent="joke@x.test")


def void(client, questionnaire, response, reason="Answered as a test, says the respondent."):
    url = reverse("surveys:void", args=[questionnaire.slug, response.pk])
    return client.post(url, {"reason": reason}, follow=True)


def test_comms_void_a_response_with_a_reason_and_it_is_shown_as_voided(clients, people, pulse):
    detail = reverse("surveys:response", args=[pulse.slug, joke().pk])
    assert 'data-action="void"' in clients["comms"].get(detail).content.decode()
    assert "Say why" in void(clients["comms"], pulse, joke(), reason="").content.decode()
    page = void(clients["comms"], pulse, joke()).content.decode()
    assert "The response is voided: it is no longer counted." in page
    assert "Voided by" in page and "Answered as a test, says the respondent." in page
    assert 'data-action="void"' not in page
    change = ResponseStatusChange.objects.get()
    assert (change.response, change.actor, change.from_status, change.to_status) == (
        joke(),
        people["comms"],
        "submitted",
        "voided",
    )
    listing = clients["comms"].get(reverse("surveys:responses", args=[pulse.slug])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Voided</strong>' in listing
    detail_page = clients["comms"].get(reverse("surveys:detail", args=[pulse.slug])).content.decode()
    assert "and 1 voided (not counted)" in detail_page


def test_a_voided_response_is_left_out_of_every_figure_and_download(clients, pulse):
    report = reverse("surveys:report", args=[pulse.slug])
    assert "Mean: <strong>167.33</strong>" in clients["comms"].get(report).content.decode()
    void(clients["comms"], pulse, joke())
    page = clients["comms"].get(report).content.decode()
    assert "Mean: <strong>1.00</strong>" in page  # the cached figures were not reused
    csv_text = (
        clients["comms"].get(reverse("surveys:report_csv", args=[pulse.slug])).content.decode("utf-8-sig")
    )
    assert "officer,5,,,uses,Do you use social media for work?,yes_no,5,yes,Yes,0,0.0,,,," in csv_text
    exported = clients["comms"].get(reverse("surveys:export_responses", args=[pulse.slug])).content.decode()
    assert "joke@x.test" not in exported and exported.count("@x.test") == 5
    later = make_questionnaire(slug="later")
    respond(later, {"uses": "yes"}, respondent="a@x.test")
    compared = clients["auditor"].get(reverse("surveys:compare"), {"first": pulse.slug, "second": "later"})
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">5</td>' in compared.content.decode()


def test_only_a_sent_response_can_be_voided_and_only_once(clients, pulse):
    draft = respond(pulse, {"uses": "no"}, respondent="draft@x.test", submitted=False)
    refused = clients["comms"].get(reverse("surveys:void", args=[pulse.slug, draft.pk]))
    assert refused.status_code == 403
    assert "This response is in progress, so it cannot be voided now." in refused.content.decode()
    void(clients["comms"], pulse, joke())
    again = clients["comms"].post(reverse("surveys:void", args=[pulse.slug, joke().pk]), {"reason": "Again"})
    assert again.status_code == 403 and "This response is voided" in again.content.decode()
    assert ResponseStatusChange.objects.count() == 1


def test_nobody_else_can_void_or_even_see_a_response(clients, pulse):
    url = reverse("surveys:void", args=[pulse.slug, joke().pk])
    for persona in ["auditor", "officer", "head_of_service", "outsider"]:
        assert clients[persona].post(url, {"reason": "No"}).status_code == 404, persona
    assert joke().status == "submitted"


def test_the_void_log_is_append_only(clients, pulse):
    void(clients["comms"], pulse, joke())
    with pytest.raises(DatabaseError), transaction.atomic():
        ResponseStatusChange.objects.update(comment="Rewritten")
