import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from tests.factories import AccountFactory


def at(day: str, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def account(people, service_area):
    """An X account the officer runs, with no review needed before publishing."""
    return AccountFactory(
        platform="x",
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


def screenshot() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), "red").save(out, "PNG")
    return SimpleUploadedFile("shot.png", out.getvalue(), content_type="image/png")


def everywhere(needle: str) -> list[str]:
    """Every table.column, in the whole database, whose text (of any text, array or JSON column,
    audit trail and logs included) contains the needle, case-insensitively."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                   OR c.data_type = 'ARRAY')
            """
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found
