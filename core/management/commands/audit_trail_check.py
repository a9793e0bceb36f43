"""For an auditor: is the audit trail still append-only, in the database itself?

For every audit-trail table and workflow log (core.history.append_only_models) and for the record of
redactions, it checks that the guarding trigger is installed and enabled, then tries, inside a
transaction it always rolls back, to change and to delete one row: the database must refuse both.
It ends with how many redactions there have been (the only way the trail's rows change), by rule.
Exit status 1 if anything is not as it should be."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count

from core.history import append_only_models
from core.models import Redaction


class _Probe(Exception):
    pass


class Command(BaseCommand):
    help = "Check that the audit trail cannot be changed or deleted except through the redaction path."

    def handle(self, *args, **options):
        problems = []
        tables = [(m._meta.db_table, m._meta.pk.column, "core_append_only") for m in append_only_models()]
        tables.append((Redaction._meta.db_table, "id", "core_redaction_kept"))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname IN ('core_append_only', 'core_redaction_kept')"
            )
            triggers = {(table, name): enabled for table, name, enabled in cursor.fetchall()}
        for table, pk, trigger in tables:
            enabled = triggers.get((table, trigger))
            if enabled is None:
                problems.append(f"{table}: the {trigger} trigger is missing")
            elif enabled == "D":
                problems.append(f"{table}: the {trigger} trigger is disabled")
            else:
                problems += self._probe(table, pk)
        for row in Redaction.objects.values("rule").annotate(n=Count("pk")).order_by("rule"):
            self.stdout.write(f"Redactions under {row['rule']}: {row['n']}")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s): the audit trail is not fully protected.")
        self.stdout.write(f"All {len(tables)} append-only tables refuse changes and deletions.")

    def _probe(self, table: str, pk: str) -> list[str]:
        """Try to change, then delete, one row; the guard must refuse both. Always rolled back."""
        found = []
        # Table and column names are the models' own (append_only_models), never input.
        one = f'(SELECT ctid FROM "{table}" LIMIT 1)'  # noqa: S608  # nosec B608
        for statement, what in (
            (f'UPDATE "{table}" SET "{pk}" = "{pk}" WHERE ctid = {one}', "changed"),  # noqa: S608  # nosec B608
            (f'DELETE FROM "{table}" WHERE ctid = {one}', "deleted"),  # noqa: S608  # nosec B608
        ):
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608  # nosec B608
                        if cursor.fetchone() is None:
                            break  # an empty table: nothing to try (the trigger is checked above)
                        cursor.execute(statement)
                    raise _Probe
            except _Probe:
                found.append(f"{table}: a row could be {what}")
            except DatabaseError as exc:
                if "cannot be" not in str(exc):  # refused, but not by the guard
                    found.append(f"{table}: the check itself failed ({exc})")
        return found
