import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from blocking import services as blocking
from blocking.models import Block, Evidence
from content_review import services as content
from tests.factories import AccountFactory
from tests.surveys.helpers import make_questionnaire, respond


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


HANDLE = "@Zed_Quokka42"
WORDS = "zebra-striped wheelie bins outside number 42"
SURVEY_WORDS = "my neighbour Quentin Marsupial"
RESPONDENT = "zed.quokka@example.test"
TRACES = ["Zed_Quokka42", "zebra-striped", "Quentin Marsupial", RESPONDENT]


@pytest.fixture
def held(people, account, time_machine, settings, tmp_path):
    """A message and its reply, two referrals (one decided without a block, one blocked, appealed and
    lifted) with evidence, and a questionnaire with a free-text answer: all in January 2025."""
    settings.MEDIA_ROOT = tmp_path
    officer, comms = people["officer"], people["comms"]
    time_machine.move_to(at("2025-01-06", 9), tick=False)
    message = content.inbound_record(
        by=officer,
        account=account,
        sender_handle=HANDLE,
        text=f"Please move the {WORDS}",
        received_at=at("2025-01-06", 8),
    )
    time_machine.move_to(at("2025-01-09"), tick=False)
    content.inbound_sweep()  # overdue: emails naming the sender
    draft = content.draft_create(
        by=officer,
        account=account,
        text=f"Hello {HANDLE}, we will move the {WORDS}.",
        inbound_message=message,
    )
    content.draft_submit(draft=draft, by=officer)
    content.draft_approve(draft=draft, by=comms, revision_number=1, acknowledged=["*"])
    content.draft_publish(
        draft=draft,
        by=officer,
        published_url="https://x.com/NfieldBins/status/123",
        published_at=at("2025-01-09", 9),
    )
    fields = {
        "account": account,
        "person_handle": HANDLE,
        "categories": ["threats"],
        "what_happened": f"Threatened staff about the {WORDS}.",
        "quoted_text": f"I know where the {WORDS} are",
        "warning_given": False,
        "warned_on": None,
    }
    no_block = blocking.referral_create(by=officer, fields=fields, files=[screenshot()])
    blocking.referral_decide(referral=no_block, by=comms, outcome="no_action", reason=f"Only about {WORDS}.")
    to_block = blocking.referral_create(by=officer, fields=fields, files=[screenshot()])
    blocking.referral_decide(referral=to_block, by=comms, outcome="block", reason=f"Threats about {WORDS}.")
    block = Block.objects.get(referral=to_block)
    appeal = blocking.appeal_log(
        block=block,
        by=comms,
        received_on=datetime.date(2025, 1, 9),
        channel="email",
        message=f"Sorry, {WORDS}.",
    )
    time_machine.move_to(at("2025-01-10"), tick=False)
    blocking.appeal_answer(appeal=appeal, by=comms, outcome="upheld", reply=f"Unblocked {HANDLE}.")
    questionnaire = make_questionnaire(
        opens_on=datetime.date(2025, 1, 1), closes_on=datetime.date(2025, 1, 31)
    )
    respond(
        questionnaire,
        {"uses": "no", "rank": {"a": 1, "b": 2, "c": 3}, "comments": SURVEY_WORDS},
        respondent=RESPONDENT,
    )
    respond(questionnaire, {"uses": "yes", "platforms": ["x"], "comments": "Fine"}, audience="councillor")
    return {
        "message": message,
        "draft": draft,
        "questionnaire": questionnaire,
        "files": [e.file.name for e in Evidence.objects.all()],
    }
