"""Local use: the run command. DEBUG defaults on and a throwaway secret key is allowed."""

import os

import config.env  # noqa: F401  (reads .env first, so its values win over these defaults)

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-change-me-in-production")

from .base import *  # noqa: F403

if not os.environ.get("EMAIL_URL", "").strip():
    # Each email in full under var/emails/, one line on the console (not pages of text).
    EMAIL_BACKEND = "notifications.backends.FileAndSummaryBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "emails"  # noqa: F405
