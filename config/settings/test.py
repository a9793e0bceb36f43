"""The test suite: the same PostgreSQL engine, fast hashing, inline tasks, in-memory email."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ["REDIS_URL"] = os.environ.get("TEST_REDIS_URL", "")  # tasks inline unless a test says otherwise

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# pytest-django's live_server cannot serve the manifest storage's hashed names (STACK-NOTES).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
AXES_FAILURE_LIMIT = 5
# Worked out on every request, so each test sees its own data (and the query guards count the work);
# tests/dashboard/test_cache.py turns the cache on.
DASHBOARD_CACHE_SECONDS = 0
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": LOGGING_FILTERS,  # noqa: F405
    "loggers": FILTERED_LOGGERS,  # noqa: F405
    "root": {"level": "WARNING"},
}
