"""The audit trail is append-only in the database, and personal data leaves it only through the
redaction path, which always leaves a record of itself (and never the data)."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts_registry import services
from accounts_registry.models import Account, AccountStatusChange
from core.history import append_only_models
from core.models import Redaction
from core.redaction import MARKER, Copy, redact
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db(transaction=False)
PHONE = "07700 900123"


@pytest.fixture
def account(people, service_area):
    account = AccountFactory(service_area=service_area, purpose=f"Call Jo on {PHONE} about bins.")
    services.account_start_closing(account=account, by=people["comms"], reason=f"Jo ({PHONE}) asked us to.")
    Account.objects.filter(pk=account.pk).update(audience="Residents")  # another history row
    return Account.objects.get(pk=account.pk)


def sql(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def every_text(account) -> str:
    """Everything the account, its history and its log hold, as one text."""
    rows = [
        *Account.objects.filter(pk=account.pk).values(),
        *Account.pgh_event_model.objects.filter(pgh_obj_id=account.pk).values(),
        *AccountStatusChange.objects.filter(account=account).values(),
    ]
    return repr(rows)


def test_the_trail_cannot_be_changed_or_deleted_outside_the_path(account):
    table = Account.pgh_event_model._meta.db_table
    with pytest.raises(DatabaseError, match="cannot be changed"):
        sql(f"UPDATE {table} SET purpose = 'Nothing to see' WHERE pgh_obj_id = %s", [account.pk])
    with pytest.raises(DatabaseError, match="cannot be deleted"):
        sql(f"DELETE FROM {table} WHERE pgh_obj_id = %s", [account.pk])
    with pytest.raises(DatabaseError, match="cannot be changed"):
        sql("UPDATE accounts_registry_accountstatuschange SET comment = 'x'")


def test_a_forged_redaction_cannot_rewrite_the_trail(account, people):
    table = Account.pgh_event_model._meta.db_table
    forged = f"UPDATE {table} SET purpose = 'Something else' WHERE pgh_obj_id = %s"
    with pytest.raises(DatabaseError, match=r"only replace personal data"), transaction.atomic():
        Redaction.objects.create(rule="request", reason="x", kind="x", record="x", record_id="1")
        with connection.cursor() as cursor:
            cursor.execute(forged, [account.pk])
    assert PHONE in every_text(account)


def test_redaction_removes_the_data_everywhere_and_records_itself_not_the_data(account, people):
    assert every_text(account).count(PHONE) >= 4
    done = redact(
        record=account,
        fields=["purpose", "status_reason"],
        secrets=[PHONE],
        copies=[Copy(AccountStatusChange.objects.filter(account=account), ["comment"])],
        kind="a phone number",
        rule="request",
        reason="The resident asked for it to be removed.",
        by=people["comms"],
    )
    assert PHONE not in every_text(account)
    assert Account.objects.get(pk=account.pk).purpose == f"Call Jo on {MARKER} about bins."
    assert done.rows >= 3 and done.by == people["comms"] and done.record == "accounts_registry.account"
    assert PHONE not in repr(Redaction.objects.values())
    # Repeating it finds nothing left: no second record.
    assert redact(record=account, fields=["purpose"], secrets=[PHONE], kind="x", rule="x", reason="x") is None
    assert Redaction.objects.count() == 1


def test_the_record_of_redactions_is_itself_append_only(account):
    redact(record=account, fields=["purpose"], secrets=[PHONE], kind="x", rule="request", reason="x")
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"):
        sql("UPDATE core_redaction SET reason = 'nothing happened'")
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"):
        sql("DELETE FROM core_redaction")


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("Call 0770 now", "Call [removed] now", True),
        ("a b c", "[removed] b [removed]", True),
        ("abc", "[removed]", True),
        ("abc", "", True),
        ("abc", "abX", False),
        ("Call 0770 now", "Call [removed] later", False),
        ("Call 0770 now", "Phone [removed] now", False),
        ("abc", "abc[removed]", True),
        ("abc", "[removed]abcd", False),
    ],
)
def test_only_removals_pass_the_database_check(old, new, allowed):
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_text_only_removed(%s, %s, %s)", [old, new, MARKER])
        assert cursor.fetchone()[0] is allowed


def test_every_append_only_table_has_the_trigger():
    tables = {m._meta.db_table for m in append_only_models()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'core_append_only'"
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert "accounts_registry_accountstatuschange" in tables
    assert tables <= guarded
