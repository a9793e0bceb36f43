"""Production: behind a TLS-terminating proxy. `manage.py check --deploy` passes with no warnings."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import setting_bool, setting_int, setting_str

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = setting_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = setting_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = setting_int("SESSION_COOKIE_AGE", 60 * 60 * 12)  # a working day, not two weeks
# Links in emails must point at the real service: no default in production.
SITE_URL = setting_str("SITE_URL").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the service's https:// address in production.")
