"""The rough edges a new user hit (issue 10): a must-fix finding explained where the button is, errors
that name the field, dates in the GOV.UK date input and times on the 24-hour clock, no account chosen
for you, publication links checked against the account, stale standard responses marked, and review
emails to the people named for the account, at once or in a daily digest."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from content_review import services
from content_review.models import D, Draft, DraftEvent, InboundMessage
from core.templatetags.dates import govuk_datetime
from notifications.digest import EmailPreference, HeldEmail, digests_send, preference_set
from notifications.models import Notification
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
REQUIRED = "This field is required."


def url(name: str, *args) -> str:
    return reverse(f"content:{name}", args=args)


@pytest.fixture
def account(people, service_area):
    return AccountFactory(
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


# A must-fix finding


def test_a_must_fix_finding_is_explained_by_the_button_and_marked_in_the_text(clients, people, account):
    draft = services.draft_create(
        by=people["officer"], account=account, text="Email jo.bloggs@gmail.com today."
    )
    page = clients["officer"].get(url("detail", draft.pk)).content.decode()

    assert "It cannot be sent for review yet" in page
    assert re.search(
        r'<mark class="app-finding app-finding--block" id="finding-1-text">jo.bloggs@gmail.com</mark>', page
    )
    assert 'href="#finding-1-text">Problem 1</a>' in page and 'aria-describedby="blocking-hint"' in page

    pressed = clients["officer"].post(url("submit", draft.pk))
    body = pressed.content.decode()
    assert pressed.status_code == 200 and "That could not be done" not in body
    assert "There is a problem" in body and 'href="#blocking-hint"' in body and "<title>Error:" in body
    assert Draft.objects.get(pk=draft.pk).status == D.DRAFT


def test_a_reviewer_sees_the_warnings_marked_in_the_revision(clients, people, account):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=account.service_area)
    draft = services.draft_create(
        by=people["officer"], account=account, text="Glass out today #recyclingweek"
    )
    services.draft_submit(draft=draft, by=people["officer"])
    page = clients["reviewer"].get(url("detail", draft.pk)).content.decode()
    assert '<mark class="app-finding app-finding--warn" id="finding-1-text">#recyclingweek</mark>' in page
    assert "It cannot be sent" not in page


# Errors that name the field


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        ("new", "officer", ["Choose the account it is for", "Enter the text of the post"]),
        (
            "inbound_new",
            "officer",
            [
                "Choose the account that received it",
                "Enter their handle or name",
                "Enter what they said",
                "Enter when it was received",
            ],
        ),
        (
            "urgent",
            "comms",
            [
                "Choose the account it was published on",
                "Enter what was published",
                "Say why it could not wait for review",
                "Enter the link to the published post",
                "Enter when it was published",
            ],
        ),
        (
            "response_new",
            "comms",
            [
                "Enter a title",
                "Enter the words of the standard response",
                "Choose who owns it",
                "Enter the date it must be checked by",
            ],
        ),
    ],
)
def test_an_empty_form_names_each_field_it_needs(clients, account, page, persona, expected):
    body = clients[persona].post(url(page), {"csrfmiddlewaretoken": "as a browser sends"}).content.decode()
    for message in expected:
        assert message in body, message
    assert REQUIRED not in body


def test_the_forms_on_a_record_name_their_fields_too(clients, people, account):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=account.service_area)
    draft = DraftFactory(account=account, status=D.SUBMITTED)
    draft.revisions.create(number=1, text=draft.text, submitted_by=draft.author)
    message = InboundMessageFactory(account=account)
    approved = DraftFactory(account=account, status=D.APPROVED)
    for client, address, expected in [
        (clients["reviewer"], url("decide", draft.pk), "Choose your decision"),
        (clients["reviewer"], url("comment", draft.pk), "Enter your comment"),
        (clients["officer"], url("no_reply", message.pk), "Choose why it needs no reply"),
        (clients["officer"], url("hide", message.pk), "Say why it was hidden"),
        (clients["officer"], url("publish", approved.pk), "Enter the link to the published post"),
    ]:
        body = client.post(address, {"csrfmiddlewaretoken": "as a browser sends"}).content.decode()
        assert expected in body and REQUIRED not in body, address
    long = clients["reviewer"].post(url("comment", draft.pk), {"comment": "x" * 2001}).content.decode()
    assert "Add a comment must be 2,000 characters or fewer (it has 2001)" in long


# Dates and times


def test_times_are_written_on_the_24_hour_clock_everywhere():
    moment = timezone.make_aware(datetime.datetime(2026, 11, 25, 17, 0))
    assert govuk_datetime(moment) == "25 November 2026 at 17:00"
    assert govuk_datetime(moment.replace(hour=9, minute=5)) == "25 November 2026 at 09:05"


def test_the_publication_time_is_entered_as_day_month_year_and_time(clients, people, account):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=account.service_area)
    draft = DraftFactory(account=account, status=D.APPROVED)
    page = clients["officer"].get(url("publish", draft.pk)).content.decode()
    assert 'class="govuk-date-input"' in page and "For example, 26 11 2026 and 17:00 (24-hour clock)." in page
    for name in ("published_at_0", "published_at_1", "published_at_2", "published_at_3"):
        assert f'name="{name}"' in page

    link = "https://x.com/NfieldBins/status/1"
    wrong = [
        (
            {
                "published_at_0": "31",
                "published_at_1": "2",
                "published_at_2": "2026",
                "published_at_3": "10:00",
            },
            "The publication time must be a real date",
        ),
        (
            {"published_at_0": "1", "published_at_1": "2", "published_at_2": "2026"},
            "The publication time must include a time",
        ),
        (
            {"published_at_0": "1", "published_at_1": "2", "published_at_2": "2026", "published_at_3": "5pm"},
            "on the 24-hour clock, for example 17:00",
        ),
        (
            {
                "published_at_0": "1",
                "published_at_1": "2",
                "published_at_2": "1900",
                "published_at_3": "10:00",
            },
            "between 2000 and 2100",
        ),
    ]
    for parts, message in wrong:
        body = (
            clients["officer"]
            .post(url("publish", draft.pk), {"published_url": link, **parts})
            .content.decode()
        )
        assert message in body, message
    assert Draft.objects.get(pk=draft.pk).status == D.APPROVED

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    parts = {
        "published_at_0": yesterday.day,
        "published_at_1": yesterday.month,
        "published_at_2": yesterday.year,
        "published_at_3": "17:05",
    }
    assert (
        clients["officer"].post(url("publish", draft.pk), {"published_url": link, **parts}).status_code == 302
    )
    published = timezone.localtime(Draft.objects.get(pk=draft.pk).published_at)
    assert (published.date(), published.hour, published.minute) == (yesterday, 17, 5)


def test_a_date_typed_whole_as_the_hint_says_is_read_too(clients, people, account):
    when = timezone.localtime() - datetime.timedelta(days=1)
    data = {
        "account": account.pk,
        "sender_handle": "@jo",
        "text": "Bin?",
        "received_at": when.strftime("%d/%m/%Y %H:%M"),
    }
    assert clients["officer"].post(url("inbound_new"), data).status_code == 302
    assert (
        timezone.localtime(InboundMessage.objects.get().received_at).strftime("%d/%m/%Y %H:%M")
        == data["received_at"]
    )


# Nothing chosen for you


@pytest.mark.parametrize(
    ("page", "persona"),
    [("new", "officer"), ("inbound_new", "officer"), ("urgent", "comms"), ("response_new", "comms")],
)
def test_no_list_starts_with_an_account_or_person_chosen(clients, account, page, persona):
    body = clients[persona].get(url(page)).content.decode()
    selects = re.findall(r"<select.*?</select>", body, re.S)
    assert selects, page
    for select in selects:
        assert re.search(r'<option value="" selected>Choose (an account|who owns it)</option>', select), (
            select[:200]
        )
        assert select.count("selected") == 1


# Publication links


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        (
            "https://www.facebook.com/northfieldcouncil/posts/1",
            "This link is on Facebook, but Northfield Bins is an account on X",
        ),
        ("https://example.com/news/1", "This link is not on X"),
        ("https://x.com/SomeoneElse/status/1", "another X account, not Northfield Bins (@NfieldBins)"),
        ("https://twitter.com/nfieldbins/status/1", None),
        ("https://x.com/i/web/status/1", None),
        ("https://t.co/abc", None),
    ],
)
def test_the_publication_link_must_be_on_the_accounts_platform_and_account(people, account, link, problem):
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=account.service_area)
    draft = DraftFactory(account=account, status=D.APPROVED)
    now = timezone.now()
    if problem is None:
        services.draft_publish(draft=draft, by=people["officer"], published_url=link, published_at=now)
        assert Draft.objects.get(pk=draft.pk).status == D.PUBLISHED
        return
    with pytest.raises(services.ValidationError) as caught:
        services.draft_publish(draft=draft, by=people["officer"], published_url=link, published_at=now)
    assert problem in caught.value.message_dict["published_url"][0]
    with pytest.raises(services.ValidationError):
        services.draft_publish_urgent(
            by=people["comms"],
            account=account,
            text="Flood.",
            reason="Flood.",
            published_url=link,
            published_at=now,
        )
    assert (
        Draft.objects.get(pk=draft.pk).status == D.APPROVED and not Draft.objects.filter(urgent=True).exists()
    )


def test_a_post_link_that_does_not_name_its_account_is_accepted_on_the_platform(people, service_area):
    instagram = AccountFactory(
        platform="instagram",
        handle="northfieldcouncil",
        service_area=service_area,
        responsible_officer=people["officer"],
        review_required=False,
    )
    draft = DraftFactory(account=instagram, author=people["officer"])
    services.draft_publish(
        draft=draft,
        by=people["officer"],
        published_url="https://www.instagram.com/p/C0ffee/",
        published_at=timezone.now(),
    )
    assert Draft.objects.get(pk=draft.pk).status == D.PUBLISHED


# Standard responses past their review date


def test_a_standard_response_past_its_review_date_is_marked_where_it_is_picked(clients, account):
    StandardResponseFactory(title="Current", review_by=timezone.localdate() + datetime.timedelta(days=30))
    stale = StandardResponseFactory(
        title="Stale", review_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    message = InboundMessageFactory(account=account)
    picker = clients["officer"].get(url("reply", message.pk)).content.decode()
    assert picker.count("Past its review date") == 1
    assert re.search(r">Stale</a> <strong class=\"govuk-tag govuk-tag--orange\">Past its review date", picker)
    chosen = (
        clients["officer"].get(url("reply", message.pk), {"standard_response": stale.pk}).content.decode()
    )
    assert "This standard response is past its review date" in chosen


# Review emails


def subjects(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("subject", flat=True))


def test_a_draft_goes_to_the_reviewers_named_for_its_account_and_only_then(people, account):
    named = ReviewerAssignmentFactory(account=account).person
    area = ReviewerAssignmentFactory(service_area=account.service_area).person
    services.draft_submit(draft=DraftFactory(account=account), by=people["officer"])
    assert subjects(named) and subjects(area)
    assert not subjects(people["comms"]) and not subjects(people["reviewer"])


def test_comms_are_asked_only_when_nobody_is_named(people, account):
    colleague = PersonFactory(roles=[Role.COMMS])
    services.draft_submit(draft=DraftFactory(account=account), by=people["officer"])
    assert subjects(people["comms"]) == subjects(colleague) == [subjects(colleague)[0]]
    assert subjects(colleague)[0].startswith("Please review")


def test_a_daily_digest_holds_review_emails_and_sends_each_once(people, account):
    reviewer = people["reviewer"]
    ReviewerAssignmentFactory(person=reviewer, account=account)
    preference_set(person=reviewer, frequency=EmailPreference.Frequency.DAILY)
    for n in range(3):
        services.draft_submit(
            draft=DraftFactory(account=account, text=f"Bins update {n}."), by=people["officer"]
        )
    assert not subjects(reviewer) and HeldEmail.objects.filter(recipient=reviewer).count() == 3

    draft = Draft.objects.filter(status=D.SUBMITTED).first()
    services.draft_request_changes(draft=draft, by=reviewer, revision_number=1, comment="Say when.")
    assert subjects(people["officer"]) == [
        f"{DraftEvent.Action.CHANGES_REQUESTED.label}: {Draft.objects.get(pk=draft.pk)}"
    ]

    assert digests_send() == 1 and digests_send() == 0
    [digest] = Notification.objects.filter(recipient=reviewer)
    assert digest.subject.startswith("Your daily summary: 3 emails")
    assert all(f"Bins update {n}." in digest.body for n in range(3))
    assert "One email a day instead?" not in digest.body
    assert not HeldEmail.objects.exists()


def test_reply_warnings_never_wait_for_the_digest(people, account):
    preference_set(person=people["officer"], frequency=EmailPreference.Frequency.DAILY)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        InboundMessageFactory(account=account, due_at=timezone.now() - datetime.timedelta(minutes=1))
        services.inbound_sweep()
    assert subjects(people["officer"]) and not HeldEmail.objects.exists()


def test_each_person_chooses_how_they_get_emails(clients, people):
    page = reverse("notifications:preference")
    assert "Send each email at once" in clients["auditor"].get(page).content.decode()
    assert clients["auditor"].post(page, {"frequency": "daily"}).status_code == 302
    assert EmailPreference.objects.get(person=people["auditor"]).frequency == "daily"
    refused = clients["auditor"].post(page, {"csrfmiddlewaretoken": "as a browser sends"}).content.decode()
    assert "Choose how you want these emails" in refused
    assert clients["anonymous"].get(page).status_code == 302


def test_the_daily_job_is_declared():
    from core.contributions import jobs

    assert any(
        job.task == "notifications.digest.send_digests" and job.every_seconds == 86400 for job in jobs()
    )
