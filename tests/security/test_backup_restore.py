"""Backup and restore: scripts/backup.sh dumps the database and copies the private files;
scripts/restore.sh puts them into a fresh database, where every record and its history (the
pghistory event rows) is found, and the audit trail's triggers still record and still refuse edits."""

import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from content_review import services as content
from notifications.models import Notification
from organisation.services import role_grant_request
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def url(name: str) -> str:
    """The test server's URL for another database; its host may be a socket folder (embedded)."""
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    if (s["HOST"] or "").startswith("/"):  # a socket folder goes in the path: django-environ's form
        return f"postgres://{s['USER']}{password}@:{s['PORT'] or 5432}/{quote(s['HOST'], safe='')}/{name}"
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def connect(name: str) -> psycopg.Connection:
    s = connection.settings_dict
    options = {"host": s["HOST"], "port": s["PORT"], "user": s["USER"], "password": s["PASSWORD"]}
    return psycopg.connect(dbname=name, autocommit=True, **{k: v for k, v in options.items() if v})


def run(script: str, *args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(DATABASE_URL=url(database), MEDIA_DIR=str(media))
    result = subprocess.run(
        [f"scripts/{script}", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(database: str) -> dict[str, str]:
    """Every table's rows, as one fingerprint per table, and every trigger."""
    with connect(database) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        found = {
            table: db.execute(
                f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM \"{table}\" t"
            ).fetchone()[0]
            for table in tables
        }
        triggers = db.execute(
            "SELECT c.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal ORDER BY 1"
        ).fetchall()
    found["(triggers)"] = ",".join(r[0] for r in triggers)
    return found


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connect("postgres") as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect("postgres") as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_every_record_and_its_history(
    people, service_area, restored_name, tmp_path
):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    draft = content.draft_create(by=people["officer"], account=account, text="Bins as normal this week.")
    content.draft_submit(draft=draft, by=people["officer"])
    content.inbound_record(
        by=people["officer"],
        account=account,
        sender_handle="@resident",
        text="Hello",
        received_at=timezone.now(),
    )
    role_grant_request(person=people["officer"], role="Auditor", by=people["comms"], reason="Audit work")
    media = tmp_path / "media"
    (media / "drafts").mkdir(parents=True)
    (media / "drafts" / "image.png").write_bytes(b"\x89PNG pretend image")
    before = snapshot(connection.settings_dict["NAME"])
    assert Notification.objects.exists()
    history_tables = [t for t in before if t.endswith("event") and not before[t].startswith("0:")]
    assert len(history_tables) >= 4, history_tables  # people, roles, accounts, drafts, grants…

    run("backup.sh", str(tmp_path / "backup"), database=connection.settings_dict["NAME"], media=media)
    restored_media = tmp_path / "restored-media"
    run("restore.sh", str(tmp_path / "backup"), database=restored_name, media=restored_media)

    after = snapshot(restored_name)
    assert after == before
    assert (restored_media / "drafts" / "image.png").read_bytes() == b"\x89PNG pretend image"

    # The audit trail still works in the restored database: it records, and refuses edits.
    with connect(restored_name) as db:
        count = "SELECT count(*) FROM organisation_userevent"
        events = db.execute(count).fetchone()[0]
        db.execute(
            "UPDATE organisation_user SET job_title = 'Changed' WHERE email = 'officer@northfield.gov.uk'"
        )
        assert db.execute(count).fetchone()[0] == events + 1
        with pytest.raises(psycopg.Error):
            db.execute("UPDATE organisation_userevent SET job_title = 'Rewritten'")


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, people):
    media = tmp_path / "media"
    run("backup.sh", str(tmp_path / "backup"), database=connection.settings_dict["NAME"], media=media)
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(DATABASE_URL=url(connection.settings_dict["NAME"]), MEDIA_DIR=str(tmp_path / "m2"))
    result = subprocess.run(
        ["scripts/restore.sh", str(tmp_path / "backup")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "restore into a new, empty one" in result.stderr
