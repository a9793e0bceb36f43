"""What an auditor runs (README: "Checking the audit trail"): manage.py audit_trail_check finds every
append-only table guarded, and says so when one is not."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from content_review.models import InboundMessage
from core.history import history_for
from privacy.services import retention_sweep
from tests.privacy.conftest import at

pytestmark = pytest.mark.django_db


def test_the_check_passes_then_finds_a_disabled_guard(held):
    # (Not after a sweep in this test: the test is one transaction, and a transaction that has written a
    # redaction may change the trail. The command runs in a transaction of its own.)
    out = StringIO()
    call_command("audit_trail_check", stdout=out)
    assert "append-only tables refuse changes and deletions" in out.getvalue()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before ALTER TABLE
        cursor.execute("ALTER TABLE content_review_messageevent DISABLE TRIGGER core_append_only")
    err = StringIO()
    with pytest.raises(CommandError, match="not fully protected"):
        call_command("audit_trail_check", stdout=StringIO(), stderr=err)
    assert "content_review_messageevent: the core_append_only trigger is disabled" in err.getvalue()


def test_the_history_page_says_personal_data_was_removed_and_why(held, time_machine):
    time_machine.move_to(at("2027-06-01"), tick=False)
    retention_sweep()
    entries = history_for(InboundMessage.objects.get())
    removed = [e for e in entries if e.what == "Personal data removed"]
    assert len(removed) == 1 and removed[0].who == "The retention sweep"
    assert [c.new for c in removed[0].changes] == [
        "the sender's handle, link and words",
        "Its retention period ended.",
    ]
