"""The draft → review → approve → publish workflow, through the services every page and task uses."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import Account
from content_review import services
from content_review.models import D, Draft, DraftEvent, DraftImage, DraftKind, InboundMessage, Revision
from notifications.models import Notification
from organisation.models import Role
from tests.factories import (
    AccountFactory,
    InboundMessageFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
    StandardResponseFactory,
)

pytestmark = pytest.mark.django_db
A = DraftEvent.Action

PLAIN = "Bins are collected as normal this week."
# One warning (a lower-case compound hashtag), nothing blocking.
WARNED = "Bins are collected as normal.\n\nRecycle your glass!  #recyclingweek"


@pytest.fixture
def account(people, service_area):
    return AccountFactory(
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


@pytest.fixture
def reviewer(people, service_area):
    """The reviewer persona, named as a reviewer for every account of the Waste service area."""
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    return people["reviewer"]


@pytest.fixture
def officer(people):
    return people["officer"]


@pytest.fixture
def comms(people):
    return people["comms"]


def reloaded(draft: Draft) -> Draft:
    return Draft.objects.get(pk=draft.pk)


def notified(person, containing: str = "") -> list[str]:
    return [
        subject
        for subject in Notification.objects.filter(recipient=person).values_list("subject", flat=True)
        if containing in subject
    ]


def drafted(officer, account, text: str = PLAIN, **kwargs) -> Draft:
    return services.draft_create(by=officer, account=account, text=text, **kwargs)


def submitted(officer, account, text: str = PLAIN, **kwargs) -> Draft:
    draft = drafted(officer, account, text, **kwargs)
    services.draft_submit(draft=draft, by=officer)
    return reloaded(draft)


def approved(officer, account, reviewer, text: str = PLAIN, **kwargs) -> Draft:
    draft = submitted(officer, account, text, **kwargs)
    services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    return reloaded(draft)


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# Creating a draft


def test_an_officer_drafts_a_post_for_their_account(officer, account):
    draft = drafted(officer, account)
    draft = reloaded(draft)
    assert (draft.kind, draft.status, draft.author, draft.text) == (DraftKind.POST, D.DRAFT, officer, PLAIN)
    assert not draft.revisions.exists() and not draft.events.exists()


@pytest.mark.parametrize("who", ["responsible officer", "deputy", "comms"])
def test_the_responsible_officer_their_deputy_and_comms_may_draft(people, service_area, who):
    deputy = PersonFactory(roles=[Role.OFFICER], service_area=service_area)
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"], deputy=deputy)
    by = {"responsible officer": people["officer"], "deputy": deputy, "comms": people["comms"]}[who]
    assert drafted(by, account).author == by


@pytest.mark.parametrize("persona", ["reviewer", "head_of_service", "councillor", "auditor", "outsider"])
def test_nobody_else_may_draft_for_the_account(people, account, reviewer, persona):
    with pytest.raises(PermissionDenied):
        drafted(people[persona], account)
    assert not Draft.objects.exists()


def test_nobody_drafts_for_a_closed_account(officer, service_area):
    closed = AccountFactory(status="closed", service_area=service_area, responsible_officer=officer)
    with pytest.raises(PermissionDenied):
        drafted(officer, closed)


def test_a_reply_is_drafted_on_the_account_the_message_came_to(officer, account, service_area):
    message = InboundMessageFactory(account=account)
    elsewhere = AccountFactory(service_area=service_area, responsible_officer=officer)

    with pytest.raises(ValidationError):
        drafted(officer, elsewhere, inbound_message=message)
    assert not Draft.objects.exists()

    reply = drafted(officer, account, "Sorry about that: we will collect it today.", inbound_message=message)
    assert (reply.kind, reply.inbound_message) == (DraftKind.REPLY, message)


def test_a_draft_needs_text_and_a_planned_time_in_the_future(officer, account):
    with pytest.raises(ValidationError) as caught:
        drafted(officer, account, "   ")
    assert set(caught.value.message_dict) == {"text"}
    with pytest.raises(ValidationError) as caught:
        drafted(officer, account, planned_for=timezone.now() - datetime.timedelta(minutes=5))
    assert set(caught.value.message_dict) == {"planned_for"}
    assert not Draft.objects.exists()


# Editing


def test_only_the_author_edits_and_a_stale_version_is_refused(officer, comms, account):
    draft = drafted(officer, account)

    with pytest.raises(PermissionDenied):
        services.draft_update(draft=draft, by=comms, version=draft.version, text="Comms rewrote it.")
    with pytest.raises(ValidationError):
        services.draft_update(draft=draft, by=officer, version=draft.version - 1, text="From an old tab.")
    assert reloaded(draft).text == PLAIN

    edited = services.draft_update(
        draft=draft, by=officer, version=draft.version, text="Collections as normal."
    )
    assert (reloaded(draft).text, edited.version) == ("Collections as normal.", draft.version + 1)


def test_a_submitted_draft_cannot_be_edited_until_it_is_sent_back(officer, account, reviewer):
    draft = submitted(officer, account)
    with pytest.raises(ValidationError):
        services.draft_update(draft=draft, by=officer, version=draft.version, text="Sneaky change.")
    assert reloaded(draft).text == PLAIN

    services.draft_request_changes(draft=draft, by=reviewer, revision_number=1, comment="Say which week.")
    draft = reloaded(draft)
    services.draft_update(draft=draft, by=officer, version=draft.version, text=f"{PLAIN} (week of 2 March)")

    assert reloaded(draft).text == f"{PLAIN} (week of 2 March)"
    assert draft.revisions.get().text == PLAIN, "the reviewed revision keeps the text that was reviewed"


def test_revisions_and_workflow_events_are_append_only_in_the_database(officer, account):
    draft = submitted(officer, account)
    revision, event = draft.revisions.get(), draft.events.get()

    for table, pk, column in [
        (Revision._meta.db_table, revision.pk, "text"),
        (DraftEvent._meta.db_table, event.pk, "comment"),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic():
            raw_sql(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["rewritten", pk])
        with pytest.raises(DatabaseError), transaction.atomic():
            raw_sql(f"DELETE FROM {table} WHERE id = %s", [pk])

    assert Revision.objects.get(pk=revision.pk).text == PLAIN
    assert DraftEvent.objects.filter(pk=event.pk, comment="").exists()


# Submitting


def test_submitting_keeps_the_exact_text_and_findings_and_tells_the_reviewers(people, account, reviewer):
    officer = people["officer"]
    draft = drafted(officer, account, WARNED)
    DraftImage.objects.create(draft=draft, image="drafts/glass.png", alt_text="Green glass recycling box")

    revision = services.draft_submit(draft=draft, by=officer)

    assert reloaded(draft).status == D.SUBMITTED
    assert (revision.number, revision.text, revision.submitted_by) == (1, WARNED, officer)
    assert revision.image_alt_texts == ["Green glass recycling box"]
    assert [(f["code"], f["severity"]) for f in revision.findings] == [("accessibility.hashtag_case", "warn")]
    assert WARNED[revision.findings[0]["start"] : revision.findings[0]["end"]] == "#recyclingweek"
    [event] = draft.events.all()
    assert (event.action, event.revision, event.actor) == (A.SUBMITTED, revision, officer)

    # The reviewer named for the area is asked; Comms only when nobody is named (issue 10).
    assert notified(reviewer, "Please review") and not notified(people["comms"])
    for persona in ("officer", "head_of_service", "auditor", "councillor", "outsider"):
        assert not notified(people[persona]), persona


def test_only_the_author_submits(officer, comms, account):
    draft = drafted(officer, account)
    with pytest.raises(PermissionDenied):
        services.draft_submit(draft=draft, by=comms)
    assert reloaded(draft).status == D.DRAFT


@pytest.mark.parametrize(
    ("text", "alt_text", "problem"),
    [
        pytest.param("Email jane.smith@gmail.com about your bin.", None, "email", id="private-email"),
        pytest.param(PLAIN, "", "alt text", id="image-without-alt-text"),
        pytest.param("Hi [name], sorry your bin was missed.", None, "[name]", id="unfilled-placeholder"),
    ],
)
def test_a_blocking_finding_stops_submission(people, account, reviewer, text, alt_text, problem):
    officer = people["officer"]
    draft = drafted(officer, account, text, standard_response=StandardResponseFactory())
    if alt_text is not None:
        DraftImage.objects.create(draft=draft, image="drafts/bin.png", alt_text=alt_text)

    with pytest.raises(ValidationError) as caught:
        services.draft_submit(draft=draft, by=officer)

    assert problem in " ".join(caught.value.messages)
    assert reloaded(draft).status == D.DRAFT
    assert not Revision.objects.exists() and not Notification.objects.exists()


def test_the_councils_own_email_address_does_not_block(officer, account, reviewer):
    draft = submitted(officer, account, "Questions? Email bins@northfield.gov.uk and we will help.")
    assert draft.status == D.SUBMITTED
    assert draft.revisions.get().findings == []


def test_reviewers_of_other_accounts_are_not_told_about_a_corporate_post(people, comms):
    corporate = AccountFactory(kind="corporate", service_area=None, responsible_officer=comms)
    unrelated = ReviewerAssignmentFactory(account=AccountFactory()).person
    corporate_reviewer = ReviewerAssignmentFactory(account=corporate).person

    submitted(comms, corporate)

    assert notified(corporate_reviewer, "Please review")
    assert not notified(unrelated)


# Deciding


def test_asking_for_changes_needs_a_comment_which_the_author_is_told(officer, account, reviewer):
    draft = submitted(officer, account)
    with pytest.raises(ValidationError) as caught:
        services.draft_request_changes(draft=draft, by=reviewer, revision_number=1, comment=" ")
    assert set(caught.value.message_dict) == {"comment"}
    assert reloaded(draft).status == D.SUBMITTED and not notified(officer)

    event = services.draft_request_changes(
        draft=draft, by=reviewer, revision_number=1, comment="Say which week."
    )

    assert reloaded(draft).status == D.CHANGES_REQUESTED
    assert (event.action, event.revision.number, event.comment) == (A.CHANGES_REQUESTED, 1, "Say which week.")
    [note] = Notification.objects.filter(recipient=officer)
    assert "Asked for changes" in note.subject and "Say which week." in note.body


def test_a_resubmission_is_revision_2_and_the_reviewer_sees_what_changed(officer, account, reviewer, clients):
    draft = submitted(officer, account, "Bins are collected on Monday.")
    services.draft_request_changes(draft=draft, by=reviewer, revision_number=1, comment="Wrong day.")
    draft = reloaded(draft)
    services.draft_update(
        draft=draft, by=officer, version=draft.version, text="Bins are collected on Tuesday."
    )

    revision = services.draft_submit(draft=draft, by=officer)

    assert revision.number == 2
    assert list(draft.revisions.values_list("number", "text")) == [
        (1, "Bins are collected on Monday."),
        (2, "Bins are collected on Tuesday."),
    ]
    page = clients["reviewer"].get(reverse("content:detail", args=[draft.pk])).content.decode()
    assert "What changed since revision 1" in page
    assert '<del class="app-diff-old">Monday.</del><ins>Tuesday.</ins>' in page


def test_a_reviewer_approves_and_the_author_is_told(officer, account, reviewer):
    draft = submitted(officer, account)
    event = services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    assert reloaded(draft).status == D.APPROVED
    assert (event.action, event.actor, event.revision.number) == (A.APPROVED, reviewer, 1)
    assert notified(officer, "Approved")


def test_an_author_never_approves_their_own_draft_even_in_comms(comms, account):
    other_comms = PersonFactory(roles=[Role.COMMS])
    draft = submitted(comms, account)

    for decide in (services.draft_approve, services.draft_reject, services.draft_request_changes):
        extra = {} if decide is services.draft_approve else {"comment": "Fine by me."}
        with pytest.raises(PermissionDenied):
            decide(draft=draft, by=comms, revision_number=1, **extra)
    assert reloaded(draft).status == D.SUBMITTED

    services.draft_approve(draft=draft, by=other_comms, revision_number=1)
    assert reloaded(draft).status == D.APPROVED


@pytest.mark.parametrize("assigned_to", ["account", "service_area"])
def test_a_named_reviewer_of_the_account_or_its_service_area_may_approve(people, account, assigned_to):
    person = PersonFactory(roles=[Role.REVIEWER])
    ReviewerAssignmentFactory(
        person=person, **{assigned_to: account.service_area if assigned_to == "service_area" else account}
    )
    draft = submitted(people["officer"], account)
    services.draft_approve(draft=draft, by=person, revision_number=1)
    assert reloaded(draft).status == D.APPROVED


@pytest.mark.parametrize(
    "who",
    ["reviewer of another area", "reviewer of another account", "head_of_service", "auditor", "outsider"],
)
def test_nobody_else_may_decide(people, account, other_service_area, who):
    if who.startswith("reviewer"):
        person = people["reviewer"]
        if who.endswith("area"):
            ReviewerAssignmentFactory(person=person, service_area=other_service_area)
        else:
            ReviewerAssignmentFactory(
                person=person, account=AccountFactory(service_area=account.service_area)
            )
    else:
        person = people[who]
    draft = submitted(people["officer"], account)

    with pytest.raises(PermissionDenied):
        services.draft_approve(draft=draft, by=person, revision_number=1)
    with pytest.raises(PermissionDenied):
        services.draft_reject(draft=draft, by=person, revision_number=1, comment="No.")
    assert reloaded(draft).status == D.SUBMITTED and not draft.events.filter(action__in=DraftEvent.DECISIONS)


def test_an_old_revision_cannot_be_approved(officer, account, reviewer):
    draft = submitted(officer, account)
    services.draft_request_changes(draft=draft, by=reviewer, revision_number=1, comment="Shorter, please.")
    draft = reloaded(draft)
    services.draft_update(draft=draft, by=officer, version=draft.version, text="Bins as normal.")
    services.draft_submit(draft=draft, by=officer)

    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    assert reloaded(draft).status == D.SUBMITTED

    services.draft_approve(draft=draft, by=reviewer, revision_number=2)
    assert reloaded(draft).status == D.APPROVED


def test_a_revision_with_a_blocking_finding_cannot_be_approved(officer, account, reviewer):
    """Submission refuses blocking findings, so this revision is written directly, as one would be if the
    checks had changed between submission and review."""
    draft = Draft.objects.create(account=account, author=officer, text=PLAIN, status=D.SUBMITTED)
    finding = {
        "code": "personal_data.email",
        "severity": "block",
        "start": 0,
        "end": 4,
        "message": "Remove it.",
    }
    Revision.objects.create(draft=draft, number=1, text=PLAIN, findings=[finding], submitted_by=officer)

    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    assert reloaded(draft).status == D.SUBMITTED and not draft.events.exists()


def test_every_warning_must_be_acknowledged_before_approval(officer, account, reviewer):
    draft = submitted(officer, account, WARNED)

    with pytest.raises(ValidationError) as caught:
        services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    assert set(caught.value.message_dict) == {"acknowledged"}
    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, by=reviewer, revision_number=1, acknowledged=["readability.x"])
    assert reloaded(draft).status == D.SUBMITTED

    event = services.draft_approve(
        draft=draft, by=reviewer, revision_number=1, acknowledged=["accessibility.hashtag_case"]
    )
    assert reloaded(draft).status == D.APPROVED
    assert event.acknowledged == ["accessibility.hashtag_case"]


def test_rejecting_needs_a_reason_which_the_author_is_told(officer, account, reviewer):
    draft = submitted(officer, account)
    with pytest.raises(ValidationError) as caught:
        services.draft_reject(draft=draft, by=reviewer, revision_number=1, comment="")
    assert set(caught.value.message_dict) == {"comment"}
    assert reloaded(draft).status == D.SUBMITTED

    services.draft_reject(draft=draft, by=reviewer, revision_number=1, comment="We don't post about this.")

    assert reloaded(draft).status == D.REJECTED
    [note] = Notification.objects.filter(recipient=officer)
    assert "Rejected" in note.subject and "We don't post about this." in note.body


def test_a_draft_not_submitted_cannot_be_decided(officer, account, reviewer):
    draft = drafted(officer, account)
    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    approved_draft = approved(officer, account, reviewer)
    with pytest.raises(ValidationError):
        services.draft_reject(
            draft=approved_draft, by=reviewer, revision_number=1, comment="Changed my mind."
        )
    assert reloaded(draft).status == D.DRAFT and reloaded(approved_draft).status == D.APPROVED


# Withdrawing


@pytest.mark.parametrize("by", ["officer", "comms"])
def test_the_author_or_comms_withdraws_a_draft(people, account, reviewer, by):
    draft = submitted(people["officer"], account)
    services.draft_withdraw(draft=draft, by=people[by], comment="No longer needed.")
    assert reloaded(draft).status == D.WITHDRAWN
    event = draft.events.get(action=A.WITHDRAWN)
    assert (event.actor, event.comment) == (people[by], "No longer needed.")


def test_others_cannot_withdraw_and_a_finished_draft_stays_finished(people, account, reviewer):
    draft = submitted(people["officer"], account)
    for persona in ("reviewer", "head_of_service", "auditor"):
        with pytest.raises(PermissionDenied):
            services.draft_withdraw(draft=draft, by=people[persona])
    assert reloaded(draft).status == D.SUBMITTED

    services.draft_withdraw(draft=draft, by=people["officer"])
    with pytest.raises(ValidationError):
        services.draft_withdraw(draft=draft, by=people["officer"])
    with pytest.raises(ValidationError):
        services.draft_submit(draft=draft, by=people["officer"])
    assert reloaded(draft).status == D.WITHDRAWN


# Publishing


def test_publishing_records_the_link_and_time_and_the_accounts_activity(officer, account, reviewer):
    draft = approved(officer, account, reviewer)
    at = timezone.now() - datetime.timedelta(minutes=10)

    services.draft_publish(
        draft=draft, by=officer, published_url="https://x.com/NfieldBins/1", published_at=at
    )

    draft = reloaded(draft)
    assert (draft.status, draft.published_url, draft.published_at, draft.published_by) == (
        D.PUBLISHED,
        "https://x.com/NfieldBins/1",
        at,
        officer,
    )
    event = draft.events.get(action=A.PUBLISHED)
    assert (event.actor, event.revision.number) == (officer, 1)
    assert Account.objects.get(pk=account.pk).last_activity_at == at


def test_publishing_a_reply_marks_its_message_replied(officer, account, reviewer):
    message = InboundMessageFactory(account=account)
    draft = approved(officer, account, reviewer, "Sorry: we will collect it today.", inbound_message=message)
    at = timezone.now() - datetime.timedelta(minutes=1)

    services.draft_publish(
        draft=draft, by=officer, published_url="https://x.com/NfieldBins/2", published_at=at
    )

    message = InboundMessage.objects.get(pk=message.pk)
    assert (message.replied_at, message.is_open) == (at, False)


def test_publishing_is_refused_before_approval_in_the_future_and_to_others(people, account, reviewer):
    officer, now = people["officer"], timezone.now()
    draft = drafted(officer, account)
    with pytest.raises(ValidationError):
        services.draft_publish(
            draft=draft, by=officer, published_url="https://x.com/NfieldBins/status/1", published_at=now
        )
    draft = submitted(officer, account)
    with pytest.raises(ValidationError):
        services.draft_publish(
            draft=draft, by=officer, published_url="https://x.com/NfieldBins/status/1", published_at=now
        )

    services.draft_approve(draft=draft, by=reviewer, revision_number=1)
    later = now + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.draft_publish(
            draft=draft, by=officer, published_url="https://x.com/NfieldBins/status/1", published_at=later
        )
    with pytest.raises(PermissionDenied):
        services.draft_publish(
            draft=draft, by=reviewer, published_url="https://x.com/NfieldBins/status/1", published_at=now
        )
    assert reloaded(draft).status == D.APPROVED
    assert Account.objects.get(pk=account.pk).last_activity_at is None

    services.draft_publish(
        draft=draft, by=people["comms"], published_url="https://x.com/NfieldBins/status/1", published_at=now
    )
    assert reloaded(draft).published_by == people["comms"]


def test_an_account_needing_no_review_publishes_from_draft_but_cannot_submit(officer, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=officer, review_required=False)
    draft = drafted(officer, account)
    with pytest.raises(ValidationError):
        services.draft_submit(draft=draft, by=officer)
    assert reloaded(draft).status == D.DRAFT and not Revision.objects.exists()

    at = timezone.now()
    services.draft_publish(
        draft=draft, by=officer, published_url=f"{account.profile_url}/status/2", published_at=at
    )

    draft = reloaded(draft)
    assert (draft.status, draft.published_at) == (D.PUBLISHED, at)
    assert draft.events.get().action == A.PUBLISHED
    assert Account.objects.get(pk=account.pk).last_activity_at == at


def test_without_review_the_checks_still_block_publication(officer, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=officer, review_required=False)
    draft = drafted(officer, account, "Call Jane on 07700 900123 about your bin.")
    with pytest.raises(ValidationError):
        services.draft_publish(
            draft=draft,
            by=officer,
            published_url=f"{account.profile_url}/status/3",
            published_at=timezone.now(),
        )
    assert reloaded(draft).status == D.DRAFT


# The urgent path


def urgent(by, account, **overrides) -> Draft:
    fields = {
        "text": "The Riverside recycling centre is closed today because of flooding.",
        "published_url": "https://x.com/NfieldBins/99",
        "published_at": timezone.now() - datetime.timedelta(minutes=3),
        "reason": "Flooding at 7am; nobody to review before opening time.",
        **overrides,
    }
    return services.draft_publish_urgent(by=by, account=account, **fields)


def test_comms_publish_urgently_and_the_rest_of_comms_are_told(comms, account):
    colleague = PersonFactory(roles=[Role.COMMS])

    draft = reloaded(urgent(comms, account))

    assert (draft.status, draft.urgent, draft.author, draft.published_by) == (D.PUBLISHED, True, comms, comms)
    assert draft.published_url == "https://x.com/NfieldBins/99"
    [revision] = draft.revisions.all()
    assert (revision.number, revision.text) == (1, draft.text)
    [event] = draft.events.all()
    assert (event.action, event.revision, event.comment) == (
        A.URGENT_PUBLISHED,
        revision,
        "Flooding at 7am; nobody to review before opening time.",
    )
    assert Account.objects.get(pk=account.pk).last_activity_at == draft.published_at
    assert notified(colleague, "Urgent post") and not notified(comms)


@pytest.mark.parametrize("persona", ["officer", "reviewer", "head_of_service", "auditor"])
def test_only_comms_publish_urgently(people, account, persona):
    with pytest.raises(PermissionDenied):
        urgent(people[persona], account)
    assert not Draft.objects.exists()


def test_nobody_publishes_urgently_on_a_closed_account(comms, service_area):
    closed = AccountFactory(status="closed", service_area=service_area)
    with pytest.raises(PermissionDenied):
        urgent(comms, closed)
    assert not Draft.objects.exists()


def test_an_urgent_post_needs_a_reason(comms, account):
    with pytest.raises(ValidationError) as caught:
        urgent(comms, account, reason="  ")
    assert set(caught.value.message_dict) == {"reason"}
    assert not Draft.objects.exists()


def test_an_urgent_post_is_reviewed_afterwards_by_a_different_comms_member(people, comms, account):
    colleague = PersonFactory(roles=[Role.COMMS])
    draft = urgent(comms, account)

    for someone in (comms, people["officer"], people["auditor"]):
        with pytest.raises(PermissionDenied):
            services.draft_post_review(draft=draft, by=someone)
    assert reloaded(draft).post_reviewed_at is None

    services.draft_post_review(draft=draft, by=colleague, comment="Checked: fine.")

    draft = reloaded(draft)
    assert draft.post_reviewed_by == colleague and draft.post_reviewed_at is not None
    assert draft.events.get(action=A.POST_REVIEWED).comment == "Checked: fine."
    with pytest.raises(ValidationError):
        services.draft_post_review(draft=draft, by=colleague)


def test_an_ordinary_post_has_no_review_after_publication(officer, account, reviewer, comms):
    draft = approved(officer, account, reviewer)
    with pytest.raises(ValidationError):
        services.draft_post_review(draft=draft, by=comms)


# Standard responses


def test_only_comms_manage_standard_responses(people, comms):
    fields = {"title": "Missed bin", "body": "Hi [name], sorry.", "review_by": datetime.date(2027, 1, 1)}
    for persona in ("officer", "reviewer", "head_of_service", "auditor"):
        with pytest.raises(PermissionDenied):
            services.standard_response_save(by=people[persona], **fields)

    response = services.standard_response_save(by=comms, **fields)
    assert (response.owner, response.title) == (comms, "Missed bin")

    with pytest.raises(PermissionDenied):
        services.standard_response_save(
            by=people["officer"], response=response, **{**fields, "title": "Changed"}
        )
    services.standard_response_save(by=comms, response=response, **fields, is_active=False)
    response.refresh_from_db()
    assert (response.title, response.is_active, response.owner) == ("Missed bin", False, comms)


def test_a_standard_response_is_validated(comms):
    with pytest.raises(ValidationError):
        services.standard_response_save(by=comms, title="", body="Hi.", review_by=datetime.date(2027, 1, 1))
