"""The home page's cost: each app's attention items come from one query (core.attention.counts), so
the page makes the same number of queries whether nothing or everything needs attention."""

import datetime

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import Account, AccountStatus
from blocking.models import Referral
from content_review.models import D
from core.attention import counts
from notifications.models import Notification
from organisation.models import Role, RoleGrant, User
from tests.blocking.factories import AppealFactory, BlockFactory, ReferralFactory
from tests.factories import (
    AccountFactory,
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    DraftFactory,
    InboundMessageFactory,
    PersonFactory,
    ReviewerAssignmentFactory,
    TrainingRequestFactory,
    TrainingSessionFactory,
)
from tests.surveys.helpers import invite, make_questionnaire
from training.models import Requirement
from training.models import Responsibility as R

pytestmark = pytest.mark.django_db


def test_counts_gives_what_count_gives_in_one_query(people, django_assert_num_queries):
    AccountFactory.create_batch(3, responsible_officer=people["officer"])
    AccountFactory(status=AccountStatus.REQUESTED)
    querysets = {
        "everyone": User.objects.all(),
        "joined": User.objects.filter(groups__name__in=[Role.OFFICER, Role.REVIEWER]),  # a person twice
        "distinct": User.objects.filter(groups__name__in=[Role.OFFICER, Role.REVIEWER]).distinct(),
        "annotated": User.objects.annotate(n=Count("responsible_for_accounts")).filter(n__gte=3),
        "requested": Account.objects.filter(status=AccountStatus.REQUESTED),
        "nothing": Account.objects.none(),
        "empty_list": Account.objects.filter(pk__in=[]),
    }
    expected = {name: queryset.count() for name, queryset in querysets.items()}
    assert expected["joined"] == expected["distinct"] + 1 and expected["annotated"] == 1
    with django_assert_num_queries(1):
        assert counts(**querysets) == expected
    with django_assert_num_queries(0):
        assert counts(a=Account.objects.none()) == {"a": 0}
        assert counts() == {}


def _something_for_every_item(people):
    """At least one of each thing any persona's home page counts, so every app's items are non-zero
    for someone (twice over when called twice: the counts grow, the queries must not)."""
    now, today = timezone.now(), timezone.localdate()
    officer, reviewer, comms = people["officer"], people["reviewer"], people["comms"]
    area = officer.service_area
    # Accounts: a request, a dormant one, one whose officer left, one of the officer's with no deputy
    # and no two-factor sign-in, one quiet for a year.
    AccountFactory(status=AccountStatus.REQUESTED, requested_by=officer)
    AccountFactory(status=AccountStatus.DORMANT, service_area=area, responsible_officer=officer)
    AccountFactory(service_area=area, responsible_officer=PersonFactory(left_on=today))
    mine = AccountFactory(
        service_area=area,
        responsible_officer=officer,
        deputy=None,
        two_factor_enabled=False,
        last_activity_at=now - datetime.timedelta(days=400),
    )
    ReviewerAssignmentFactory(person=reviewer, account=mine)
    councillors = AccountFactory(service_area=area, responsible_officer=people["councillor"], deputy=None)
    # Posts and replies: one to review, one sent back, one approved and late, one urgent, an overdue
    # message.
    for author in (officer, people["councillor"]):
        DraftFactory(account=mine if author == officer else councillors, author=author, status=D.SUBMITTED)
        DraftFactory(account=mine, author=author, status=D.CHANGES_REQUESTED)
        DraftFactory(
            account=mine, author=author, status=D.APPROVED, planned_for=now - datetime.timedelta(hours=3)
        )
    DraftFactory(account=mine, author=officer, status=D.PUBLISHED, published_at=now, urgent=True)
    InboundMessageFactory(account=mine, due_at=now - datetime.timedelta(hours=2))
    # Blocking: a referral to decide, one sent back to each referrer, a block due, one to confirm, an
    # appeal.
    ReferralFactory(account=mine)
    ReferralFactory(account=mine, referred_by=officer, status="more_information")
    ReferralFactory(account=councillors, referred_by=people["councillor"], status="more_information")
    BlockFactory(account=mine, review_on=today - datetime.timedelta(days=1))
    BlockFactory(account=mine, status="unconfirmed")
    AppealFactory(block=BlockFactory(account=mine))
    # Training: a course everyone running an account or in Comms needs, one completion running out,
    # a booking, a request, a session waiting for its attendance.
    course = CourseFactory(validity_months=12)
    for responsibility in (R.RESPONSIBLE, R.COMMS, R.COUNCILLOR, R.AUTHOR):
        Requirement.objects.get_or_create(responsibility=responsibility, course=course)
    expiring = CourseFactory(validity_months=12)
    Requirement.objects.get_or_create(responsibility=R.RESPONSIBLE, course=expiring)
    CompletionFactory(person=officer, course=expiring, completed_on=today - datetime.timedelta(days=340))
    for person in (officer, reviewer, people["councillor"], people["head_of_service"], comms):
        BookingFactory(person=person, session=TrainingSessionFactory(course=course))
    TrainingRequestFactory(requester=officer, course=course)
    TrainingSessionFactory(course=course, starts_at=now - datetime.timedelta(days=1))
    # Emails that failed, a role grant for a second person, a questionnaire to answer.
    Notification.objects.create(to_email="x@example.test", subject="s", body="b")
    Notification.objects.update(status=Notification.Status.FAILED)
    RoleGrant.objects.create(
        person=PersonFactory(), role=Role.AUDITOR, reason="x", requested_by=PersonFactory()
    )
    questionnaire = make_questionnaire(
        slug=f"pulse-{Referral.objects.count()}",
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=7),
    )
    for name in ("officer", "reviewer", "head_of_service", "councillor", "auditor", "comms"):
        invite(questionnaire, people[name])


# The session, the person, their roles, their permissions (two queries) and their roles again (django-rules
# keeps its own copy), then one query per app with attention items: seven for an officer, training's two
# among them (the person's courses, then the rest; a head of service's area is a third). The page
# frame's banner comes on top (assert_flat_queries allows it). Before each app asked once: 17 to 25.
HOME_QUERIES = 13


@pytest.mark.parametrize(
    "persona", ["comms", "officer", "reviewer", "head_of_service", "councillor", "auditor"]
)
def test_the_home_page_asks_each_app_once_whatever_needs_attention(
    persona, people, clients, assert_flat_queries
):
    home = reverse("home")
    before = clients[persona].get(home).context["attention_items"]
    assert_flat_queries(
        lambda: clients[persona].get(home), lambda: _something_for_every_item(people), at_most=HOME_QUERIES
    )
    after = clients[persona].get(home).context["attention_items"]
    # The guard means something: the items went from few to many, from several apps.
    assert len(after) >= len(before) + 3, [item.label for item in after]
