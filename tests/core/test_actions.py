"""core.actions on a list page: the links made once per page are the links `reverse` makes, and the
answers memoised per account are the answers asked one record at a time."""

import pytest
from django.urls import reverse

from content_review.permissions import MESSAGE_ACTIONS
from core.actions import Links
from tests.factories import AccountFactory, InboundMessageFactory

pytestmark = pytest.mark.django_db


def test_a_link_made_from_the_stand_in_is_the_reversed_link():
    links = Links()
    for pk in (0, 7, 12345, Links.STAND_IN + 1):
        assert links("content:message", [pk]) == reverse("content:message", args=[pk])
    # Anything but one number is reversed as it is.
    assert links("surveys:detail", ["social-media-2018"]) == reverse(
        "surveys:detail", args=["social-media-2018"]
    )
    assert links("home", []) == reverse("home")


def test_a_page_of_records_has_the_actions_each_record_has_alone(people, django_assert_num_queries):
    officer = people["officer"]
    theirs = AccountFactory(responsible_officer=officer)
    closed = AccountFactory(responsible_officer=officer, status="closed")
    others = AccountFactory()
    messages = [InboundMessageFactory(account=a) for a in (theirs, theirs, closed, others, others)]
    messages = [type(m).objects.select_related("account", "hidden_by").get(pk=m.pk) for m in messages]
    for persona in ("officer", "comms", "auditor"):
        user = people[persona]
        user.role_names  # noqa: B018  (loaded before counting)
        with django_assert_num_queries(0):
            page = MESSAGE_ACTIONS.for_records(messages, user)
        for message, actions in zip(messages, page, strict=True):
            alone = MESSAGE_ACTIONS.for_record(message, user)
            assert list(actions) == list(alone), (persona, message.account)
