"""Who needs what is derived from what people do (the register, reviewer assignments, drafts, roles),
at read time, in SQL; it follows a handover the same day."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_registry import services as register
from accounts_registry.models import Account
from accounts_registry.selectors import flags_of, with_flags
from organisation.models import Role
from tests.factories import (
    AccountFactory,
    CompletionFactory,
    DraftFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
)
from training import requirements
from training.models import Requirement
from training.models import Responsibility as R

pytestmark = pytest.mark.django_db


def required() -> dict[str, list[str]]:
    return {
        row["email"]: row["required_codes"]
        for row in requirements.people_with_requirements().values("email", "required_codes")
    }


def test_responsible_officers_and_deputies_of_open_accounts_need_their_courses(courses, service_area):
    officer, deputy = PersonFactory(email="o@x.gov.uk"), PersonFactory(email="d@x.gov.uk")
    AccountFactory(service_area=service_area, responsible_officer=officer, deputy=deputy)
    assert required() == {"o@x.gov.uk": ["BLOCK", "RESPOND"], "d@x.gov.uk": ["RESPOND"]}


@pytest.mark.parametrize("status", ["requested", "rejected", "closed"])
def test_an_account_that_is_not_open_gives_nobody_a_requirement(courses, service_area, status):
    AccountFactory(service_area=service_area, status=status, responsible_officer=PersonFactory())
    assert required() == {}


def test_a_handover_moves_the_requirement_to_the_new_officer_the_same_day(courses, people, service_area):
    leaver = PersonFactory(email="leaver@x.gov.uk", service_area=service_area)
    newcomer = PersonFactory(email="new@x.gov.uk", service_area=service_area)
    AccountFactory(service_area=service_area, responsible_officer=leaver)
    AccountFactory(service_area=service_area, responsible_officer=PersonFactory(), deputy=leaver)
    assert required()["leaver@x.gov.uk"] == ["BLOCK", "RESPOND"]
    assert "new@x.gov.uk" not in required()

    register.accounts_transfer(from_person=leaver, to_person=newcomer, by=people["comms"])

    now = required()
    assert "leaver@x.gov.uk" not in now
    assert now["new@x.gov.uk"] == ["BLOCK", "RESPOND"]


def test_people_who_have_left_need_nothing(courses, service_area):
    leaver = PersonFactory(email="gone@x.gov.uk", left_on=datetime.date(2026, 1, 1))
    AccountFactory(service_area=service_area, responsible_officer=leaver)
    assert required() == {}


def test_the_communications_role_and_councillors_with_a_registered_account(courses, people, ward):
    AccountFactory(kind="councillor", service_area=None, ward=ward, responsible_officer=people["councillor"])
    PersonFactory(email="cllr2@x.gov.uk", roles=[Role.COUNCILLOR])  # no account: needs nothing
    assert required() == {"comms@northfield.gov.uk": ["BLOCK"], "councillor@northfield.gov.uk": ["BLOCK"]}


def test_named_reviewers_need_the_reviewing_course_the_role_alone_does_not(courses, people, service_area):
    assert "reviewer@northfield.gov.uk" not in required()
    assignment = ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    assert required()["reviewer@northfield.gov.uk"] == ["REVIEW"]
    assignment.delete()
    assert "reviewer@northfield.gov.uk" not in required()


def test_authors_of_drafts_in_the_last_twelve_months_need_the_authors_course(courses, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=PersonFactory(email="o@x.gov.uk"))
    author = PersonFactory(email="author@x.gov.uk", service_area=service_area)
    draft = DraftFactory(account=account, author=author)
    assert required()["author@x.gov.uk"] == ["RESPOND"]
    with time_machine.travel(draft.created_at + datetime.timedelta(days=370)):
        assert "author@x.gov.uk" not in required()


def test_the_rules_are_data_a_change_applies_at_once(courses, service_area):
    AccountFactory(service_area=service_area, responsible_officer=PersonFactory(email="o@x.gov.uk"))
    Requirement.objects.create(responsibility=R.RESPONSIBLE, course=courses.review)
    assert required()["o@x.gov.uk"] == ["BLOCK", "RESPOND", "REVIEW"]
    courses.block.is_active = False  # withdrawn from the catalogue: required of nobody
    courses.block.save()
    assert required()["o@x.gov.uk"] == ["RESPOND", "REVIEW"]


def test_one_query_for_everyone_whatever_their_number(courses, service_area):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            list(requirements.people_with_requirements().values("email", "missing_codes", "expiring_codes"))
            requirements.overall()
            requirements.by_service_area()
        return len(queries)

    AccountFactory(service_area=service_area)
    small = count()
    for _ in range(10):
        account = AccountFactory(service_area=service_area, deputy=PersonFactory())
        CompletionFactory(person=account.responsible_officer, course=courses.block)
    assert count() == small == 3


def test_what_a_person_needs_and_why_in_words(courses, people, service_area):
    officer = people["officer"]
    libs = AccountFactory(handle="NorthfieldLibs", service_area=service_area, responsible_officer=officer)
    AccountFactory(handle="NfieldParks", service_area=service_area, deputy=officer)
    DraftFactory(account=libs, author=officer)
    ReviewerAssignmentFactory(person=officer, account=libs)
    CompletionFactory(person=officer, course=courses.respond, completed_on=timezone.localdate())

    needs = {n.course.code: n for n in requirements.needs_of(officer)}

    assert set(needs) == {"BLOCK", "RESPOND", "REVIEW"}
    assert [needs[c].state for c in ("BLOCK", "REVIEW", "RESPOND")] == ["missing", "missing", "valid"]
    assert needs["BLOCK"].reasons == ["are the responsible officer of @NorthfieldLibs on X (Twitter)"]
    assert needs["RESPOND"].reasons == [
        "are the responsible officer of @NorthfieldLibs on X (Twitter)",
        "are the deputy for @NfieldParks on X (Twitter)",
        "drafted posts or replies for @NorthfieldLibs on X (Twitter) in the last 12 months",
    ]
    assert needs["REVIEW"].reasons == ["are a named reviewer for @NorthfieldLibs on X (Twitter)"]
    assert needs["RESPOND"].expires_on == timezone.localdate().replace(year=timezone.localdate().year + 1)


def test_every_required_course_has_a_reason_and_every_reason_a_course(courses, people, service_area, ward):
    AccountFactory(kind="councillor", service_area=None, ward=ward, responsible_officer=people["councillor"])
    AccountFactory(service_area=service_area, responsible_officer=people["comms"], deputy=people["officer"])
    ReviewerAssignmentFactory(person=people["reviewer"], service_area=service_area)
    everyone = requirements.people_with_requirements().values_list("pk", "required_codes")
    for pk, codes in everyone:
        needs = requirements.needs_of(type(people["comms"]).objects.get(pk=pk))
        assert [n.course.code for n in sorted(needs, key=lambda n: n.course.code)] == codes
        assert all(n.reasons for n in needs)


# ---------------------------------------------------------------------------------------------------
# The register's "nobody responsible is trained" flag


def untrained() -> set[str]:
    return set(with_flags(Account.objects.all()).filter(flag_untrained=True).values_list("handle", flat=True))


def test_an_account_is_untrained_when_its_officer_and_deputy_both_miss_a_required_course(
    courses, service_area
):
    officer, deputy = PersonFactory(), PersonFactory()
    AccountFactory(handle="Both", service_area=service_area, responsible_officer=officer, deputy=deputy)
    assert untrained() == {"@Both"}

    CompletionFactory(person=deputy, course=courses.respond)  # all the deputy needs
    assert untrained() == set()

    CompletionFactory(person=officer, course=courses.block)  # the officer still lacks RESPOND
    deputy_left = Account.objects.get()
    deputy_left.deputy.left_on = datetime.date(2026, 1, 1)
    deputy_left.deputy.save()
    assert untrained() == {"@Both"}  # a deputy who has left trains nobody

    CompletionFactory(person=officer, course=courses.respond)
    assert untrained() == set()


def test_without_a_deputy_the_officer_alone_decides(courses, service_area):
    officer = PersonFactory()
    AccountFactory(handle="Alone", service_area=service_area, responsible_officer=officer)
    assert untrained() == {"@Alone"}
    CompletionFactory(person=officer, course=courses.block)
    CompletionFactory(person=officer, course=courses.respond)
    assert untrained() == set()


def test_an_expired_completion_does_not_count_for_the_flag(courses, service_area):
    officer = PersonFactory()
    AccountFactory(handle="Old", service_area=service_area, responsible_officer=officer)
    CompletionFactory(person=officer, course=courses.block)
    CompletionFactory(
        person=officer,
        course=courses.respond,
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    assert untrained() == {"@Old"}


@pytest.mark.parametrize("status", ["requested", "closing", "closed"])
def test_only_live_accounts_are_flagged(courses, service_area, status):
    AccountFactory(handle="Quiet", service_area=service_area, status=status)
    assert untrained() == set()


def test_the_register_offers_and_shows_the_flag(courses, clients, service_area):
    AccountFactory(display_name="Northfield Bins", handle="NfieldBins", service_area=service_area)
    page = clients["comms"].get("/accounts-register/", {"flag": "untrained"}).content.decode()
    assert 'value="untrained"' in page and "Northfield Bins" in page
    shown = with_flags(Account.objects.all()).get()
    assert "untrained" in [f.code for f in flags_of(shown)]


# ---------------------------------------------------------------------------------------------------
# The same answers whichever way the database is asked (requirements._OfPerson: one row at a time in a
# page, the whole set at once for everyone)


def test_a_page_and_everyone_get_the_same_answers(courses, people, service_area, ward):
    trained, half, untrained = PersonFactory(), PersonFactory(), PersonFactory()
    for person in (trained, half):
        CompletionFactory(person=person, course=courses.block)
        CompletionFactory(person=person, course=courses.respond)
    AccountFactory(handle="A", service_area=service_area, responsible_officer=trained, deputy=untrained)
    AccountFactory(handle="B", service_area=service_area, responsible_officer=untrained)
    AccountFactory(handle="C", service_area=service_area, responsible_officer=half)
    AccountFactory(
        handle="D", kind="councillor", service_area=None, ward=ward, responsible_officer=people["councillor"]
    )
    ReviewerAssignmentFactory(person=half, service_area=service_area)  # REVIEW: half misses it
    DraftFactory(account=Account.objects.get(handle="@B"), author=untrained)

    accounts = with_flags(Account.objects.all()).order_by("handle").values_list("handle", "flag_untrained")
    assert "OFFSET 0" not in str(accounts.query) and "OFFSET 0" in str(accounts[:1].query)
    everyone = list(accounts)
    assert [row for n in range(len(everyone)) for row in accounts[n : n + 1]] == everyone
    assert everyone == [("@A", False), ("@B", True), ("@C", True), ("@D", True)]

    fields = ("email", "required_codes", "valid_codes", "expiring_codes", "missing_codes", "fully_trained")
    listed = requirements.people_with_requirements().order_by("pk").values_list(*fields)
    rows = list(listed)
    assert [row for n in range(len(rows)) for row in listed[n : n + 1]] == rows
    assert {row[0]: row[5] for row in rows}[trained.email] is True
    assert {row[0]: row[4] for row in rows}[half.email] == ["REVIEW"]  # one course, though needed twice over
    # A page's rows drawn from their pairs in one query (training_of): the same, and nothing for the rest.
    pks = dict(type(trained).objects.filter(is_active=True, left_on=None).values_list("email", "pk"))
    drawn = requirements.training_of(pks.values())
    assert [(row[0], *(getattr(drawn[pks[row[0]]], f) for f in fields[1:])) for row in rows] == rows
    listed_emails = {row[0] for row in rows}
    rest = [drawn[pk] for email, pk in pks.items() if email not in listed_emails]
    assert rest and all(t == requirements.Training() and t.fully_trained for t in rest)
    assert requirements.figures() == (requirements.overall(), requirements.by_service_area())


def test_the_register_flags_compiled_sources_follow_what_they_depend_on(settings):
    """The sources asked of a column are compiled once and kept (_pairs_of_column): a change to what
    they read besides the day (here the drafting window) must give new text, not the kept one."""

    def compiled():
        return requirements.annotate_untrained(Account.objects.all())[:1].query.sql_with_params()

    first = compiled()
    assert compiled() == first
    settings.TRAINING_AUTHOR_MONTHS += 1
    assert compiled() != first
