"""What a person can send is bounded, work does not grow faster than its input, and a double click
makes one record (issue 9, items 6 and 7)."""

import datetime
import time
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from content_review import selectors, services
from content_review.models import TEXT_MAX, D, Draft, InboundMessage, text_limit
from tests.factories import AccountFactory, DraftFactory, InboundMessageFactory, ReviewerAssignmentFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"content:{name}", args=args)


def essay(words: int, seed: int) -> str:
    """Prose-like text: a vocabulary of a few hundred words, with the repetition real text has."""
    vocabulary = [f"word{n}" for n in range(300)] + ["the", "a", "and", "of", "to"] * 40
    step = 7 + seed * 2
    return " ".join(vocabulary[(n * step + seed) % len(vocabulary)] for n in range(words))


def fastest(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


# The word diff


def test_two_long_revisions_are_not_compared_word_by_word_and_the_time_stays_linear():
    """9,500 words each took 20 s. Now the diff says it is too long, and doubling the text at most
    roughly doubles the time (a quadratic diff would quadruple it)."""
    old, new = essay(9_500, 1), essay(9_500, 2)
    assert selectors.word_diff(old, new) is None
    assert selectors.departure_from(old, new) is None

    once = fastest(lambda: selectors.word_diff(old, new))
    twice = fastest(lambda: selectors.word_diff(old + " " + old, new + " " + new))
    assert once < 1.0, f"{once:.2f} s for 9,500 words"
    assert twice < 3 * once + 0.05, f"{once:.3f} s, then {twice:.3f} s for twice the words"


def test_a_small_change_in_a_long_text_is_still_shown_word_by_word():
    text = essay(9_500, 1)
    changed = text.replace("word5 ", "word5 changed ", 1)
    diff = selectors.word_diff(text, changed)
    assert diff is not None and [part for op, part in diff if op != "="] == ["changed "]
    assert "".join(part for op, part in diff if op != "-") == changed
    assert selectors.departure_from(text, changed) == 0


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bins on Monday.", "Bins on Tuesday."),
        ("a b c", "a c"),
        ("", "New text"),
        ("Same", "Same"),
        ("x  y", "x y"),
    ],
)
def test_the_diff_rebuilds_both_texts(old, new):
    diff = selectors.word_diff(old, new)
    assert "".join(part for op, part in diff if op != "+") == old
    assert "".join(part for op, part in diff if op != "-") == new


def test_the_draft_page_says_when_revisions_are_too_long_to_compare(clients, people, service_area):
    account = AccountFactory(
        platform="facebook", service_area=service_area, responsible_officer=people["officer"]
    )
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    draft = DraftFactory(account=account, status=D.SUBMITTED, text=essay(2_500, 2))
    for number, seed in ((1, 1), (2, 2)):
        draft.revisions.create(number=number, text=essay(2_500, seed), submitted_by=people["officer"])
    page = clients["reviewer"].get(url("detail", draft.pk)).content.decode()
    assert "These versions are too long to compare word by word." in page


# Text length


@pytest.mark.parametrize(("platform", "limit"), [("x", 1_120), ("bluesky", 1_200), ("facebook", 20_000)])
def test_a_draft_can_hold_a_few_times_its_platforms_limit_and_never_more_than_20000(platform, limit):
    assert text_limit(platform) == limit


def test_text_far_beyond_the_platforms_limit_is_refused(people, service_area):
    account = AccountFactory(platform="x", service_area=service_area, responsible_officer=people["officer"])
    over = "a" * 281  # over X's limit: the checks say so, but it can be saved and cut down
    draft = services.draft_create(by=people["officer"], account=account, text=over)
    with pytest.raises(ValidationError) as caught:
        services.draft_create(by=people["officer"], account=account, text="a" * 1_121)
    assert "1,121 characters" in caught.value.message_dict["text"][0]
    with pytest.raises(ValidationError):
        services.draft_update(draft=draft, by=people["officer"], version=draft.version, text="a" * 5_000)
    assert Draft.objects.get().text == over


