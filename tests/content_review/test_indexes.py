"""What the benchmark found the content pages and training's requirements need (bench/RESULTS.md):
indexes the planner can use to read the inbox in due order and a person's recent drafts without reading
every row (with sequential scans and sorts priced out, a plan that still sorts means the index is gone),
and a review queue page of 25 rows."""

import pytest
from django.db import connection

from content_review.models import Draft, InboundMessage

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_inbox_reads_its_page_in_due_order_from_an_index(people):
    page = InboundMessage.objects.visible_to(people["comms"]).order_by("due_at", "pk")[:50]
    found = plan(page)
    assert "inbound_due" in found
    assert "Sort" not in found


def test_whether_someone_drafted_lately_has_an_index_to_probe():
    """On a tiny table the planner may pick either index, so this checks the index is there, led by
    the author, then the time (training's requirement and the register's flag probe it per person)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Draft._meta.db_table)
    assert constraints["draft_author_created"]["columns"] == ["author_id", "created_at"]


def test_the_review_queue_shows_25_drafts_a_page(clients, people, service_area):
    from django.urls import reverse

    from content_review.models import D
    from content_review.views import QUEUE_PAGE_SIZE
    from tests.factories import AccountFactory, DraftFactory

    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    for _ in range(QUEUE_PAGE_SIZE + 3):
        DraftFactory(account=account, status=D.SUBMITTED, author=people["officer"])
    first = clients["comms"].get(reverse("content:queue"))
    second = clients["comms"].get(reverse("content:queue"), {"page": 2})
    assert QUEUE_PAGE_SIZE == 25
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 3


def test_the_inbox_shows_25_messages_a_page(clients, people, service_area):
    from django.urls import reverse

    from content_review.views import INBOX_PAGE_SIZE
    from tests.factories import AccountFactory, InboundMessageFactory

    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    for _ in range(INBOX_PAGE_SIZE + 2):
        InboundMessageFactory(account=account)
    first = clients["comms"].get(reverse("content:inbox"))
    second = clients["comms"].get(reverse("content:inbox"), {"page": 2})
    assert INBOX_PAGE_SIZE == 25
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert first.context["page"].paginator.count == 27
