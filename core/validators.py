"""Validators shared by every app's models and forms."""

import unicodedata

from django.core.exceptions import ValidationError

# Line and paragraph separators end a line as surely as a line break does.
_CONTROL = {"Cc", "Zl", "Zp"}


def no_control_characters(value: str) -> None:
    """A one-line name or handle: no line breaks, tabs or other control characters. They are
    invisible on the page and, in an email's subject, a line break stops the email being sent."""
    if any(unicodedata.category(c) in _CONTROL for c in str(value)):
        raise ValidationError(
            "Enter it on one line, without line breaks, tabs or other control characters.",
            code="control_characters",
        )
