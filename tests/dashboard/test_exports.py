"""Drafts with their decisions and the audit trail, made in the background (inline without a broker),
downloadable only by the person who asked."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from dashboard.models import Export, ExportStatus
from tests.dashboard.test_pages import PERIOD

EXPORTS = reverse("dashboard:exports")


def _ask(client, capture, **data):
    with capture(execute=True):
        response = client.post(EXPORTS, {**PERIOD, "file_format": "csv", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Export.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def _rows(client, export) -> list[list[str]]:
    response = client.get(reverse("dashboard:export_download", args=[export.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_exports_page_permission_matrix(assert_statuses, people):
    assert_statuses(
        EXPORTS,
        {
            "comms": 200,
            "auditor": 200,
            "head_of_service": 200,
            "officer": 403,
            "reviewer": 403,
            "councillor": 403,
            "outsider": 403,
        },
    )


def test_drafts_export_has_one_row_per_decision(clients, council, django_capture_on_commit_callbacks):
    export = _ask(clients["auditor"], django_capture_on_commit_callbacks, kind="drafts")
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    rows = _rows(clients["auditor"], export)
    assert rows[0][:3] == ["Draft", "Kind", "Account"]
    r1 = [r for r in rows[1:] if r[0] == str(council.r1.pk)]
    assert [r[12] for r in r1] == ["Asked for changes", "Approved"]
    assert [r[10] for r in r1] == ["1", "2"]
    # Every draft of the fixture was created "now" (in the period): six drafts, R1 on two rows.
    assert len(rows) - 1 == 7
    page = clients["auditor"].get(reverse("dashboard:export", args=[export.pk])).content.decode()
    assert "Download the file" in page


def test_only_the_requester_can_download(clients, council, django_capture_on_commit_callbacks):
    export = _ask(clients["auditor"], django_capture_on_commit_callbacks, kind="drafts")
    assert clients["comms"].get(reverse("dashboard:export_download", args=[export.pk])).status_code == 404
    assert clients["comms"].get(reverse("dashboard:export", args=[export.pk])).status_code == 404


def test_audit_trail_of_a_record_and_of_a_period(clients, council, django_capture_on_commit_callbacks):
    record = _ask(
        clients["auditor"],
        django_capture_on_commit_callbacks,
        kind="audit_record",
        record_model="accounts_registry.account",
        record_pk=council.a1.pk,
    )
    rows = _rows(clients["auditor"], record)
    assert rows[0] == ["When", "Who", "Record", "Record id", "What", "Changes"]
    assert rows[1][4] == "Created"
    # The audit trail is stamped by the database's own clock, which the frozen clock does not move.
    with connection.cursor() as cursor:
        cursor.execute("SELECT (now() AT TIME ZONE 'Europe/London')::date")
        today = cursor.fetchone()[0]
    dates = {"start_0": today.day, "start_1": today.month, "start_2": today.year}
    dates |= {"end_0": today.day, "end_1": today.month, "end_2": today.year}
    period = _ask(clients["auditor"], django_capture_on_commit_callbacks, kind="audit_period", **dates)
    rows = _rows(clients["auditor"], period)
    assert sum(1 for r in rows[1:] if r[2] == "Account" and r[4] == "insert") == 4


def test_head_of_service_may_export_drafts_but_not_the_audit_trail(
    clients, council, django_capture_on_commit_callbacks
):
    page = clients["head_of_service"].get(EXPORTS)
    assert [c[0] for c in page.context["form"].fields["kind"].choices] == ["drafts"]
    response = clients["head_of_service"].post(
        EXPORTS, {**PERIOD, "file_format": "csv", "kind": "audit_period"}
    )
    assert response.status_code == 200 and Export.objects.count() == 0
    export = _ask(clients["head_of_service"], django_capture_on_commit_callbacks, kind="drafts", area="waste")
    rows = _rows(clients["head_of_service"], export)
    assert {r[3] for r in rows[1:]} == {"Waste and Recycling"}


@pytest.mark.parametrize("kind", ["audit_record"])
def test_audit_record_needs_a_record(clients, people, kind):
    response = clients["auditor"].post(
        EXPORTS, {**PERIOD, "file_format": "csv", "kind": kind, "record_pk": "9999"}
    )
    assert response.status_code == 200
    assert "Choose the kind of record" in response.content.decode()
