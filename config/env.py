"""Reading the environment: every setting the app takes, checked once at start-up.

A missing or malformed value raises ImproperlyConfigured with one line saying which and why;
manage.py, wsgi and celery print that line instead of a traceback.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _checked(name: str, parse, default=environ.Env.NOTSET):
    try:
        return parse(name, default=default)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(f"{name} is required but not set.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is not valid: {exc}") from None


def setting_str(name: str, default=environ.Env.NOTSET) -> str:
    value = _checked(name, env.str, default)
    if default is environ.Env.NOTSET and not value.strip():
        raise ImproperlyConfigured(f"{name} is required but not set.")
    return value


def setting_bool(name: str, default=environ.Env.NOTSET) -> bool:
    raw = env.str(name, default="").strip().lower()
    if raw and raw not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")
    return _checked(name, env.bool, default)


def setting_int(name: str, default=environ.Env.NOTSET) -> int:
    return _checked(name, env.int, default)


def setting_list(name: str, default=environ.Env.NOTSET) -> list[str]:
    return _checked(name, env.list, default)


def setting_int_map(name: str, default: dict[str, int]) -> dict[str, int]:
    """A comma-separated list of code=number pairs, e.g. threats=12,spam=3."""
    pairs = {}
    for item in _checked(name, env.list, []):
        code, equals, number = item.partition("=")
        if not equals or not code.strip() or not number.strip().isdigit():
            raise ImproperlyConfigured(f"{name} must be pairs like threats=12,spam=3, not {item!r}.")
        pairs[code.strip()] = int(number)
    return pairs or dict(default)


def database_config() -> dict:
    """DATABASE_URL when set; otherwise the embedded PostgreSQL under var/."""
    url = env.str("DATABASE_URL", default="").strip()
    if not url:
        from config.embedded_db import embedded_database

        config = dict(embedded_database())  # a copy: the cached original must stay as it is
    elif not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/name."
        )
    else:
        try:
            config = environ.Env.db_url_config(url)
        except Exception as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not valid: {exc}") from None
    config["ENGINE"] = "django.db.backends.postgresql"
    # pgtrigger's triggers read this setting on every row and, when it is unset, catch the error in a
    # subtransaction: costly, and more so as a transaction writes more rows (bulk imports, sweeps).
    # Set (to "ignore nothing") on every connection, they read it and go on.
    # JIT compilation off: it pays off only for long analytical queries, and the planner turns it on by
    # cost, so a page whose query grows past jit_above_cost spends more compiling (0.1-0.4 s per query
    # in bench/RESULTS.md) than running. The pages here are short queries.
    options = config.setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c pgtrigger.ignore={} -c jit=off").strip()
    config["CONN_MAX_AGE"] = setting_int("DATABASE_CONN_MAX_AGE", 60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


def email_config() -> dict:
    url = env.str("EMAIL_URL", default="").strip()
    if not url:
        return {}
    if url == "console://":  # django-environ's spelling is consolemail://
        url = "consolemail://"
    try:
        return environ.Env.email_url_config(url)
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is not valid: {exc}") from None
