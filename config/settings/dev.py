"""Local use: the run command. DEBUG defaults on and a throwaway secret key is allowed."""

import os

import config.env  # noqa: F401  (reads .env first, so its values win over these defaults)

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-change-me-in-production")

from .base import *  # noqa: F403
