"""The content pages: who may open and post to each, what the queues list, their speed, and the forms."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content_review import services
from content_review.models import D, Draft, DraftEvent, DraftImage, InboundMessage, StandardResponse
from organisation.models import Role
from tests.factories import (
    AccountFactory,
    DraftFactory,
    InboundMessageFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
    StandardResponseFactory,
)

pytestmark = pytest.mark.django_db
A = DraftEvent.Action


def _png() -> bytes:
    # A real image: uploads are decoded and re-encoded (core.uploads), so a bare signature is refused.
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return out.getvalue()


PNG = _png()

EVERYONE = dict.fromkeys(
    ["comms", "officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"], 200
)
COMMS_ONLY = {**dict.fromkeys(EVERYONE, 403), "comms": 200}
# A draft on the officer's account in Waste: who can see it at all. The rest get 404.
SEES = {"comms": 200, "officer": 200, "reviewer": 200, "head_of_service": 200, "auditor": 200}
HIDDEN = {"councillor": 404, "outsider": 404}
# Those who can see it but may not do the thing get 403.
CANNOT_ACT = {**HIDDEN, "reviewer": 403, "head_of_service": 403, "auditor": 403}
AUTHOR_ONLY = {**CANNOT_ACT, "comms": 403}


def url(name: str, *args) -> str:
    return reverse(f"content:{name}", args=args)


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def listed(response) -> list[int]:
    """The drafts a list page links to, in order."""
    return [int(pk) for pk in re.findall(r'href="/content/(\d+)/"', response.content.decode())]


class Upload(io.BytesIO):
    """A file the test client can send more than once (it reads the file for each request)."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


