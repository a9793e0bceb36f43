import os
import signal

from django.core.management.base import BaseCommand

from config.embedded_db import DATA_DIR


class Command(BaseCommand):
    help = "Show or stop the embedded PostgreSQL under var/pgdata (used when DATABASE_URL is not set)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action: str, **options):
        pid_file = DATA_DIR / "postmaster.pid"
        pid = int(pid_file.read_text().splitlines()[0]) if pid_file.exists() else None
        running = False
        if pid:
            try:
                os.kill(pid, 0)
                running = True
            except ProcessLookupError:
                pass
        if action == "status":
            self.stdout.write(
                f"Embedded PostgreSQL {'running, pid ' + str(pid) if running else 'not running'}."
            )
            return
        if running:
            os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast shutdown"
            self.stdout.write(f"Stopping embedded PostgreSQL (pid {pid}).")
        else:
            self.stdout.write("Embedded PostgreSQL is not running.")
