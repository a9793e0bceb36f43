"""A questionnaire's status: not open yet → open → closed (and reopened), moved by its dates through
the scheduled sweep or by Comms with a reason; every move logged, append-only; safe with two workers."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.urls import reverse

from surveys.models import Questionnaire, QuestionnaireStatusChange
from surveys.models import QuestionnaireStatus as QS
from surveys.services import (
    questionnaire_close,
    questionnaire_update,
    questionnaires_follow_dates,
)
from tests.surveys.helpers import invite, make_questionnaire

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


def on(day: datetime.date, hour: int = 9):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=datetime.UTC), tick=False
    )


def march(day: int) -> datetime.date:
    return MARCH.replace(day=day)


@pytest.fixture
def planned():
    """Loaded on 20 February to take answers from 1 to 20 March."""
    with on(datetime.date(2026, 2, 20)):
        return make_questionnaire(opens_on=march(1), closes_on=march(20))


def status(questionnaire) -> str:
    return Questionnaire.objects.get(pk=questionnaire.pk).status


def test_a_questionnaire_starts_where_its_dates_say():
    with on(march(10)):
        assert make_questionnaire(slug="later", opens_on=march(11)).status == QS.SCHEDULED
        assert make_questionnaire(slug="now", opens_on=march(10), closes_on=march(10)).status == QS.OPEN
        assert make_questionnaire(slug="undated").status == QS.OPEN
        assert make_questionnaire(slug="past", opens_on=march(1), closes_on=march(9)).status == QS.CLOSED
    assert not QuestionnaireStatusChange.objects.exists()  # made, not moved


def test_the_sweep_opens_and_closes_by_the_dates_in_london(planned):
    with on(datetime.date(2026, 2, 28), hour=23):  # midnight has not come in London (GMT)
        assert questionnaires_follow_dates().opened == []
    with on(march(1), hour=0):
        assert [q.pk for q in questionnaires_follow_dates().opened] == [planned.pk]
    assert status(planned) == QS.OPEN
    with on(march(20), hour=23):
        assert questionnaires_follow_dates().closed == []  # the last day answers are taken
    with on(march(21), hour=0):
        assert [q.pk for q in questionnaires_follow_dates().closed] == [planned.pk]
    assert status(planned) == QS.CLOSED
    log = list(planned.status_changes.values_list("actor", "from_status", "to_status", "comment"))
    assert log == [
        (None, QS.SCHEDULED, QS.OPEN, "Its opening date, 1 March 2026, has come."),
        (None, QS.OPEN, QS.CLOSED, "Its closing date, 20 March 2026, has passed."),
    ]


def test_running_the_sweep_again_moves_nothing(planned):
    with on(march(5)):
        questionnaires_follow_dates()
        sweep = questionnaires_follow_dates()
    assert (sweep.opened, sweep.closed) == ([], [])
    assert planned.status_changes.count() == 1


def test_a_questionnaire_whose_whole_period_passed_unswept_opens_then_closes(planned):
    with on(march(25)):
        sweep = questionnaires_follow_dates()
    assert status(planned) == QS.CLOSED and len(sweep.opened) == 1
    assert list(planned.status_changes.values_list("to_status", flat=True)) == [QS.OPEN, QS.CLOSED]


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_move_each_questionnaire_once():
    with on(datetime.date(2026, 2, 20)):
        made = [make_questionnaire(slug=f"q{i}", opens_on=march(1), closes_on=march(20)) for i in range(6)]
    barrier = threading.Barrier(2, timeout=10)
    results: list = []

    def sweep() -> None:
        try:
            with on(march(2)):
                barrier.wait()
                results.append(questionnaires_follow_dates())
        except Exception as exc:  # the test inspects whatever happened
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    opened = [q.pk for result in results for q in result.opened]
    assert sorted(opened) == sorted(q.pk for q in made), results
    assert QuestionnaireStatusChange.objects.count() == 6
    assert set(Questionnaire.objects.values_list("status", flat=True)) == {QS.OPEN}


def test_the_log_is_append_only(planned):
    with on(march(2)):
        questionnaires_follow_dates()
    change = planned.status_changes.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        QuestionnaireStatusChange.objects.filter(pk=change.pk).update(comment="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        QuestionnaireStatusChange.objects.filter(pk=change.pk).delete()


def test_the_status_cannot_be_set_directly(planned):
    with pytest.raises(AttributeError):
        planned.status = QS.CLOSED


# Comms by hand, on the questionnaire's page.


def test_comms_open_early_with_a_reason_and_the_opening_date_becomes_today(clients, people, planned):
    url = reverse("surveys:open", args=[planned.slug])
    with on(datetime.date(2026, 2, 25)):
        page = clients["comms"].get(reverse("surveys:detail", args=[planned.slug])).content.decode()
        assert 'data-action="open"' in page and 'data-action="close"' not in page
        assert "Say why" in clients["comms"].post(url, {"reason": " "}).content.decode()
        response = clients["comms"].post(url, {"reason": "Councillors asked to start early."}, follow=True)
    assert "The questionnaire is open." in response.content.decode()
    planned.refresh_from_db()
    assert (planned.status, planned.opens_on) == (QS.OPEN, datetime.date(2026, 2, 25))
    change = planned.status_changes.get()
    assert (change.actor, change.comment) == (people["comms"], "Councillors asked to start early.")
    page = clients["comms"].get(reverse("surveys:detail", args=[planned.slug])).content.decode()
    assert "Councillors asked to start early." in page and "Not open yet → Open" in page


def test_comms_close_early_and_nobody_can_answer_then_reopen_with_a_new_closing_date(
    clients, people, planned
):
    invitation = invite(planned, people["head_of_service"])
    with on(march(5)):
        questionnaires_follow_dates()
        clients["comms"].post(reverse("surveys:close", args=[planned.slug]), {"reason": "Enough answers."})
        planned.refresh_from_db()
        assert (planned.status, planned.closes_on) == (QS.CLOSED, march(5))
        start = (
            clients["head_of_service"].get(reverse("surveys:start", args=[invitation.pk])).content.decode()
        )
        assert "This questionnaire closed on 5 March 2026." in start and 'data-action="answer"' not in start
        # The sweep does not reopen it: its dates agree that it is closed.
        questionnaires_follow_dates()
        assert status(planned) == QS.CLOSED
        reopen = reverse("surveys:reopen", args=[planned.slug])
        page = (
            clients["comms"].post(reopen, {"reason": "More time", "closes_on": "2026-03-04"}).content.decode()
        )
        assert "The new closing date must be today or later." in page
        clients["comms"].post(reopen, {"reason": "More time asked for.", "closes_on": "2026-03-27"})
    planned.refresh_from_db()
    assert (planned.status, planned.closes_on) == (QS.OPEN, march(27))
    with on(march(21)):
        questionnaires_follow_dates()
        assert status(planned) == QS.OPEN  # its new closing date has not passed
        start = (
            clients["head_of_service"].get(reverse("surveys:start", args=[invitation.pk])).content.decode()
        )
        assert 'data-action="answer"' in start
    assert list(planned.status_changes.values_list("action", flat=True)) == ["open", "close", "reopen"]


def test_closing_twice_at_once_is_refused_the_second_time(people, planned):
    with on(march(5)):
        questionnaires_follow_dates()
        questionnaire_close(questionnaire=planned, by=people["comms"], reason="Done.")
        with pytest.raises(ValidationError, match="This questionnaire is closed, so it cannot be closed now"):
            questionnaire_close(questionnaire=planned, by=people["comms"], reason="Done.")


def test_only_comms_move_a_questionnaire_and_auditors_are_told_why(clients, planned):
    response = clients["auditor"].get(reverse("surveys:open", args=[planned.slug]))
    assert response.status_code == 403
    assert "Only the Communications team opens questionnaires." in response.content.decode()
    assert clients["officer"].get(reverse("surveys:open", args=[planned.slug])).status_code == 404


# Changing the dates moves the status as the sweep would, and never contradicts it.


def edit(questionnaire, by, **dates):
    return questionnaire_update(
        questionnaire=questionnaire, by=by, title=questionnaire.title, description="", **dates
    )


def test_new_dates_move_the_status_at_once(people, planned):
    with on(march(2)):
        questionnaires_follow_dates()
        closed = edit(planned, people["comms"], opens_on=march(1), closes_on=march(1))
        assert closed.status == QS.CLOSED
        change = closed.status_changes.last()
        assert (change.actor, change.comment) == (
            people["comms"],
            "Its closing date, 1 March 2026, has passed.",
        )

    with on(datetime.date(2026, 2, 20)):
        later = make_questionnaire(slug="later", opens_on=march(10))
        assert (
            edit(later, people["comms"], opens_on=datetime.date(2026, 2, 20), closes_on=None).status
            == QS.OPEN
        )


def test_dates_that_contradict_the_status_are_refused(people, planned):
    with on(march(5)):
        questionnaires_follow_dates()
        with pytest.raises(
            ValidationError, match="open already, so its opening date cannot be in the future"
        ):
            edit(planned, people["comms"], opens_on=march(6), closes_on=march(20))
        questionnaire_close(questionnaire=planned, by=people["comms"], reason="Done.")
        with pytest.raises(ValidationError, match="To take answers again, reopen it"):
            edit(planned, people["comms"], opens_on=march(1), closes_on=march(30))
        # The title can change, and the dates can be corrected within the past.
        assert edit(planned, people["comms"], opens_on=march(2), closes_on=march(4)).status == QS.CLOSED


def test_the_list_and_the_page_show_the_status_as_a_tag(clients, planned):
    page = clients["comms"].get(reverse("surveys:list")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue">Not open yet</strong>' in page


def test_existing_questionnaires_get_their_status_from_their_dates():
    """The data migration, run on questionnaires made before there was a status."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("surveys.migrations.0002_status_graph_void_number_ranges")
    with on(march(10)):
        made = {
            "scheduled": make_questionnaire(slug="a", opens_on=march(11)),
            "open": make_questionnaire(slug="b", opens_on=march(1), closes_on=march(10)),
            "closed": make_questionnaire(slug="c", closes_on=march(9)),
        }
        Questionnaire.objects.update(status="scheduled")
        migration.statuses_from_dates(apps, None)
    assert {expected: status(q) for expected, q in made.items()} == {s: s for s in made}
