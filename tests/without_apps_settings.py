"""Test settings with some apps left out (WITHOUT_APPS=surveys,content_review): used by
tests/core/test_app_removal.py to prove the rest of the service works without them."""

import os

from config.settings.test import *  # noqa: F403

LEFT_OUT = {app for app in os.environ.get("WITHOUT_APPS", "").split(",") if app}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in LEFT_OUT]  # noqa: F405