def test_the_database_refuses_a_draft_over_20000_characters(people, service_area):
    account = AccountFactory(platform="facebook", service_area=service_area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(account=account, author=people["officer"], text="a" * (TEXT_MAX + 1))


def test_the_form_says_the_text_is_too_long(clients, people, service_area):
    account = AccountFactory(platform="x", service_area=service_area, responsible_officer=people["officer"])
    page = clients["officer"].post(url("new"), {"account": account.pk, "text": "a" * 2_000})
    assert page.status_code == 200 and not Draft.objects.exists()
    assert "X takes 280; a draft can hold at most 1,120." in page.content.decode()
    page = clients["officer"].post(url("new"), {"account": account.pk, "text": "a" * (TEXT_MAX + 1)})
    assert page.status_code == 200 and not Draft.objects.exists()


def test_the_live_check_refuses_huge_text_without_running_the_checks(clients, people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    page = clients["officer"].post(url("check") + f"?account={account.pk}", {"text": "07700 900123 " * 5_000})
    assert page.status_code == 200 and "more than any post can hold" in page.content.decode()


# Search words


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("inbox", " ".join(["bin"] * 11), "Search for at most 10 words: you typed 11."),
        ("inbox", "a" * 51, "Each search word can be at most 50 characters long."),
        ("responses", "word " * 2_000, "Search for at most 10 words: you typed 2000."),
        ("responses", "a" + " " * 600 + "b", "Search for at most 10 words of up to 50 characters."),
    ],
)
def test_a_search_is_bounded_and_says_so(clients, people, service_area, name, typed, message):
    InboundMessageFactory(
        account=AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    )
    page = clients["officer"].get(url(name), {"q": typed})
    assert page.status_code == 200
    assert message in page.content.decode()


def test_ten_words_are_searched(clients, people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    InboundMessageFactory(account=account, text="one two three four five six seven eight nine ten")
    InboundMessageFactory(account=account, text="one two")
    page = clients["officer"].get(url("inbox"), {"q": "one two three four five six seven eight nine ten"})
    assert "1 message" in page.content.decode()


# A double click


def test_a_double_clicked_new_draft_makes_one_draft(clients, people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    form = clients["officer"].get(url("new")).content.decode()
    token = form.split('name="token" value="', 1)[1].split('"', 1)[0]
    data = {"account": account.pk, "text": "Bins as normal.", "token": token}
    first = clients["officer"].post(url("new"), data)
    second = clients["officer"].post(url("new"), data)
    [draft] = Draft.objects.all()
    assert first["Location"] == second["Location"] == url("detail", draft.pk)
    # A new form is a new token: a second post on purpose is a second draft.
    clients["officer"].post(url("new"), {**data, "token": str(uuid.uuid4())})
    assert Draft.objects.count() == 2


def test_a_double_clicked_reply_and_message_make_one_each(clients, people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    token = str(uuid.uuid4())
    received = timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    message = {
        "account": account.pk,
        "sender_handle": "@jo",
        "text": "Bin?",
        "received_at": received,
        "token": token,
    }
    for _ in range(2):
        assert clients["officer"].post(url("inbound_new"), message).status_code == 302
    [recorded] = InboundMessage.objects.all()
    for _ in range(2):
        clients["officer"].post(url("reply", recorded.pk), {"text": "Sorry, Jo.", "token": token})
    assert Draft.objects.filter(inbound_message=recorded).count() == 1


def test_a_token_never_gives_someone_elses_draft(people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    token = uuid.uuid4()
    services.draft_create(by=people["officer"], account=account, text="Mine.", token=token)
    with pytest.raises(ValidationError):
        services.draft_create(by=people["comms"], account=account, text="Theirs.", token=token)
    assert list(Draft.objects.values_list("text", flat=True)) == ["Mine."]
