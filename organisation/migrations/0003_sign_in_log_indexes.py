from django.db import migrations

TABLES = ["axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"]


class Migration(migrations.Migration):
    """The retention job deletes sign-in records by age (organisation.services.sign_in_records_purge):
    django-axes does not index attempt_time, so without these each run reads the whole table."""

    dependencies = [("organisation", "0002_roles"), ("axes", "0010_accessattemptexpiration")]
    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {table}_attempt_time ON {table} (attempt_time)",
            f"DROP INDEX IF EXISTS {table}_attempt_time",
        )
        for table in TABLES
    ]
