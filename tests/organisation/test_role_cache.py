"""A person's roles and Django permissions are read in one query per user object (one request's
user), and read again after a change of roles."""

import pytest
from django.contrib.auth.models import Permission

from organisation.models import Role, User, role_group
from organisation.services import person_set_roles
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_roles_and_permissions_are_one_query(django_assert_num_queries):
    person = User.objects.get(pk=PersonFactory(roles=[Role.OFFICER]).pk)
    with django_assert_num_queries(1):
        assert person.has_role(Role.OFFICER)
        assert not person.has_perm("dashboard.view_dashboard")  # refused by the rules: ModelBackend asked
        assert not person.has_perm("auth.change_group")
        assert person.has_perm("content_review.view_area")


def test_a_django_permission_still_counts_through_a_role_or_directly():
    """ModelBackend reads the permissions loaded with the roles: what it would have found itself."""
    role_group(Role.OFFICER).permissions.add(Permission.objects.get(codename="change_group"))
    person = PersonFactory(roles=[Role.OFFICER])
    person.user_permissions.add(Permission.objects.get(codename="view_group"))
    fresh = User.objects.get(pk=person.pk)
    assert fresh.has_perm("auth.change_group") and fresh.has_perm("auth.view_group")
    assert not fresh.has_perm("auth.delete_group")
    assert fresh.get_all_permissions() >= {"auth.change_group", "auth.view_group"}


def test_a_change_of_roles_is_seen_by_the_same_user_object():
    person = PersonFactory(roles=[Role.OFFICER])
    assert person.has_perm("content_review.view_area") and not person.has_role(Role.COMMS)
    person_set_roles(person=person, roles=[Role.COUNCILLOR])
    assert not person.has_perm("content_review.view_area")
    person_set_roles(person=person, roles=[Role.COMMS])
    assert person.has_role(Role.COMMS) and person.has_perm("content_review.view_area")


def test_a_superuser_keeps_every_django_permission():
    root = User.objects.get(pk=PersonFactory(is_superuser=True).pk)
    assert root.role_names == set()
    assert root.has_perm("auth.delete_group")
