"""Each app that no other app depends on can be left out of INSTALLED_APPS and the rest of the
service still passes its checks, migrates, loads its demo data and serves its pages."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[2]
# The service's frame: every other app builds on these.
FOUNDATION = {"core", "organisation", "notifications"}


def our_apps() -> set[str]:
    return {c.label for c in apps.get_app_configs() if Path(c.path).parent == ROOT}


def depended_on() -> set[str]:
    """Apps another of our apps' migrations depend on."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    needed = set()
    for (app, _), migration in loader.disk_migrations.items():
        needed |= {dep_app for dep_app, _ in migration.dependencies if dep_app != app}
    return needed


def removable() -> list[str]:
    return sorted(our_apps() - FOUNDATION - depended_on())


def test_the_apps_that_can_be_left_out_are_the_ones_expected():
    # A new app nobody depends on joins the list below by itself; this guards against an app
    # silently becoming a dependency (and so never being tested without).
    assert {"surveys", "content_review", "planning", "dashboard"} <= set(removable())


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{name}"


def _admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db.get("PORT") or None,
        autocommit=True,
    )


@pytest.mark.parametrize("app", removable())
def test_the_service_works_without(app):
    name = f"without_{app}_{uuid.uuid4().hex[:8]}"
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.without_apps_settings",
        "WITHOUT_APPS": app,
        "DATABASE_URL": _database_url(name),
        "PYTHONPATH": str(ROOT),
    }
    try:
        for command in (
            [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            [sys.executable, "tests/core/serve_every_page.py"],
        ):
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, (
                f"without {app}: {' '.join(command[1:])}\n{done.stdout}\n{done.stderr}"
            )
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
