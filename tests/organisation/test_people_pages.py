import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from organisation.models import User
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

READERS = {
    "comms": 200,
    "auditor": 200,
    "officer": 403,
    "reviewer": 403,
    "head_of_service": 403,
    "councillor": 403,
    "outsider": 403,
}


def test_people_list_permissions(assert_statuses):
    assert_statuses(reverse("people:list"), READERS)


def test_person_detail_permissions(assert_statuses, people):
    assert_statuses(reverse("people:detail", args=[people["officer"].pk]), READERS)


def test_mark_left_permissions(assert_statuses, people):
    url = reverse("people:mark_left", args=[PersonFactory(roles=["Officer"]).pk])
    assert_statuses(
        url,
        {
            "comms": 200,
            "auditor": 403,
            "officer": 403,
            "reviewer": 403,
            "head_of_service": 403,
            "councillor": 403,
            "outsider": 403,
        },
    )
    # the POST is checked on the server too, not just hidden
    assert_statuses(
        url,
        {
            "comms": 302,
            "auditor": 403,
            "officer": 403,
            "reviewer": 403,
            "head_of_service": 403,
            "councillor": 403,
            "outsider": 403,
        },
        method="post",
        data={"left_on": "2026-11-01"},
    )


def test_people_list_searches_and_filters(clients, people, other_service_area):
    PersonFactory(first_name="Zebedee", last_name="Quill", service_area=other_service_area, roles=["Officer"])
    page = clients["comms"].get(reverse("people:list"), {"q": "zebedee"}).content.decode()
    assert "Zebedee Quill" in page and escape(str(people["officer"])) not in page
    page = clients["comms"].get(reverse("people:list"), {"role": "Councillor"}).content.decode()
    assert escape(str(people["councillor"])) in page and "Zebedee" not in page
    page = (
        clients["comms"].get(reverse("people:list"), {"service_area": other_service_area.pk}).content.decode()
    )
    assert "Zebedee" in page and escape(str(people["officer"])) not in page
    page = clients["comms"].get(reverse("people:list"), {"q": "nobody-like-this"}).content.decode()
    assert "No people match these filters" in page


def test_people_list_is_paginated_with_a_fixed_number_of_queries(
    clients, people, django_assert_max_num_queries
):
    PersonFactory.create_batch(60, roles=["Officer"])
    with django_assert_max_num_queries(12):
        response = clients["comms"].get(reverse("people:list"))
    assert len(response.context["page"].object_list) == 50
    assert clients["comms"].get(reverse("people:list"), {"page": 2}).context["page"].number == 2


@time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC))
def test_marking_someone_as_left(clients, people):
    url = reverse("people:mark_left", args=[people["officer"].pk])
    response = clients["comms"].post(url, {"left_on": "2026-11-24"})
    assert response.status_code == 302
    officer = User.objects.get(pk=people["officer"].pk)
    assert officer.left_on == datetime.date(2026, 11, 24)
    assert not officer.is_active
    page = clients["comms"].get(reverse("people:detail", args=[officer.pk])).content.decode()
    assert "Left the council on 24 November 2026" in page


@time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC))
def test_a_future_leaving_date_is_refused_and_the_form_keeps_it(clients, people):
    response = clients["comms"].post(
        reverse("people:mark_left", args=[people["officer"].pk]), {"left_on": "2026-12-25"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The date they left must be today or in the past" in page
    assert "2026-12-25" in page
    assert User.objects.get(pk=people["officer"].pk).left_on is None


def test_marking_twice_says_so_and_changes_nothing(clients, people):
    url = reverse("people:mark_left", args=[people["officer"].pk])
    clients["comms"].post(url, {"left_on": "2026-11-01"})
    response = clients["comms"].post(url, {"left_on": "2026-11-05"})
    assert "already marked as having left" in response.content.decode()
    assert User.objects.get(pk=people["officer"].pk).left_on == datetime.date(2026, 11, 1)
