"""Separation of duties: the Communications and Auditor roles (and with Communications, the admin) are
given only when a second member of the Communications team confirms, or by create_comms_user on the
server. Every path that changes roles is covered: the pages, the admin's person form, the HR import."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from organisation.models import Role, User
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_comms(service_area):
    return PersonFactory(email="comms.2@northfield.gov.uk", roles=[Role.COMMS], service_area=service_area)


def ask(people, role=Role.COMMS, by="comms", person="officer"):
    from organisation.services import role_grant_request

    return role_grant_request(person=people[person], role=role, by=people[by], reason="Joining the team.")


def roles_of(person) -> set[str]:
    return set(User.objects.get(pk=person.pk).groups.values_list("name", flat=True))


# The admin's person form and the HR import: these paths gave the role straight away before.


def admin_form(person, groups) -> dict:
    from django.contrib.auth.models import Group

    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "employee_number": "",
        "service_area": person.service_area_id or "",
        "ward": "",
        "groups": [Group.objects.get(name=g).pk for g in groups],
        "is_superuser": "on",  # not on the form: ignored
        "is_staff": "on",
    }


def test_the_admin_person_form_cannot_give_the_communications_role_alone(clients, people):
    officer = people["officer"]
    url = f"/admin/organisation/user/{officer.pk}/change/"
    response = clients["comms"].post(
        url, admin_form(officer, [Role.OFFICER, Role.REVIEWER, Role.COMMS]), follow=True
    )
    assert response.status_code == 200
    officer = User.objects.get(pk=officer.pk)
    assert roles_of(officer) == {Role.OFFICER, Role.REVIEWER}  # the ordinary role was given at once
    assert not officer.is_staff and not officer.is_superuser
    assert "waiting for a second member of the Communications team" in response.content.decode()


def test_the_admin_says_why_it_cannot_ask_for_someone_who_has_left(clients, people):
    import datetime

    from organisation.services import person_mark_left

    officer = person_mark_left(person=people["officer"], left_on=datetime.date(2026, 1, 5), by=None)
    url = f"/admin/organisation/user/{officer.pk}/change/"
    response = clients["comms"].post(url, admin_form(officer, [Role.OFFICER, Role.COMMS]), follow=True)
    assert response.status_code == 200 and "has left the council" in response.content.decode()
    assert roles_of(officer) == {Role.OFFICER}


def test_the_admin_person_form_can_still_take_a_privileged_role_away(clients, people):
    auditor = people["auditor"]
    clients["comms"].post(
        f"/admin/organisation/user/{auditor.pk}/change/", admin_form(auditor, [Role.OFFICER])
    )
    assert roles_of(auditor) == {Role.OFFICER}


HEADER = "email,first_name,last_name,employee_number,job_title,service_area,ward,roles,left_on\n"


def import_people(text: str):
    import tablib

    from organisation.resources import PersonResource

    return PersonResource().import_data(
        tablib.Dataset().load(HEADER + text, format="csv"), use_transactions=True
    )


def test_the_hr_import_cannot_give_the_communications_or_auditor_role(people, service_area):
    result = import_people(
        "amy@northfield.gov.uk,Amy,Jones,,Officer,waste,,Officer,\n"
        "officer@northfield.gov.uk,Olu,Officer,,Officer,waste,,Officer; Auditor,\n"
        "new.comms@northfield.gov.uk,Nia,New,,Comms,waste,,Communications,\n"
    )
    assert result.has_validation_errors()
    errors = {
        row.number: " ".join(str(e) for es in row.error_dict.values() for e in es)
        for row in result.invalid_rows
    }
    assert set(errors) == {2, 3}
    assert "cannot give the Auditor role" in errors[2] and "cannot give the Communications role" in errors[3]
    assert not User.objects.filter(
        email__in=["amy@northfield.gov.uk", "new.comms@northfield.gov.uk"]
    ).exists()
    assert roles_of(people["officer"]) == {Role.OFFICER}


def test_re_importing_people_who_already_hold_the_role_is_fine(people, service_area):
    result = import_people(
        "comms@northfield.gov.uk,Cara,Comms,,Comms,waste,,Communications,\n"
        "auditor@northfield.gov.uk,Abe,Auditor,,Auditor,waste,,Officer,\n"  # taking it away is allowed
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert roles_of(people["comms"]) == {Role.COMMS} and roles_of(people["auditor"]) == {Role.OFFICER}


# The request and the second person's decision.


def test_nobody_confirms_their_own_request(people, second_comms):
    from organisation.services import role_grant_confirm, role_grant_refuse

    grant = ask(people)
    with pytest.raises(PermissionDenied, match="You asked for this"):
        role_grant_confirm(grant=grant, by=people["comms"])
    with pytest.raises(PermissionDenied, match="You asked for this"):
        role_grant_refuse(grant=grant, by=people["comms"], comment="Changed my mind")
    assert roles_of(people["officer"]) == {Role.OFFICER}


def test_nobody_confirms_a_role_for_themselves(people, second_comms):
    from organisation.services import role_grant_confirm

    for_second = ask({**people, "second": second_comms}, role=Role.AUDITOR, by="comms", person="second")
    with pytest.raises(PermissionDenied, match="This role is for you"):
        role_grant_confirm(grant=for_second, by=second_comms)


def test_a_second_member_confirms_and_the_person_gets_the_role_and_the_admin(clients, people, second_comms):
    import pghistory.models

    grant = ask(people)
    second = clients["comms"].__class__()
    second.force_login(second_comms, backend="django.contrib.auth.backends.ModelBackend")
    response = second.post(
        reverse("people:role_grant", args=[grant.pk]), {"decision": "confirm", "comment": ""}
    )
    assert response.status_code == 302
    officer = User.objects.get(pk=people["officer"].pk)
    assert roles_of(officer) == {Role.OFFICER, Role.COMMS} and officer.is_staff
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by, grant.requested_by) == (
        "confirmed",
        second_comms,
        people["comms"],
    )
    # The audit trail: the request and decision, and the role change stamped with who confirmed it.
    added = pghistory.models.Events.objects.filter(
        pgh_label="role.added", pgh_obj_model="organisation.User_groups"
    )
    assert any((e.pgh_context or {}).get("user") == second_comms.pk for e in added)
    assert pghistory.models.Events.objects.references(grant).filter(pgh_label="update").exists()


def test_refusing_needs_a_reason_and_gives_nothing(people, second_comms):
    from organisation.services import role_grant_refuse

    grant = ask(people, role=Role.AUDITOR)
    with pytest.raises(ValidationError):
        role_grant_refuse(grant=grant, by=second_comms, comment=" ")
    role_grant_refuse(grant=grant, by=second_comms, comment="Not part of internal audit.")
    grant.refresh_from_db()
    assert grant.status == "refused" and roles_of(people["officer"]) == {Role.OFFICER}


def test_the_database_refuses_a_grant_decided_by_whoever_asked(people):
    from organisation.models import RoleGrant

    grant = ask(people)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.filter(pk=grant.pk).update(status="confirmed", decided_by=people["comms"])


def test_the_other_comms_members_are_emailed_and_see_it_waiting(clients, people, second_comms):
    from notifications.services import outbox_deliver

    ask(people)
    outbox_deliver()
    assert [m.to for m in mail.outbox] == [["comms.2@northfield.gov.uk"]]
    assert "Please confirm or refuse: Communications role for" in mail.outbox[0].subject
    second = clients["comms"].__class__()
    second.force_login(second_comms, backend="django.contrib.auth.backends.ModelBackend")
    assert "1role grant waiting for a second person" in second.get("/").content.decode().replace(
        "</span>", ""
    )
    assert "role grant waiting" not in clients["comms"].get("/").content.decode()  # the requester's own


def test_the_page_shows_the_requester_why_they_cannot_decide(clients, people):
    grant = ask(people)
    page = clients["comms"].get(reverse("people:role_grant", args=[grant.pk])).content.decode()
    assert "You asked for this" in page and "Save decision" not in page
    response = clients["comms"].post(reverse("people:role_grant", args=[grant.pk]), {"decision": "confirm"})
    assert response.status_code == 302 and roles_of(people["officer"]) == {Role.OFFICER}


def test_asking_on_the_persons_page(clients, people):
    url = reverse("people:role_grant_new", args=[people["officer"].pk])
    response = clients["comms"].post(url, {"role": Role.AUDITOR, "reason": "Moving to internal audit."})
    assert response.status_code == 302
    assert people["officer"].role_grants.get().get_status_display() == "Waiting for a second person"
    again = clients["comms"].post(url, {"role": Role.AUDITOR, "reason": "Again"})
    assert "already waiting for a second person" in again.content.decode()


def test_who_may_see_and_ask(assert_statuses, people):
    grant = ask(people)
    readers = {
        "comms": 200,
        "auditor": 200,
        **dict.fromkeys(["officer", "reviewer", "head_of_service", "councillor", "outsider"], 403),
    }
    assert_statuses(reverse("people:role_grants"), readers)
    assert_statuses(reverse("people:role_grant", args=[grant.pk]), readers)
    asker = {**readers, "auditor": 403}
    assert_statuses(reverse("people:role_grant_new", args=[people["officer"].pk]), asker)
    assert_statuses(
        reverse("people:role_grant", args=[grant.pk]),
        {**dict.fromkeys(readers, 403), "comms": 302},  # the requester is sent back with the reason
        method="post",
        data={"decision": "confirm"},
    )


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_takes_a_bounded_number_of_queries(clients, people, count, django_assert_max_num_queries):
    from organisation.models import RoleGrant

    for _ in range(count):
        person = PersonFactory(roles=[Role.OFFICER])
        RoleGrant.objects.create(person=person, role=Role.AUDITOR, reason="x", requested_by=people["comms"])
    with django_assert_max_num_queries(12):
        assert clients["auditor"].get(reverse("people:role_grants")).status_code == 200
