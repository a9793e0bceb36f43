"""Every search box is bounded (issue 9, item 6): a search of 2,000 words took 20 s on the register.
Each search is one condition per word, so the number of words decides the size of the query; every
search box refuses more than ten words (or an over-long word) with a plain message, and the query the
page then runs does not grow with what was typed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.forms import search_words
from organisation.models import User
from tests.factories import AccountFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEARCH_WORDS = 10  # core.forms.SEARCH_WORDS, written out so the test also runs against the code before it

MANY_WORDS = " ".join(f"word{n}" for n in range(2_000))

# (URL name, who may use it): every search box in the service.
SEARCH_PAGES = [
    ("accounts:list", "comms"),
    ("people:list", "comms"),
    ("training:compliance", "comms"),
    ("blocking:register", "comms"),
    ("content:inbox", "comms"),
    ("content:responses", "comms"),
]


def searched_sql(client, url: str, typed: str) -> tuple[object, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"q": typed})
    return page, " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(("name", "persona"), SEARCH_PAGES)
def test_a_search_of_two_thousand_words_is_refused_with_a_plain_message(clients, name, persona):
    url = reverse(name)
    page, sql = searched_sql(clients[persona], url, MANY_WORDS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Search for at most 10 words" in text
    assert 'class="govuk-error-message"' in text
    # The refused words reach no query (one of them in the SQL would mean it was searched for).
    assert "word1999" not in sql and "word11" not in sql


@pytest.mark.parametrize(("name", "persona"), SEARCH_PAGES)
def test_an_over_long_word_is_refused(clients, name, persona):
    page, sql = searched_sql(clients[persona], reverse(name), "x" * 5_000)
    assert page.status_code == 200
    assert "characters" in page.content.decode() and "x" * 300 not in sql


@pytest.mark.parametrize(("name", "persona"), SEARCH_PAGES)
def test_the_query_does_not_grow_with_the_search(clients, name, persona):
    """A refused search of two thousand words costs what the unfiltered page costs."""
    _, none = searched_sql(clients[persona], reverse(name), "")
    _, many = searched_sql(clients[persona], reverse(name), MANY_WORDS)
    assert len(many) <= len(none) * 1.2 + 2_000


def test_ten_words_still_find_the_account(clients, people):
    AccountFactory(display_name="Northfield Libraries and Museums", responsible_officer=people["officer"])
    AccountFactory(display_name="Northfield Parks", responsible_officer=people["officer"])
    page = clients["comms"].get(reverse("accounts:list"), {"q": "northfield libraries"})
    text = page.content.decode()
    assert "Northfield Libraries and Museums" in text and "Northfield Parks" not in text


def test_search_words_uses_at_most_ten_words_whatever_the_caller_passes(people):
    PersonFactory(first_name="Jo", last_name="Bloggs")
    queryset = search_words(User.objects.all(), MANY_WORDS, ["first_name"])
    assert str(queryset.query).count("UPPER(") <= SEARCH_WORDS * 2


def test_the_admin_searches_the_first_ten_words_and_says_so(clients):
    with CaptureQueriesContext(connection) as queries:
        page = clients["comms"].get(reverse("admin:organisation_user_changelist"), {"q": MANY_WORDS})
    assert page.status_code == 200
    assert "Searched for the first 10 words only" in page.content.decode()
    assert not any("word10" in q["sql"] for q in queries.captured_queries)
