"""Email on a developer's machine: each message is written in full to a file under var/emails/ and
announced on the console in one line, so the run command's output stays readable."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class FileAndSummaryBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = folder / f"{stamp}.eml"
            path.write_bytes(message.message().as_bytes())
            to = ", ".join(message.to)
            sys.stdout.write(f"Email to {to}: {message.subject} ({path.relative_to(settings.BASE_DIR)})\n")
            sent += 1
        sys.stdout.flush()
        return sent
