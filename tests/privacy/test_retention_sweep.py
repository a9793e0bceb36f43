"""The retention sweep: after each rule's period, no trace of the member of the public is left
anywhere in the database (every text column of every table, audit trail and logs included) nor in
storage, while the reports give the same figures as before."""

import datetime
import json
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from blocking.models import Referral
from blocking.report import blocking_report, report_json
from content_review.models import InboundMessage
from core.models import Redaction
from notifications.models import Notification
from privacy.models import RetentionRun
from privacy.services import retention_sweep
from surveys.report import report_json as survey_json
from surveys.selectors import questionnaire_report
from tests.privacy.conftest import TRACES, at, everywhere

pytestmark = pytest.mark.django_db


def figures(questionnaire) -> str:
    times = list(
        InboundMessage.objects.values_list("account", "received_at", "due_at", "replied_at", "breached_at")
    )
    return json.dumps(
        {
            "blocking": report_json(blocking_report(date_to=datetime.date(2025, 12, 31))),
            "survey": survey_json(questionnaire_report(questionnaire, texts=False)),
            "times": [[str(v) for v in row] for row in times],
            "messages": InboundMessage.objects.count(),
            "referrals": list(Referral.objects.values_list("status", "outcome", "categories", "account")),
        },
        sort_keys=True,
        default=str,
    )


def test_the_sweep_leaves_no_trace_and_the_same_figures(
    held, time_machine, django_capture_on_commit_callbacks
):
    assert set(everywhere("Zed_Quokka42")) >= {
        "content_review_inboundmessage.sender_handle",
        "content_review_revision.text",
        "blocking_referral.person_handle",
        "blocking_block.person_handle",
        "notifications_notification.subject",
    }
    assert any(default_storage.exists(name) for name in held["files"])
    before = figures(held["questionnaire"])

    # Eleven months on: nothing is due yet.
    time_machine.move_to(at("2025-12-20"), tick=False)
    assert sum(r.records for r in retention_sweep()) == 0

    time_machine.move_to(at("2027-02-01"), tick=False)
    out = StringIO()
    call_command("retention_sweep", "--dry-run", stdout=out)
    assert "inbound: 1 would be anonymised" in out.getvalue()
    assert "referrals: 1 would be anonymised" in out.getvalue()
    assert "blocks: 1 would be anonymised" in out.getvalue()
    assert "answers: 2 would be anonymised" in out.getvalue()
    assert everywhere("Zed_Quokka42")  # a dry run changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_sweep", stdout=StringIO())

    for trace in TRACES:
        assert everywhere(trace) == [], trace
    assert not any(default_storage.exists(name) for name in held["files"])
    assert figures(held["questionnaire"]) == before
    # What was removed is recorded, not the data.
    assert {r.rule for r in Redaction.objects.all()} == {"inbound", "referrals", "blocks", "answers"}
    assert Redaction.objects.filter(by=None).count() == Redaction.objects.count()
    # Safe to run again: nothing is left to do, and nothing more is recorded.
    redactions = Redaction.objects.count()
    assert sum(r.records for r in retention_sweep()) == 0
    assert Redaction.objects.count() == redactions
    assert RetentionRun.objects.filter(rule="inbound").count() == 3


def test_the_sweep_runs_as_of_a_given_day(held):
    call_command("retention_sweep", "--as-of", "2025-06-01", stdout=StringIO())
    assert everywhere("Zed_Quokka42")
    with pytest.raises(Exception, match="--as-of"):
        call_command("retention_sweep", "--as-of", "June", stdout=StringIO())
    call_command("retention_sweep", "--as-of", "2027-06-01", stdout=StringIO())
    assert everywhere("Zed_Quokka42") == []


def test_a_second_sweep_while_one_runs_does_nothing(held):
    from privacy.services import SWEEP_LOCK

    # Another worker holds the sweep's lock (another connection would do the same; this one is ours).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [SWEEP_LOCK])
    try:
        import threading

        result = {}

        def other():
            from django.db import connection as theirs

            result["sweep"] = retention_sweep(as_of=datetime.date(2027, 6, 1))
            theirs.close()

        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])
    assert result["sweep"] is None


def test_periods_are_configurable(held, settings):
    settings.RETENTION_MONTHS = {"inbound": 1, "referrals": 1, "blocks": 1, "answers": 1, "hidden": 1}
    results = {r.rule.code: r.records for r in retention_sweep(as_of=datetime.date(2025, 3, 1))}
    assert results["inbound"] == 1 and results["answers"] == 2
    assert not Notification.objects.filter(subject__icontains="Zed_Quokka42").exists()
