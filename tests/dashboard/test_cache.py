"""The dashboard's figures are kept for DASHBOARD_CACHE_SECONDS per period, service area and day: a
request within that time reads them from the cache, one after it works them out again, and no two
periods or service areas ever share figures. The page says when they were worked out."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from dashboard.figures import cache_key, figures
from dashboard.indicators import Period
from dashboard.report import as_json
from tests.dashboard.conftest import NOW, PERIOD, london
from tests.dashboard.test_pages import HOME
from tests.dashboard.test_pages import PERIOD as PERIOD_QUERY
from tests.factories import DraftFactory

KEPT = 300


@pytest.fixture
def kept(settings):
    settings.DASHBOARD_CACHE_SECONDS = KEPT
    cache.clear()
    yield
    cache.clear()


def posts(found) -> int:
    return found.dashboard.indicators()["review.published_posts"].value


def publish(account) -> None:
    DraftFactory(account=account, status="published", published_at=london(2026, 6, 5, 10))


def test_figures_are_kept_then_worked_out_again_after_their_lifetime(
    kept, council, django_assert_max_num_queries
):
    first = figures(PERIOD)
    assert posts(first) == 3
    publish(council.a1)
    with django_assert_max_num_queries(0):
        again = figures(PERIOD)
    assert posts(again) == 3  # still the kept figures
    assert again.as_at == first.as_at == NOW
    later = NOW + datetime.timedelta(seconds=KEPT + 1)
    with time_machine.travel(later, tick=False):
        renewed = figures(PERIOD)
    assert posts(renewed) == 4
    assert renewed.as_at == later


def test_every_parameter_is_in_the_key(kept, council, service_area, other_service_area):
    everyone = figures(PERIOD)
    waste = figures(PERIOD, service_area)
    libraries = figures(PERIOD, other_service_area)
    june = figures(Period(datetime.date(2026, 6, 1), PERIOD.end))
    may = figures(Period(PERIOD.start, datetime.date(2026, 5, 31)))
    assert [posts(f) for f in (everyone, waste, libraries, june, may)] == [3, 2, 1, 2, 1]
    keys = {
        cache_key(PERIOD, None),
        cache_key(PERIOD, service_area),
        cache_key(PERIOD, other_service_area),
        cache_key(Period(datetime.date(2026, 6, 1), PERIOD.end), None),
        cache_key(Period(PERIOD.start, datetime.date(2026, 5, 31)), None),
    }
    assert len(keys) == 5
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):  # "today" is in it too
        assert cache_key(PERIOD, None) not in keys


def test_without_a_lifetime_nothing_is_kept(settings, council):
    settings.DASHBOARD_CACHE_SECONDS = 0
    cache.clear()
    assert posts(figures(PERIOD)) == 3
    publish(council.a1)
    assert posts(figures(PERIOD)) == 4


def test_the_page_says_when_its_figures_were_worked_out(
    kept, clients, council, django_assert_max_num_queries
):
    page = clients["auditor"].get(HOME, PERIOD_QUERY).content.decode()
    assert "Figures as at 13:00 on 15 June 2026." in page  # NOW in London (British Summer Time)
    assert "more than 5 minutes old" in page
    publish(council.a1)
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        response = clients["auditor"].get(HOME, PERIOD_QUERY)
    assert response.context["dashboard"].indicators()["review.published_posts"].value == 3
    assert "Figures as at 13:00" in response.content.decode()


def test_the_spreadsheet_and_the_command_agree_with_the_page(kept, clients, council):
    import csv
    import io
    import json

    from django.core.management import call_command

    page = clients["auditor"].get(HOME, PERIOD_QUERY).context["dashboard"]
    publish(council.a1)
    sheet = clients["auditor"].get(reverse("dashboard:export_csv"), PERIOD_QUERY)
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    found = {(r[2], r[6]): r[3] for r in rows[1:]}
    assert found[("review.published_posts", "")] == str(page.indicators()["review.published_posts"].value)
    # The command works the figures out now (an auditor running it wants them as they are), and
    # keeps them for the page.
    out = io.StringIO()
    call_command("dashboard", "--from", "2026-05-01", "--to", "2026-06-30", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["indicators"]["review.published_posts"] == 4
    response = clients["auditor"].get(HOME, PERIOD_QUERY)
    shown = as_json(response.context["dashboard"], response.context["comparisons"])
    assert json.loads(json.dumps(shown)) == printed


def test_the_kept_tables_and_form_are_each_persons_own(kept, clients, council, other_service_area):
    """The drawn tables are kept per set of links (Comms follow blocking to its register, auditors do
    not) and the form per question asked; a head of service's form is never shared."""
    register = reverse("blocking:register")
    assert register not in clients["auditor"].get(HOME, PERIOD_QUERY).content.decode()
    assert register in clients["comms"].get(HOME, PERIOD_QUERY).content.decode()
    assert register not in clients["auditor"].get(HOME, PERIOD_QUERY).content.decode()
    everyone = clients["auditor"].get(HOME).content.decode()
    assert f'value="{other_service_area.code}"' in everyone
    own = clients["head_of_service"].get(HOME).content.decode()
    assert f'value="{other_service_area.code}"' not in own  # waste only
    may = clients["auditor"].get(HOME, {**PERIOD_QUERY, "end_1": "5", "end_0": "31"}).content.decode()
    assert (
        'value="31"' in may
        and 'value="31"' not in clients["auditor"].get(HOME, PERIOD_QUERY).content.decode()
    )


def test_the_page_shows_new_figures_after_their_lifetime(kept, clients, council):
    def shown(response) -> str:
        return response.content.decode().split("Posts published", 1)[1].split("</td>", 1)[0]

    assert ">3<" in shown(clients["auditor"].get(HOME, PERIOD_QUERY))
    publish(council.a1)
    assert ">3<" in shown(clients["auditor"].get(HOME, PERIOD_QUERY))
    with time_machine.travel(NOW + datetime.timedelta(seconds=KEPT + 1), tick=False):
        assert ">4<" in shown(clients["auditor"].get(HOME, PERIOD_QUERY))


def test_a_kept_page_asks_only_who_is_asking(kept, clients, council, assert_flat_queries):
    clients["auditor"].get(HOME, PERIOD_QUERY)  # works the figures out and keeps them

    def grow():
        for _ in range(3):
            publish(council.a1)

    assert_flat_queries(lambda: clients["auditor"].get(HOME, PERIOD_QUERY), grow, at_most=3)
