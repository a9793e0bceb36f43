"""Start-up configuration: the environment is read once and bad values stop start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "Configuration error: DEBUG must be true or false, not 'maybe'."),
        (
            {"DATABASE_URL": "mysql://root@localhost/council"},
            "Configuration error: DATABASE_URL must be a PostgreSQL URL",
        ),
        ({"AXES_FAILURE_LIMIT": "five"}, "Configuration error: AXES_FAILURE_LIMIT is not valid"),
        (
            {"TRAINING_REMINDER_REPEAT_DAYS": "0"},
            "Configuration error: TRAINING_REMINDER_REPEAT_DAYS must be between 1 and 3650",
        ),
    ],
)
def test_a_malformed_setting_stops_start_up_with_one_clear_line(env, message):
    result = run_manage("check", **env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], "more than one line"
    assert result.stderr.startswith(message)


def test_production_needs_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="")
    assert result.returncode == 1
    assert result.stderr.strip() == "Configuration error: SECRET_KEY is required but not set."


def test_production_settings_pass_the_deployment_checklist_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k8Hq2-vZmP9wL4xR7tY1uN6bC3eF0gJ5sD8aQ2zX4vB7nM1pT6yW3cE9",
        ALLOWED_HOSTS="social.northfield.gov.uk",
        SITE_URL="https://social.northfield.gov.uk",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.northfield.gov.uk:587",
        PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_database_url_the_app_uses_the_embedded_postgresql(monkeypatch):
    from config import embedded_db, env

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == embedded_db.DATABASE_NAME
    assert config["HOST"].startswith(str(ROOT / "var" / "pgdata")) or Path(config["HOST"]).exists()
    import psycopg

    with psycopg.connect(dbname=config["NAME"], user=config["USER"], host=config["HOST"]) as conn:
        assert conn.execute("select version()").fetchone()[0].startswith("PostgreSQL")


def test_with_database_url_the_app_uses_that_server(monkeypatch):
    from config import env

    monkeypatch.setenv("DATABASE_URL", "postgres://alice:secret@db.internal:6543/council")
    config = env.database_config()
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        6543,
        "council",
        "alice",
    )


def test_production_needs_the_https_address_for_email_links():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k8Hq2-vZmP9wL4xR7tY1uN6bC3eF0gJ5sD8aQ2zX4vB7nM1pT6yW3cE9",
        SITE_URL="http://127.0.0.1:8000",
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "Configuration error: SITE_URL must be the service's https:// address in production."
    )


@pytest.mark.django_db
def test_every_connection_sets_what_the_triggers_read_and_turns_jit_off():
    """bench/RESULTS.md: JIT compiled large page queries (training compliance) for longer than they ran,
    and pgtrigger's setting unset costs a subtransaction per row written."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('pgtrigger.ignore')")
        assert cursor.fetchone() == ("off", "{}")