@pytest.fixture
def account(people, service_area):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    return AccountFactory(
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


@pytest.fixture
def draft(people, account):
    return services.draft_create(by=people["officer"], account=account, text="Bins as normal this week.")


@pytest.fixture
def submitted(people, draft):
    services.draft_submit(draft=draft, by=people["officer"])
    return draft


@pytest.fixture
def approved(people, submitted):
    services.draft_approve(draft=submitted, by=people["reviewer"], revision_number=1)
    return submitted


@pytest.fixture
def message(account):
    return InboundMessageFactory(account=account, sender_handle="@resident")


# The permission matrix, page by page


def test_the_lists_open_to_everyone_signed_in(assert_statuses, account):
    for name in ("mine", "queue", "inbox", "responses"):
        assert_statuses(url(name), EVERYONE)


def test_only_comms_record_urgent_posts_and_manage_standard_responses(assert_statuses, people, account):
    response = StandardResponseFactory()
    for page in (url("urgent"), url("response_new"), url("response_edit", response.pk)):
        assert_statuses(page, COMMS_ONLY)

    when = local(timezone.now() - datetime.timedelta(minutes=5))
    urgent = {
        "account": account.pk,
        "text": "The recycling centre is closed today.",
        "reason": "Flooding.",
        "published_url": "https://x.com/NfieldBins/9",
        "published_at": when,
    }
    assert_statuses(url("urgent"), {**COMMS_ONLY, "comms": 302}, method="post", data=urgent)
    assert Draft.objects.get().urgent

    fields = {
        "title": "Missed bin",
        "body": "Hi [name].",
        "owner": people["comms"].pk,
        "review_by": "2027-01-01",
    }
    assert_statuses(url("response_new"), {**COMMS_ONLY, "comms": 302}, method="post", data=fields)
    assert_statuses(
        url("response_edit", response.pk),
        {**COMMS_ONLY, "comms": 302},
        method="post",
        data={**fields, "title": "Renamed", "is_active": "on"},
    )
    assert list(StandardResponse.objects.values_list("title", flat=True)) == ["Missed bin", "Renamed"]


def test_recording_a_message_is_for_those_who_draft(assert_statuses, account):
    drafters = {**dict.fromkeys(EVERYONE, 403), "comms": 200, "officer": 200}
    assert_statuses(url("inbound_new"), drafters)
    data = {
        "account": account.pk,
        "sender_handle": "@resident",
        "text": "My bin was missed.",
        "received_at": local(timezone.now() - datetime.timedelta(hours=1)),
    }
    assert_statuses(url("inbound_new"), {**drafters, "comms": 302, "officer": 302}, method="post", data=data)
    assert InboundMessage.objects.filter(account=account).count() == 2


def test_drafting_a_post(clients, people, account):
    data = {"account": account.pk, "text": "Bins as normal."}
    for persona in ("comms", "officer"):
        assert clients[persona].get(url("new")).status_code == 200
        assert clients[persona].post(url("new"), data).status_code == 302
    for persona in ("reviewer", "head_of_service", "councillor", "auditor", "outsider"):
        clients[persona].post(url("new"), data)  # refused: 403, or the form again
    assert sorted(Draft.objects.values_list("author", flat=True)) == [
        people["comms"].pk,
        people["officer"].pk,
    ]


def test_drafting_a_reply(assert_statuses, people, message):
    assert_statuses(
        url("reply", message.pk),
        {**AUTHOR_ONLY, "comms": 302, "officer": 302},
        method="post",
        data={"text": "Sorry: we will collect it today."},
    )
    assert set(Draft.objects.values_list("kind", "author")) == {
        ("reply", people["comms"].pk),
        ("reply", people["officer"].pk),
    }


def test_the_draft_page_and_editing(assert_statuses, draft):
    assert_statuses(url("detail", draft.pk), {**SEES, **HIDDEN})
    assert_statuses(url("edit", draft.pk), {**AUTHOR_ONLY, "officer": 200})
    assert_statuses(
        url("edit", draft.pk),
        {**AUTHOR_ONLY, "officer": 302},
        method="post",
        data={"text": "Bins as normal next week.", "version": draft.version},
    )
    assert Draft.objects.get(pk=draft.pk).text == "Bins as normal next week."


def test_sending_for_review(assert_statuses, draft):
    assert_statuses(url("submit", draft.pk), {**AUTHOR_ONLY, "officer": 302}, method="post")
    assert Draft.objects.get(pk=draft.pk).status == D.SUBMITTED


def test_adding_an_image(assert_statuses, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = {"image": Upload("bins.png", PNG), "alt_text": "A row of green bins"}
    assert_statuses(url("image", draft.pk), {**AUTHOR_ONLY, "officer": 302}, method="post", data=data)
    [image] = DraftImage.objects.filter(draft=draft)
    assert image.alt_text == "A row of green bins" and (tmp_path / image.image.name).read_bytes() == PNG


def test_deciding(assert_statuses, people, submitted):
    decide = {"decision": "changes", "comment": "Say which week.", "revision": 1}
    # The reviewer decides; Comms may too, but is then told it is no longer waiting for review.
    expected = {**CANNOT_ACT, "officer": 403, "reviewer": 302, "comms": 403}
    assert_statuses(url("decide", submitted.pk), expected, method="post", data=decide)
    [decision] = submitted.events.filter(action__in=DraftEvent.DECISIONS)
    assert (decision.actor, decision.action) == (people["reviewer"], A.CHANGES_REQUESTED)
    assert Draft.objects.get(pk=submitted.pk).status == D.CHANGES_REQUESTED


def test_recording_publication(assert_statuses, people, approved):
    assert_statuses(url("publish", approved.pk), {**CANNOT_ACT, "comms": 200, "officer": 200})
    data = {"published_url": "https://x.com/NfieldBins/1", "published_at": local(timezone.now())}
    # The author records it; Comms could, but is then told it is already published.
    assert_statuses(
        url("publish", approved.pk), {**CANNOT_ACT, "officer": 302, "comms": 403}, method="post", data=data
    )
    published = Draft.objects.get(pk=approved.pk)
    assert (published.status, published.published_by) == (D.PUBLISHED, people["officer"])


def test_withdrawing(assert_statuses, draft):
    assert_statuses(
        url("withdraw", draft.pk),
        {**CANNOT_ACT, "officer": 302, "comms": 403},
        method="post",
        data={"reason": "Not needed."},
    )
    assert Draft.objects.get(pk=draft.pk).status == D.WITHDRAWN


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "withdraw",
            {**CANNOT_ACT, "officer": 200, "comms": 200},
            id="withdraw",
        ),
        pytest.param(
            "reply",
            {**CANNOT_ACT, "officer": 200, "comms": 200},
            id="reply",
        ),
        pytest.param(
            "new",
            {**dict.fromkeys(EVERYONE, 403), "officer": 200, "comms": 200},
            id="new",
        ),
    ],
)
def test_an_action_form_opens_only_for_those_who_may_act(assert_statuses, draft, message, name, expected):
    args = {"withdraw": [draft.pk], "reply": [message.pk], "new": []}[name]
    assert_statuses(url(name, *args), expected)


