"""Every questionnaire page: who may see it (the permission matrix), and what Comms and auditors do there."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from surveys.definition import spec_from_dict
from surveys.models import Invitation, Questionnaire, QuestionnaireStatus, Response
from surveys.services import questionnaire_close, questionnaire_load, questionnaire_reopen, response_void
from tests.factories import PersonFactory
from tests.surveys.helpers import definition, invite, make_questionnaire, respond

pytestmark = pytest.mark.django_db

EVERYONE = ["comms", "officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"]


def only(allowed: dict[str, int], default: int = 403) -> dict[str, int]:
    return {name: allowed.get(name, default) for name in EVERYONE}


@pytest.fixture
def pulse(people):
    questionnaire = make_questionnaire()
    invitation = invite(questionnaire, people["head_of_service"], "officer")
    respond(
        questionnaire,
        {"uses": "yes", "platforms": ["x"], "reviews": "yes", "comments": "Private note"},
        invitation=invitation,
    )
    for i in range(5):
        respond(questionnaire, {"uses": "no", "rank": {"a": 1}}, respondent=f"o{i}@x.test")
    respond(questionnaire, {"uses": "no"}, respondent="c1@x.test", audience="councillor")
    return questionnaire


def test_the_list_is_for_everyone_signed_in(assert_statuses, pulse):
    assert_statuses(reverse("surveys:list"), only({}, 200))


# Questionnaires are seen by Comms and auditors (Questionnaire.objects.visible_to): anyone else gets
# 404, as for any record they may not see; an auditor refused a Comms action gets 403 saying why.
COMMS_ONLY = {"comms": 200, "auditor": 403}


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("detail", {"comms": 200, "auditor": 200}),
        ("definition", {"comms": 200, "auditor": 200}),
        ("report", {"comms": 200, "auditor": 200}),
        ("report_csv", {"comms": 200, "auditor": 200}),
        ("report_xlsx", {"comms": 200, "auditor": 200}),
        ("edit", COMMS_ONLY),
        ("copy", COMMS_ONLY),
        ("invite", COMMS_ONLY),
        ("import", COMMS_ONLY),
        ("export_responses", COMMS_ONLY),
        ("responses", COMMS_ONLY),
        ("comments", COMMS_ONLY),
        ("close", COMMS_ONLY),
    ],
)
def test_questionnaire_pages_permission_matrix(assert_statuses, pulse, name, allowed):
    assert_statuses(reverse(f"surveys:{name}", args=[pulse.slug]), only(allowed, 404))


def test_individual_answers_are_for_comms_only(assert_statuses, pulse):
    response = Response.objects.filter(invitation__isnull=False).get()
    assert_statuses(reverse("surveys:response", args=[pulse.slug, response.pk]), only({"comms": 200}, 404))
    assert_statuses(reverse("surveys:void", args=[pulse.slug, response.pk]), only({"comms": 200}, 404))


def test_pages_without_a_questionnaire_permission_matrix(assert_statuses, pulse):
    assert_statuses(reverse("surveys:new"), only({"comms": 200}))
    assert_statuses(reverse("surveys:compare"), only({"comms": 200, "auditor": 200}))


@pytest.mark.parametrize("name", ["edit", "copy", "invite", "import", "close"])
def test_changes_are_refused_to_everyone_but_comms(assert_statuses, pulse, name):
    assert_statuses(reverse(f"surveys:{name}", args=[pulse.slug]), only(COMMS_ONLY, 404), method="post")
    assert_statuses(reverse("surveys:new"), only({"comms": 200}), method="post")


def test_an_invitation_is_private_to_its_invitee(assert_statuses, people):
    questionnaire = make_questionnaire()
    invitation = invite(questionnaire, people["councillor"], "councillor")
    for name, args in [("start", []), ("question", ["uses"]), ("check", [])]:
        assert_statuses(
            reverse(f"surveys:{name}", args=[invitation.pk, *args]), only({"councillor": 200}, 404)
        )
    assert_statuses(reverse("surveys:done", args=[invitation.pk]), only({"councillor": 302}, 404))
    assert_statuses(
        reverse("surveys:question", args=[invitation.pk, "uses"]),
        only({"councillor": 302}, 404),
        method="post",
        data={"answer": "no"},
    )


def test_an_unknown_questionnaire_is_404_and_so_is_one_the_person_may_not_see(clients, pulse):
    assert clients["comms"].get("/surveys/no-such-thing/").status_code == 404
    assert clients["officer"].get("/surveys/no-such-thing/").status_code == 404
    assert clients["officer"].get(f"/surveys/{pulse.slug}/").status_code == 404


def test_questionnaires_are_in_everyones_navigation(clients):
    for persona in ["officer", "councillor", "auditor"]:
        assert 'href="/surveys/"' in clients[persona].get("/").content.decode()


def test_the_list_shows_invitations_and_for_comms_every_questionnaire(clients, pulse):
    page = clients["head_of_service"].get(reverse("surveys:list")).content.decode()
    assert (
        "Questionnaires for you to answer" in page
        and "Social media pulse" in page
        and "Sent 2 March 2026" in page
    )
    assert "All questionnaires" not in page
    assert "All questionnaires" in clients["auditor"].get(reverse("surveys:list")).content.decode()
    assert "You have not been asked" in clients["officer"].get(reverse("surveys:list")).content.decode()


# Query guards: each list and record page makes the same number of queries before and after what it
# shows grows (more questionnaires, invitations, responses, voids, status changes).


def _more(questionnaire, people, n: int) -> None:
    """n more responses (one of them voided), invitations and a status change or two."""
    start = Response.objects.count()
    made = [
        respond(
            questionnaire,
            {"uses": "yes", "platforms": ["x"], "rank": {"a": 1}, "accounts": i, "comments": "Hi"},
            respondent=f"m{start + i}@x.test",
        )
        for i in range(n)
    ]
    respond(questionnaire, {"uses": "no"}, respondent=f"m{start}-draft@x.test", submitted=False)
    response_void(response=made[0], by=people["comms"], reason="A test.")
    for person in PersonFactory.create_batch(3, roles=["Head of Service"]):
        invite(questionnaire, person)
    if questionnaire.status == QuestionnaireStatus.OPEN:
        questionnaire_close(questionnaire=questionnaire, by=people["comms"], reason="Enough.")
        questionnaire_reopen(questionnaire=questionnaire, by=people["comms"], reason="More.", closes_on=None)


def cold(client, url: str):
    """The page with nothing cached: the same work each time, so its queries can be compared."""
    cache.clear()
    return client.get(url)


def test_the_list_queries_stay_flat(clients, people, pulse, assert_flat_queries):
    def grow():
        for _ in range(3):
            more = make_questionnaire(slug=f"more-{Questionnaire.objects.count()}")
            _more(more, people, 3)
            invite(more, people["head_of_service"])

    for persona, at_most in [("comms", 5), ("auditor", 7), ("head_of_service", 6)]:
        assert_flat_queries(lambda p=persona: clients[p].get(reverse("surveys:list")), grow, at_most=at_most)


@pytest.mark.parametrize(
    "name, at_most",
    [("detail", 11), ("report", 9), ("report_csv", 9), ("responses", 6), ("comments", 11)],
)
def test_the_questionnaire_pages_queries_stay_flat(
    clients, people, pulse, assert_flat_queries, name, at_most
):
    url = reverse(f"surveys:{name}", args=[pulse.slug])
    assert_flat_queries(lambda: cold(clients["comms"], url), lambda: _more(pulse, people, 8), at_most=at_most)


@pytest.mark.parametrize("name, queries", [("report", 7), ("report_csv", 6)])
def test_the_report_with_its_figures_cached_counts_no_response(
    clients, people, pulse, django_assert_num_queries, name, queries
):
    """As most requests find it: session, person, permissions, questionnaire, its questions and
    options (the cache key's structure), and the page's banner; the figures and invitations come
    from the cache, whatever the number of responses."""
    url = reverse(f"surveys:{name}", args=[pulse.slug])
    for _ in range(2):  # as it is, then with more responses and invitations
        clients["comms"].get(url)  # the figures are cached now
        with django_assert_num_queries(queries):
            assert clients["comms"].get(url).status_code == 200
        _more(pulse, people, 8)


def test_a_response_page_queries_stay_flat(clients, people, pulse, assert_flat_queries):
    response = Response.objects.filter(invitation__isnull=False).get()
    url = reverse("surveys:response", args=[pulse.slug, response.pk])

    def grow():
        _more(pulse, people, 4)
        response_void(response=response, by=people["comms"], reason="Said it was a test.")

    assert_flat_queries(lambda: clients["comms"].get(url), grow, at_most=8)


def test_the_comparison_queries_stay_flat(clients, people, pulse, assert_flat_queries):
    make_questionnaire(slug="pulse-2027")
    url = reverse("surveys:compare") + "?first=pulse&second=pulse-2027"
    grow = lambda: (_more(pulse, people, 6), _more(Questionnaire.objects.get(slug="pulse-2027"), people, 6))  # noqa: E731
    for persona in ["comms", "auditor"]:
        assert_flat_queries(lambda p=persona: cold(clients[p], url), grow, at_most=21)


def test_the_answering_pages_queries_stay_flat(clients, people, pulse, assert_flat_queries):
    invitation = invite(make_questionnaire(slug="mine"), people["councillor"], "councillor")
    client = clients["councillor"]
    client.post(reverse("surveys:question", args=[invitation.pk, "uses"]), {"answer": "yes"})

    def grow():
        for code, answer in [("platforms", ["x", "facebook"]), ("often", "daily"), ("accounts", "3")]:
            client.post(reverse("surveys:question", args=[invitation.pk, code]), {"answer": answer})
        for _ in range(3):
            also = make_questionnaire(slug=f"also-{Questionnaire.objects.count()}")
            invite(also, people["councillor"], "councillor")

    for name, at_most in [("start", 7), ("check", 9)]:
        url = reverse(f"surveys:{name}", args=[invitation.pk])
        assert_flat_queries(lambda u=url: client.get(u), grow, at_most=at_most)


def test_comms_invite_by_role_and_service_area_and_invitees_are_emailed(
    clients, people, service_area, other_service_area
):
    questionnaire = make_questionnaire()
    elsewhere = PersonFactory(roles=["Head of Service"], service_area=other_service_area)
    gone = PersonFactory(roles=["Head of Service"], left_on=datetime.date(2025, 1, 1), is_active=False)
    response = clients["comms"].post(
        reverse("surveys:invite", args=[questionnaire.slug]),
        {"audience": "officer", "role": "Head of Service"},
        follow=True,
    )
    assert "2 people invited and emailed." in response.content.decode()
    invited = set(Invitation.objects.values_list("person_id", flat=True))
    assert invited == {people["head_of_service"].pk, elsewhere.pk} and gone.pk not in invited
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == invited
    assert Notification.objects.filter(subject="Please answer: Social media pulse").count() == 2

    # By service area (anyone working there), skipping those already invited.
    response = clients["comms"].post(
        reverse("surveys:invite", args=[questionnaire.slug]),
        {"audience": "officer", "service_areas": [service_area.pk]},
        follow=True,
    )
    page = response.content.decode()
    in_area = {p.pk for p in people.values() if p.service_area_id == service_area.pk}
    assert (
        f"{len(in_area) - 1} people invited and emailed. 1 of those you chose had already been invited."
        in page
    )
    assert Invitation.objects.filter(person=people["head_of_service"]).count() == 1


def test_inviting_needs_a_choice_and_an_audience_of_the_questionnaire(clients):
    questionnaire = make_questionnaire(audiences=["councillor"], questions=[definition()["questions"][0]])
    page = (
        clients["comms"]
        .post(reverse("surveys:invite", args=[questionnaire.slug]), {"audience": "councillor"})
        .content.decode()
    )
    assert "Choose a role, one or more service areas, or both." in page
    page = (
        clients["comms"]
        .post(
            reverse("surveys:invite", args=[questionnaire.slug]), {"audience": "officer", "role": "Officer"}
        )
        .content.decode()
    )
    assert "Select a valid choice" in page
    assert not Invitation.objects.exists()


def upload(text: str, name: str = "responses.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_import_page_lists_every_problem_with_its_line(clients):
    questionnaire = make_questionnaire()
    bad = "respondent,audience,submitted_at,uses\na@x.test,officer,2026-03-01T09:00:00,maybe\nb@x.test,staff,2026-03-01T09:00:00,no\n"
    page = (
        clients["comms"]
        .post(reverse("surveys:import", args=[questionnaire.slug]), {"responses": upload(bad)})
        .content.decode()
    )
    assert "The file was not imported: 2 lines have problems. Nothing was saved." in page
    assert "uses must be yes or no, not “maybe”" in page and "Unknown audience “staff”" in page
    assert not Response.objects.exists()

    good = "respondent,audience,submitted_at,uses\na@x.test,officer,2026-03-01T09:00:00,no\n"
    response = clients["comms"].post(
        reverse("surveys:import", args=[questionnaire.slug]), {"responses": upload(good)}, follow=True
    )
    assert "1 response imported." in response.content.decode()
    page = (
        clients["comms"]
        .post(reverse("surveys:import", args=[questionnaire.slug]), {"responses": upload(good, "r.pdf")})
        .content.decode()
    )
    assert "The selected file must be a CSV file" in page


def test_responses_download_in_the_import_layout_for_comms(clients, pulse):
    response = clients["comms"].get(reverse("surveys:export_responses", args=[pulse.slug]))
    text = response.content.decode("utf-8")
    assert text.startswith(
        "\ufeffrespondent,audience,submitted_at,uses,platforms,often,reviews,rank:a,rank:b,rank:c,accounts,comments"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="pulse-responses-')
    assert len(text.strip().splitlines()) == 8


def test_the_report_withholds_small_groups_and_free_text_from_auditors_but_not_comms(clients, pulse):
    comms = (
        clients["comms"].get(reverse("surveys:report", args=[pulse.slug]) + "?group=officer").content.decode()
    )
    auditor = (
        clients["auditor"]
        .get(reverse("surveys:report", args=[pulse.slug]) + "?group=officer")
        .content.decode()
    )
    # Free text is on a page of its own, linked for Comms alone; the report reads none.
    assert "Private note" not in comms and "Read the 1 comment</a>" in comms
    assert "Private note" not in auditor and "Read the" not in auditor
    # Officers: 6 answered "uses", but only 1 answered "reviews".
    assert "Not shown: fewer than 5 people answered" in auditor
    assert "Weighted average of those who ranked it" in auditor and "Score counting unranked as 0" in auditor
    councillors = (
        clients["auditor"]
        .get(reverse("surveys:report", args=[pulse.slug]) + "?group=councillor")
        .content.decode()
    )
    assert "Fewer than 5 councillors answered, so their answers are not shown." in councillors
    assert (
        "Fewer than"
        not in clients["comms"]
        .get(reverse("surveys:report", args=[pulse.slug]) + "?group=councillor")
        .content.decode()
    )


def test_the_report_downloads_as_csv_and_xlsx(clients, pulse):
    csv_text = (
        clients["comms"].get(reverse("surveys:report_csv", args=[pulse.slug])).content.decode("utf-8-sig")
    )
    lines = csv_text.splitlines()
    assert (
        lines[0]
        == "group,responses,invited,response_rate,question,question_text,type,base,option,option_label,count,percent,ranked_by,weighted_average,weighted_average_all,mean"
    )
    assert "officer,6,1,600.0,uses,Do you use social media for work?,yes_no,6,yes,Yes,1,16.7,,,," in lines
    auditor_csv = (
        clients["auditor"].get(reverse("surveys:report_csv", args=[pulse.slug])).content.decode("utf-8-sig")
    )
    assert "Not shown: fewer than 5 answered" in auditor_csv
    xlsx = clients["auditor"].get(reverse("surveys:report_xlsx", args=[pulse.slug]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:5] == ["group", "responses", "invited", "response_rate", "question"]


def test_comparing_two_runs_shows_the_change(clients, pulse, people):
    later = make_questionnaire(slug="pulse-2027")
    for i in range(6):
        respond(
            later,
            {"uses": "yes" if i < 3 else "no", "platforms": ["x"]} if i < 3 else {"uses": "no"},
            respondent=f"l{i}@x.test",
        )
    page = (
        clients["auditor"]
        .get(reverse("surveys:compare"), {"first": "pulse", "second": "pulse-2027", "group": "officer"})
        .content.decode()
    )
    assert "Social media pulse and Social media pulse" in page
    assert "16.7" in page and "50.0" in page and "+33.3" in page  # officers saying yes: 1 of 6, then 3 of 6
    same = (
        clients["auditor"]
        .get(reverse("surveys:compare"), {"first": "pulse", "second": "pulse"})
        .content.decode()
    )
    assert "Choose two different runs" in same


def test_comms_load_a_definition_edit_dates_and_copy(clients):
    page = clients["comms"].post(
        reverse("surveys:new"), {"definition": upload(json.dumps(definition()), "pulse.json")}, follow=True
    )
    assert "“Social media pulse” is loaded." in page.content.decode()
    bad = (
        clients["comms"]
        .post(reverse("surveys:new"), {"definition": upload('{"slug": "x"}', "x.json")})
        .content.decode()
    )
    assert "needs a “title”" in bad and "There is a problem" in bad

    edit = reverse("surveys:edit", args=["pulse"])
    page = (
        clients["comms"]
        .post(
            edit, {"title": "Pulse", "description": "", "opens_on": "2026-05-01", "closes_on": "2026-04-01"}
        )
        .content.decode()
    )
    assert "The closing date must be the same as or after the opening date." in page
    clients["comms"].post(
        edit, {"title": "Pulse", "description": "Hello", "opens_on": "2026-04-01", "closes_on": "2026-05-01"}
    )
    questionnaire = Questionnaire.objects.get(slug="pulse")
    assert (questionnaire.title, questionnaire.closes_on) == ("Pulse", datetime.date(2026, 5, 1))

    response = clients["comms"].post(
        reverse("surveys:copy", args=["pulse"]), {"slug": "pulse-2027", "title": "Pulse 2027"}, follow=True
    )
    assert "“Pulse 2027” is ready." in response.content.decode()
    taken = (
        clients["comms"]
        .post(reverse("surveys:copy", args=["pulse"]), {"slug": "pulse-2027", "title": "Again"})
        .content.decode()
    )
    assert "There is already a questionnaire called pulse-2027" in taken


def test_an_individual_response_shows_each_answer(clients, pulse, people):
    response = Response.objects.get(invitation__person=people["head_of_service"])
    page = clients["comms"].get(reverse("surveys:response", args=[pulse.slug, response.pk])).content.decode()
    assert "Private note" in page and "Which platforms?" in page


def test_admin_lets_comms_search_and_filter_and_keeps_answered_structure_read_only(clients, pulse):
    comms = clients["comms"]
    index = comms.get("/admin/").content.decode()
    assert "Questionnaires" in index and "/admin/surveys/response/" in index
    for path in ["questionnaire", "question", "invitation", "response"]:
        assert comms.get(f"/admin/surveys/{path}/", {"q": "pulse"}).status_code == 200, path
    assert comms.get("/admin/surveys/response/", {"audience": "officer", "source": "web"}).status_code == 200
    question = pulse.questions.first()
    assert (
        comms.post(f"/admin/surveys/question/{question.pk}/change/", {"text": "Changed"}).status_code == 403
    )
    response = Response.objects.first()
    assert comms.get(f"/admin/surveys/response/{response.pk}/change/").status_code == 200
    assert comms.post(f"/admin/surveys/response/{response.pk}/delete/").status_code == 403
    assert clients["auditor"].get("/admin/surveys/response/", follow=True).status_code == 403


def test_loading_editing_or_copying_with_template_code_is_refused(clients):
    data = definition()
    data["questions"] = [
        {**data["questions"][0], "text": "<i id=injected>", "hint": "{{ request.user.email }}"},
        *data["questions"][1:],
    ]
    page = (
        clients["comms"]
        .post(reverse("surveys:new"), {"definition": upload(json.dumps(data), "pulse.json")})
        .content.decode()
    )
    assert "There is a problem" in page
    assert "Question 1 (uses): the hint must not contain “{{”" in page
    assert not Questionnaire.objects.exists()

    make_questionnaire()
    edit = reverse("surveys:edit", args=["pulse"])
    page = (
        clients["comms"]
        .post(edit, {"title": "Pulse {{ user.email }}", "description": "{% debug %}"})
        .content.decode()
    )
    assert "The title must not contain “{{”" in page and "The description must not contain “{%”" in page
    assert 'id="id_title_1_error"' in page and 'id="id_description_1_error"' in page
    assert Questionnaire.objects.get(slug="pulse").title == "Social media pulse"

    page = (
        clients["comms"]
        .post(reverse("surveys:copy", args=["pulse"]), {"slug": "pulse-2027", "title": "{{ user.email }}"})
        .content.decode()
    )
    assert "The questionnaire&#x27;s title must not contain “{{”" in page
    assert 'id="id_title_1_error"' in page and 'id="id_slug_1_error"' not in page  # on the title
    assert not Questionnaire.objects.filter(slug="pulse-2027").exists()


def test_report_downloads_quote_text_that_would_run_as_a_formula(clients):
    data = definition(slug="formulas")
    data["questions"] = [
        {
            **data["questions"][0],
            "text": '=HYPERLINK("http://x.test","uses?")',
            "options": [{"code": "yes", "label": "+Yes"}, {"code": "no", "label": "-No"}],
        },
        *data["questions"][1:],
    ]
    questionnaire, _ = questionnaire_load(spec=spec_from_dict(data))
    respond(questionnaire, {"uses": "yes", "accounts": -3})
    csv_text = (
        clients["comms"]
        .get(reverse("surveys:report_csv", args=[questionnaire.slug]))
        .content.decode("utf-8-sig")
    )
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    uses = [row for row in rows if row["group"] == "officer" and row["question"] == "uses"]
    assert [(row["question_text"], row["option_label"]) for row in uses] == [
        ('\'=HYPERLINK("http://x.test","uses?")', "'+Yes"),
        ('\'=HYPERLINK("http://x.test","uses?")', "'-No"),
    ]
    accounts = next(row for row in rows if row["group"] == "officer" and row["question"] == "accounts")
    assert accounts["mean"] == "-3.0"

    xlsx = clients["comms"].get(reverse("surveys:report_xlsx", args=[questionnaire.slug]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    uses = next(c for c in cells if c["group"].value == "officer" and c["question"].value == "uses")
    assert uses["question_text"].value == '\'=HYPERLINK("http://x.test","uses?")'
    assert uses["question_text"].data_type == "s" and uses["option_label"].value == "'+Yes"
    assert not any(c.data_type == "f" for row in cells for c in row.values())
    accounts = next(c for c in cells if c["group"].value == "officer" and c["question"].value == "accounts")
    assert accounts["mean"].value == -3 and accounts["mean"].data_type == "n"


# Comments: the free-text answers on a page of their own, 50 a page (Comms only).


def _comments(client, questionnaire, query: str = "") -> str:
    return client.get(reverse("surveys:comments", args=[questionnaire.slug]) + query).content.decode()


def test_the_report_links_to_the_comments_with_a_count_from_the_cached_figures(clients, pulse):
    for i in range(3):
        respond(
            pulse, {"uses": "no", "comments": f"Note {i}"}, respondent=f"n{i}@x.test", audience="councillor"
        )
    report = reverse("surveys:report", args=[pulse.slug])
    everyone = clients["comms"].get(report).content.decode()
    assert "Read the 4 comments</a> (free-text answers)." in everyone
    assert "Read the 4 answers to this question" in everyone and "Note 1" not in everyone
    councillors = clients["comms"].get(report + "?group=councillor").content.decode()
    assert "Read the 3 comments</a> (free-text answers from councillors)." in councillors
    assert f"{reverse('surveys:comments', args=[pulse.slug])}?group=councillor" in councillors


def test_the_comments_are_listed_alphabetically_50_a_page_without_voided_ones(clients, people, pulse):
    made = [
        respond(pulse, {"uses": "no", "comments": f"comment {i:03}"}, respondent=f"p{i}@x.test")
        for i in range(60)
    ]
    respond(pulse, {"uses": "no", "comments": ""}, respondent="empty@x.test")  # not an answer
    respond(pulse, {"uses": "no", "comments": "Not sent"}, respondent="draft@x.test", submitted=False)
    response_void(response=made[0], by=people["comms"], reason="A test.")
    first = _comments(clients["comms"], pulse)
    assert "Comments: everyone" in first and "Anything else?" in first
    assert "comment 001" in first and "comment 050" in first and "comment 051" not in first
    assert "Private note" not in first  # "P" sorts after "c", whatever the case
    assert "comment 000" not in first and "Not sent" not in first
    assert "Showing 1 to 50 of 60" in first and 'class="govuk-pagination"' in first
    last = _comments(clients["comms"], pulse, "?group=officer&question=comments&page=2")
    assert "comment 051" in last and "Private note" in last and "Showing 51 to 60 of 60" in last
    assert "?group=officer&amp;question=comments&amp;page=1" in last


def test_the_comments_page_says_when_there_are_none_yet(clients, pulse):
    page = _comments(clients["comms"], pulse, "?group=councillor")
    assert "Comments: councillors" in page
    assert "No comments yet: nobody among councillors has answered this question." in page
    assert (
        "Read the 0"
        not in clients["comms"]
        .get(reverse("surveys:report", args=[pulse.slug]) + "?group=councillor")
        .content.decode()
    )
    plain = make_questionnaire(
        slug="no-text", questions=[q for q in definition()["questions"] if q["type"] != "text"]
    )
    assert "this questionnaire asks no free-text questions" in _comments(clients["comms"], plain)


def test_the_report_reads_no_free_text_and_its_queries_do_not_grow_with_comments(
    clients, people, pulse, assert_flat_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("surveys:report", args=[pulse.slug])

    def grow():
        for i in range(80):
            respond(pulse, {"uses": "no", "comments": f"Long comment {i}"}, respondent=f"g{i}@x.test")

    assert_flat_queries(lambda: cold(clients["comms"], url), grow, at_most=9)
    cache.clear()
    clients["comms"].get(url)  # the figures are cached now
    with CaptureQueriesContext(connection) as queries:
        page = clients["comms"].get(url).content.decode()
    assert "Read the 81 comments" in page and "Long comment" not in page
    assert not [q["sql"] for q in queries.captured_queries if "->>" in q["sql"]]


def test_the_comments_page_shows_what_retention_leaves_of_an_answer(clients, pulse):
    from surveys.privacy import response_anonymise

    assert "Private note" in _comments(clients["comms"], pulse)
    response_anonymise(Response.objects.filter(invitation__isnull=False).get())
    page = _comments(clients["comms"], pulse)
    assert "Private note" not in page and "<li>[removed]</li>" in page
