"""Production: behind a TLS-terminating proxy. `manage.py check --deploy` passes with no warnings."""

import logging

from django.core.exceptions import ImproperlyConfigured

from config.env import env

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

# Emails carry password reset links: they must go to a mail server, or be printed only when asked for.
if not env.str("EMAIL_URL", default="").strip():
    raise ImproperlyConfigured(
        "EMAIL_URL is required in production, e.g. smtp+tls://user:password@smtp.council.gov.uk:587 "
        "(console:// prints every email, reset links included, to the log instead)."
    )
if EMAIL_BACKEND not in {  # noqa: F405
    "django.core.mail.backends.smtp.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
}:
    raise ImproperlyConfigured("EMAIL_URL must be an smtp:// address in production (or console://).")
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":  # noqa: F405
    # Logging is not configured yet: this reaches stderr through Python's last-resort handler.
    logging.getLogger("config.settings").warning(
        "WARNING: EMAIL_URL is console://: emails, password reset links included, are printed to the log "
        "and NOT sent to anyone."
    )

# The app runs behind the TLS proxy, so the client's address (which lock-outs count) is known only
# when the app is told how many proxies append to X-Forwarded-For. No default: a wrong guess lets
# anyone lock anyone out (too few) or pick their own address (too many).
if not env.str("PROXY_COUNT", default="").strip():
    raise ImproperlyConfigured(
        "PROXY_COUNT is required in production: the number of proxies in front of the app "
        "(1 for a single nginx; see README, Configuration)."
    )
if PROXY_COUNT < 1:  # noqa: F405
    raise ImproperlyConfigured(
        "PROXY_COUNT must be at least 1 in production: the app runs behind a TLS-terminating proxy."
    )
