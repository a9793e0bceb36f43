"""What must never be written to a log: a password reset link that still works (nor a calendar feed's
address), and tracebacks for
requests that were refused on purpose (a 403 or 400 is the app working, not a fault).

The filters are attached to the loggers that write such records (so every handler, and any added
later, gets the cleaned record) and to the console handler (for loggers created on the fly, such as
django.security.<error name>)."""

import logging
import re

# /accounts/reset/<uidb64>/<token>/: the token signs in as its owner until it is used or expires.
# Its form is Django's: a timestamp and a hash, both base 36 and hex, joined by a hyphen.
RESET_TOKEN = re.compile(r"(/reset/[A-Za-z0-9_-]+/)[0-9a-z]+-[0-9a-f]+")
REDACTED = r"\1[token removed]"
# /…/feed/<token>.ics: a private calendar feed, read by whoever holds the address until it is revoked.
FEED_TOKEN = re.compile(r"(/feed/)[A-Za-z0-9_-]+(?=\.ics)")


def redact(text: str) -> str:
    return FEED_TOKEN.sub(REDACTED, RESET_TOKEN.sub(REDACTED, text))


class RedactResetTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class NoTracebackForRefusals(logging.Filter):
    """Django logs a refused request (PermissionDenied, SuspiciousOperation) with the exception's
    traceback; one line saying what was refused is enough, and keeps the log readable."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if (status is not None and status < 500) or record.name.startswith("django.security"):
            record.exc_info = record.exc_text = None
        return True


FILTERS = {
    "redact_reset_tokens": {"()": "config.logging.RedactResetTokens"},
    "no_traceback_for_refusals": {"()": "config.logging.NoTracebackForRefusals"},
}
# Loggers whose records may carry a request path or a refusal's traceback.
_SECURITY = [
    "django.security.csrf",
    "django.security.DisallowedHost",
    "django.security.DisallowedModelAdminLookup",
    "django.security.DisallowedModelAdminToField",
    "django.security.RequestDataTooBig",
    "django.security.SuspiciousFileOperation",
    "django.security.SuspiciousOperation",
    "django.security.SuspiciousSession",
    "django.security.TooManyFieldsSent",
    "django.security.TooManyFilesSent",
]
# propagate: configuring django.server drops the handler Django gave it; its lines go to the console.
FILTERED_LOGGERS = {
    name: {"filters": list(FILTERS), "propagate": True}
    for name in ["django.request", "django.server", *_SECURITY]
}
