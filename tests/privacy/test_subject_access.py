"""Subject access: everything held about one member of the public, across apps, by command and on a
Comms page (with the evidence files in a zip); nothing once the sweep has anonymised them. Each
request is logged (who, when), never the handle or the answer."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from blocking.models import Evidence
from privacy.models import RetentionRun, SubjectAccessRequest
from privacy.services import retention_sweep
from tests.privacy.conftest import HANDLE, WORDS, at, everywhere

pytestmark = pytest.mark.django_db
URL = reverse("privacy:subject_access")


def command(*args) -> dict:
    out = StringIO()
    call_command("subject_access", "--handle", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_finds_everything_across_apps_then_nothing_after_the_sweep(held, time_machine):
    found = command("zed_quokka42")  # however the handle is typed
    sections = {s["section"]: s for s in found["sections"]}
    assert set(sections) == {
        "Messages to the council and its replies",
        "Referrals and decisions",
        "Blocks and appeals",
    }
    text = json.dumps(found)
    assert WORDS in text and "Unblocked" in text and "we will move" in text
    files = [f for s in found["sections"] for f in s["files"]]
    assert len(files) == 2  # both referrals' screenshots (the same picture: the same fingerprint)
    assert {f["sha256"] for f in files} == set(Evidence.objects.values_list("sha256", flat=True))
    assert command("@zed_quokka42", "--platform", "facebook") == {"sections": []}
    assert SubjectAccessRequest.objects.filter(how="command", asked_by=None).count() == 2
    assert everywhere("zed_quokka42") != []  # still held: a subject access request changes nothing

    time_machine.move_to(at("2027-06-01"), tick=False)
    retention_sweep()
    assert command(HANDLE) == {"sections": []}
    assert command("[removed]") == {"sections": []}


def test_the_page_shows_it_and_downloads_the_files(held, clients, people):
    page = clients["comms"].post(URL, {"handle": HANDLE, "platform": ""})
    assert page.status_code == 200
    body = page.content.decode()
    assert WORDS in body and "Blocks and appeals" in body
    download = clients["comms"].post(URL, {"handle": HANDLE, "platform": "x", "download": "1"})
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = archive.namelist()
    assert "held.json" in names and len([n for n in names if n.startswith("files/")]) == 2
    assert WORDS in archive.read("held.json").decode()
    logged = SubjectAccessRequest.objects.filter(asked_by=people["comms"])
    assert sorted(logged.values_list("how", flat=True)) == ["download", "page"]
    # The log says who and when, not whom about.
    assert everywhere("zed_quokka42") and "privacy_subjectaccessrequest" not in " ".join(
        everywhere("zed_quokka42")
    )


def test_a_handle_nobody_holds(clients):
    body = clients["comms"].post(URL, {"handle": "@nobody_here", "platform": ""}).content.decode()
    assert "Nothing is held about this handle" in body
    body = clients["comms"].post(URL, {"handle": "", "platform": ""}).content.decode()
    assert "Enter their handle or name" in body


@pytest.mark.parametrize("url", [reverse("privacy:rules"), URL])
def test_only_comms_open_the_pages(url, assert_statuses):
    assert_statuses(
        url,
        {
            "anonymous": 302,
            "comms": 200,
            "officer": 403,
            "reviewer": 403,
            "head_of_service": 403,
            "councillor": 403,
            "auditor": 403,
            "outsider": 403,
        },
    )
    assert_statuses(
        URL,
        dict.fromkeys(("officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"), 403)
        | {"anonymous": 302, "comms": 200},
        method="post",
        data={"handle": "@someone"},
    )


def test_the_rules_page_lists_each_rule_and_its_last_run(clients, settings, assert_flat_queries):
    settings.RETENTION_MONTHS = {"inbound": 36}
    retention_sweep()
    body = clients["comms"].get(reverse("privacy:rules")).content.decode()
    for code in ("inbound", "hidden", "referrals", "blocks", "answers"):
        assert f'data-rule="{code}"' in body
    assert "36 months after the message was replied to" in body
    assert "0 records anonymised" in body

    def grow():
        for _ in range(5):
            retention_sweep()
        RetentionRun.objects.filter(rule="inbound").update(records=7)

    assert_flat_queries(lambda: clients["comms"].get(reverse("privacy:rules")), grow, at_most=8)


def test_the_subject_access_page_stays_flat(held, clients, people, account, assert_flat_queries):
    from content_review import services as content

    def grow():
        for n in range(4):
            content.inbound_record(
                by=people["officer"],
                account=account,
                sender_handle=HANDLE,
                text=f"More {n}",
                received_at=at("2025-01-06", 8),
            )

    assert_flat_queries(
        lambda: clients["comms"].post(URL, {"handle": HANDLE, "platform": ""}), grow, at_most=20
    )