def test_commenting_is_for_those_who_see_the_draft(clients, draft):
    expected = {**HIDDEN, "comms": 302, "officer": 302, "reviewer": 302, "head_of_service": 302}
    got = {
        name: clients[name].post(url("comment", draft.pk), {"comment": f"Comment from {name}."}).status_code
        for name in expected
    }
    assert got == expected
    assert sorted(draft.events.values_list("comment", flat=True)) == [
        f"Comment from {name}." for name in sorted(["comms", "officer", "reviewer", "head_of_service"])
    ]


def test_auditors_cannot_comment(assert_statuses, draft):
    commenters = {**HIDDEN, "comms": 302, "officer": 302, "reviewer": 302, "head_of_service": 302}
    assert_statuses(
        url("comment", draft.pk), {**commenters, "auditor": 403}, method="post", data={"comment": "Noted."}
    )


def test_reviewing_an_urgent_post_afterwards(assert_statuses, people, account):
    author = PersonFactory(roles=[Role.COMMS])
    urgent = services.draft_publish_urgent(
        by=author,
        account=account,
        text="The recycling centre is closed today.",
        published_url="https://x.com/NfieldBins/9",
        published_at=timezone.now(),
        reason="Flooding.",
    )
    assert_statuses(
        url("post_review", urgent.pk), {**CANNOT_ACT, "officer": 403, "comms": 302}, method="post"
    )
    assert Draft.objects.get(pk=urgent.pk).post_reviewed_by == people["comms"]


# Who sees what


def test_comms_and_auditors_see_every_draft(clients, people, draft, other_service_area):
    elsewhere = DraftFactory(account=AccountFactory(service_area=other_service_area))
    for persona in ("comms", "auditor"):
        for someone_elses in (draft, elsewhere):
            assert clients[persona].get(url("detail", someone_elses.pk)).status_code == 200, persona
        assert set(listed(clients[persona].get(url("mine"), {"all": 1}))) == {draft.pk, elsewhere.pk}, persona
    # The list the "urgent posts need reviewing" reminder links to: a colleague's urgent post.
    urgent = DraftFactory(account=draft.account, author=PersonFactory(roles=[Role.COMMS]), urgent=True)
    assert listed(clients["comms"].get(url("mine"), {"urgent": 1})) == [urgent.pk]


def test_a_draft_of_another_service_area_is_for_that_area_only(clients, people, other_service_area):
    head = PersonFactory(roles=[Role.HEAD_OF_SERVICE], service_area=other_service_area)
    other_service_area.head_of_service = head
    other_service_area.save()
    elsewhere = DraftFactory(account=AccountFactory(service_area=other_service_area))
    its_head = Client()
    its_head.force_login(head, backend="django.contrib.auth.backends.ModelBackend")

    assert its_head.get(url("detail", elsewhere.pk)).status_code == 200
    for persona in ("officer", "reviewer", "head_of_service", "councillor", "outsider"):
        assert clients[persona].get(url("detail", elsewhere.pk)).status_code == 404, persona


