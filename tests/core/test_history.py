import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils.html import escape

from organisation.models import User, UserEvent
from organisation.services import person_set_roles

pytestmark = pytest.mark.django_db


def history_url(person):
    return reverse("history", args=["organisation.user", person.pk])


def test_only_comms_and_auditors_read_the_audit_trail(assert_statuses, people):
    assert_statuses(
        history_url(people["officer"]),
        {
            "comms": 200,
            "auditor": 200,
            "officer": 403,
            "reviewer": 403,
            "head_of_service": 403,
            "councillor": 403,
            "outsider": 403,
        },
    )


def test_unknown_records_are_not_found(clients):
    assert clients["comms"].get(reverse("history", args=["organisation.user", 999999])).status_code == 404
    assert clients["comms"].get(reverse("history", args=["nosuch.model", 1])).status_code == 404
    assert clients["comms"].get(reverse("history", args=["organisation.user", "abc"])).status_code == 404


def test_the_history_says_who_changed_what_and_when(clients, people):
    officer = people["officer"]
    clients["comms"].post(reverse("people:mark_left", args=[officer.pk]), {"left_on": "2026-11-20"})
    page = clients["auditor"].get(history_url(officer)).content.decode()
    assert "Left the council on" in page
    assert "20 November 2026" in page
    assert escape(str(people["comms"])) in page  # who
    assert "Created" in page


def test_role_changes_are_recorded(clients, people):
    person_set_roles(person=people["officer"], roles=["Officer", "Reviewer"])
    page = clients["comms"].get(history_url(people["officer"])).content.decode()
    assert "Role added" in page
    assert "Reviewer" in page


def test_bulk_updates_are_caught_by_the_database_triggers(people):
    before = UserEvent.objects.filter(pgh_obj=people["officer"]).count()
    User.objects.filter(pk=people["officer"].pk).update(job_title="Digital Officer")
    events = UserEvent.objects.filter(pgh_obj=people["officer"]).order_by("pgh_id")
    assert events.count() == before + 1
    assert events.last().job_title == "Digital Officer"


def test_history_rows_cannot_be_edited_or_deleted(people):
    with pytest.raises(DatabaseError), transaction.atomic():
        UserEvent.objects.update(job_title="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        UserEvent.objects.all().delete()
    assert UserEvent.objects.exists()


def test_only_governed_records_have_a_history_page(clients, people):
    from notifications.models import Notification

    row = Notification.objects.create(to_email="x@northfield.gov.uk", subject="s", body="b")
    assert (
        clients["auditor"].get(reverse("history", args=["notifications.notification", row.pk])).status_code
        == 404
    )
    assert clients["auditor"].get(reverse("history", args=["auth.group", 1])).status_code == 404
    assert clients["auditor"].get(reverse("history", args=["surveys.response", 1])).status_code == 404