def test_auditors_read_the_whole_trail_but_are_offered_no_action(clients, people, approved):
    auditor = clients["auditor"]
    page = auditor.get(url("detail", approved.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Approved" in text and "Submitted for review" in text
    for action in ("Send for review", "Edit the draft", "Your review", "Record the publication", "Withdraw"):
        assert action not in text, action

    assert auditor.get(url("publish", approved.pk)).status_code == 403
    data = {"published_url": "https://x.com/NfieldBins/1", "published_at": local(timezone.now())}
    assert auditor.post(url("publish", approved.pk), data).status_code == 403
    assert auditor.post(url("withdraw", approved.pk), {"reason": "Audit."}).status_code == 403
    assert Draft.objects.get(pk=approved.pk).status == D.APPROVED


def test_the_draft_page_shows_the_checks_and_history(clients, people, account):
    officer = people["officer"]
    draft = services.draft_create(by=officer, account=account, text="Email jo.bloggs@gmail.com today.")
    page = clients["officer"].get(url("detail", draft.pk)).content.decode()
    assert "Must fix" in page and "It cannot be sent for review yet" in page

    services.draft_update(
        draft=draft, by=officer, version=draft.version, text="Glass out today #recyclingweek"
    )
    services.draft_submit(draft=draft, by=officer)
    page = clients["reviewer"].get(url("detail", draft.pk)).content.decode()
    assert (
        "Revision 1: the text being reviewed" in page and "Submitted for review</strong> (revision 1)" in page
    )
    assert 'value="accessibility.hashtag_case"' in page, "the reviewer is asked to acknowledge the warning"


# The review queue and my drafts


def test_the_review_queue_lists_what_the_user_may_review_and_never_their_own(
    clients, people, service_area, other_service_area, account
):
    own_account = AccountFactory(service_area=service_area, deputy=people["reviewer"])
    waste = DraftFactory(account=account, status=D.SUBMITTED)
    reviewers_own = DraftFactory(account=own_account, author=people["reviewer"], status=D.SUBMITTED)
    comms_own = DraftFactory(account=account, author=people["comms"], status=D.SUBMITTED)
    libraries = DraftFactory(account=AccountFactory(service_area=other_service_area), status=D.SUBMITTED)
    DraftFactory(account=account)  # not sent for review yet
    DraftFactory(account=account, status=D.APPROVED)  # already decided

    expected = {
        "reviewer": {waste.pk, comms_own.pk},
        "comms": {waste.pk, reviewers_own.pk, libraries.pk},
        **{name: set() for name in ("officer", "head_of_service", "councillor", "auditor", "outsider")},
    }
    got = {name: set(listed(clients[name].get(url("queue")))) for name in expected}
    assert got == expected
    replies_only = clients["comms"].get(url("queue"), {"kind": "reply"})
    assert (
        listed(replies_only) == [] and "Nothing is waiting for your review" in replies_only.content.decode()
    )


def test_the_queue_filters_by_account_service_area_and_kind(clients, account, other_service_area):
    post = DraftFactory(account=account, status=D.SUBMITTED)
    reply = DraftFactory(
        account=account, status=D.SUBMITTED, inbound_message=InboundMessageFactory(account=account)
    )
    elsewhere = AccountFactory(service_area=other_service_area)
    libraries = DraftFactory(account=elsewhere, status=D.SUBMITTED)
    comms = clients["comms"]

    assert set(listed(comms.get(url("queue"), {"account": account.pk}))) == {post.pk, reply.pk}
    assert listed(comms.get(url("queue"), {"service_area": other_service_area.pk})) == [libraries.pk]
    assert listed(comms.get(url("queue"), {"kind": "reply"})) == [reply.pk]
    assert len(listed(comms.get(url("queue"), {"account": "nonsense"}))) == 3


def test_the_queue_shows_only_overdue_replies_when_asked(clients, account):
    overdue = InboundMessageFactory(account=account, due_at=timezone.now() - datetime.timedelta(hours=1))
    late = DraftFactory(account=account, status=D.SUBMITTED, inbound_message=overdue)
    DraftFactory(account=account, status=D.SUBMITTED, inbound_message=InboundMessageFactory(account=account))
    DraftFactory(account=account, status=D.SUBMITTED)
    assert listed(clients["comms"].get(url("queue"), {"due": "overdue"})) == [late.pk]


def test_the_library_of_standard_responses_hides_retired_ones_except_from_comms(clients):
    StandardResponseFactory(title="Missed bin")
    StandardResponseFactory(title="Old garden waste prices", is_active=False)
    officer_sees = clients["officer"].get(url("responses")).content.decode()
    comms_sees = clients["comms"].get(url("responses")).content.decode()
    assert "Missed bin" in officer_sees and "Old garden waste prices" not in officer_sees
    assert "Missed bin" in comms_sees and "Old garden waste prices" in comms_sees


def test_replies_come_first_in_the_queue_by_when_they_are_due(clients, account):
    post = DraftFactory(account=account, status=D.SUBMITTED)
    later = timezone.now() + datetime.timedelta(hours=5)
    sooner = timezone.now() + datetime.timedelta(hours=1)
    due_later = DraftFactory(
        account=account,
        status=D.SUBMITTED,
        inbound_message=InboundMessageFactory(account=account, due_at=later),
    )
    due_sooner = DraftFactory(
        account=account,
        status=D.SUBMITTED,
        inbound_message=InboundMessageFactory(account=account, due_at=sooner),
    )
    assert listed(clients["reviewer"].get(url("queue"))) == [due_sooner.pk, due_later.pk, post.pk]


def test_the_queue_and_my_drafts_take_a_fixed_number_of_queries(
    clients, people, service_area, other_service_area, django_assert_max_num_queries
):
    officer = people["officer"]
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    accounts = [
        AccountFactory(service_area=area, responsible_officer=officer)
        for area in (service_area, other_service_area, service_area)
    ]
    for n in range(60):
        account = accounts[n % 3]
        message = InboundMessageFactory(account=account) if n % 2 else None
        DraftFactory(account=account, status=D.SUBMITTED, inbound_message=message)

    for persona, waiting in [("comms", 60), ("reviewer", 40)]:  # the reviewer reviews two of the accounts
        with django_assert_max_num_queries(10):
            queue = clients[persona].get(url("queue"))
        assert len(listed(queue)) == 25, persona  # the queue's page size (bench/RESULTS.md)
        assert queue.context["page"].paginator.count == waiting, persona
    with django_assert_max_num_queries(10):
        mine = clients["officer"].get(url("mine"))
    assert len(listed(mine)) == 50 and "60 drafts" in mine.content.decode()
    with django_assert_max_num_queries(10):
        clients["officer"].get(url("mine"), {"page": 2, "status": "submitted"})


# Forms


def test_a_refused_draft_keeps_what_was_typed(clients, account):
    typed = "Bins are collected as normal on Tuesday."
    page = clients["officer"].post(
        url("new"),
        {
            "account": account.pk,
            "text": typed,
            "planned_for": local(timezone.now() - datetime.timedelta(days=1)),
        },
    )
    assert page.status_code == 200 and not Draft.objects.exists()
    text = page.content.decode()
    assert "must be in the future" in text and typed in text


def test_a_refused_message_keeps_what_was_typed(clients, account):
    page = clients["officer"].post(
        url("inbound_new"),
        {
            "account": account.pk,
            "sender_handle": "@worried_resident",
            "text": "Nobody collected the glass.",
            "received_at": local(timezone.now() + datetime.timedelta(days=1)),
        },
    )
    assert page.status_code == 200 and not InboundMessage.objects.exists()
    text = page.content.decode()
    assert "cannot be in the future" in text
    assert 'value="@worried_resident"' in text and "Nobody collected the glass." in text


def test_sending_back_without_a_comment_is_refused_and_says_why(clients, submitted):
    page = clients["reviewer"].post(url("decide", submitted.pk), {"decision": "changes", "revision": 1})
    assert page.status_code == 200 and "Say what needs to change." in page.content.decode()
    assert Draft.objects.get(pk=submitted.pk).status == D.SUBMITTED


def test_a_reply_started_from_a_standard_response_records_it(clients, people, message):
    standard = StandardResponseFactory(body="Hi [name], sorry your bin was missed.")
    form = clients["officer"].get(url("reply", message.pk), {"standard_response": standard.pk})
    assert "Hi [name], sorry your bin was missed." in form.content.decode()

    clients["officer"].post(
        url("reply", message.pk) + f"?standard_response={standard.pk}",
        {"text": "Hi Sam, sorry your bin was missed. We will collect it today."},
    )

    reply = Draft.objects.get()
    assert (reply.kind, reply.inbound_message, reply.standard_response) == ("reply", message, standard)
    page = clients["officer"].get(url("detail", reply.pk)).content.decode()
    assert "of the words differ from the standard response" in page


def test_an_image_must_really_be_an_image(clients, draft):
    page = clients["officer"].post(
        url("image", draft.pk), {"image": Upload("bins.png", b"MZ not an image at all"), "alt_text": "Bins"}
    )
    assert page.status_code == 200 and "must be a PNG, JPEG, GIF or WebP" in page.content.decode()
    assert not DraftImage.objects.exists()


def test_an_image_over_the_size_limit_is_refused(clients, draft, settings):
    settings.CONTENT_IMAGE_MAX_BYTES = 1024 * 1024
    big = PNG + b"\x00" * (1024 * 1024)
    page = clients["officer"].post(
        url("image", draft.pk), {"image": Upload("big.png", big), "alt_text": "Bins"}
    )
    assert page.status_code == 200 and "smaller than 1.0\xa0MB" in page.content.decode()
    assert not DraftImage.objects.exists()


def test_the_live_check_runs_only_for_accounts_one_drafts_for(clients, account):
    check = url("check") + f"?account={account.pk}"
    page = clients["officer"].post(check, {"text": "Email jo.bloggs@gmail.com for details"})
    assert page.status_code == 200 and "Must fix" in page.content.decode()
    assert "nothing to fix" in clients["officer"].post(check, {"text": "The park is open."}).content.decode()
    for persona in ["reviewer", "auditor", "councillor", "outsider"]:
        assert clients[persona].post(check, {"text": "x"}).status_code == 403, persona
    assert clients["officer"].get(check).status_code == 405


def test_an_image_is_stored_under_our_name_and_served_only_to_those_who_see_the_draft(clients, draft):
    clients["officer"].post(url("image", draft.pk), {"image": Upload("evil.html", PNG), "alt_text": "Bins"})
    image = DraftImage.objects.get()
    assert image.image.name.endswith(".png") and "evil" not in image.image.name
    served = clients["officer"].get(url("image_file", draft.pk, image.pk))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PNG
    assert clients["councillor"].get(url("image_file", draft.pk, image.pk)).status_code == 404
    page = clients["officer"].get(url("detail", draft.pk)).content.decode()
    assert f'src="{url("image_file", draft.pk, image.pk)}" alt="Bins"' in page


def test_the_author_can_remove_an_image_while_writing(clients, draft):
    clients["officer"].post(url("image", draft.pk), {"image": Upload("bins.png", PNG), "alt_text": "Bins"})
    image = DraftImage.objects.get()
    assert clients["reviewer"].post(url("image_remove", draft.pk, image.pk)).status_code == 403
    assert clients["officer"].post(url("image_remove", draft.pk, image.pk)).status_code == 302
    assert not DraftImage.objects.exists()
