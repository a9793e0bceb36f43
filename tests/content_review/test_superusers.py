"""Superusers administer the platform; they do not get round the review rules."""

import pytest
from django.core.exceptions import PermissionDenied

from content_review import services
from content_review.permissions import DRAFT_ACTIONS
from organisation.models import User
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_a_superuser_in_comms_cannot_approve_their_own_draft(service_area):
    boss = User.objects.create_superuser("root@northfield.gov.uk", "a-long-password-123")
    from organisation.services import person_set_roles

    person_set_roles(person=boss, roles=["Communications"])
    account = AccountFactory(service_area=service_area, responsible_officer=boss)
    draft = services.draft_create(by=boss, account=account, text="The park is open.")
    services.draft_submit(draft=draft, by=boss)
    with pytest.raises(PermissionDenied):
        services.draft_approve(draft=draft, by=boss, revision_number=1)


def test_a_superuser_without_a_role_cannot_review(people, service_area):
    root = User.objects.create_superuser("root@northfield.gov.uk", "a-long-password-123")
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    draft = services.draft_create(by=people["officer"], account=account, text="The park is open.")
    services.draft_submit(draft=draft, by=people["officer"])
    draft.refresh_from_db()
    assert DRAFT_ACTIONS.refusal("decide", draft, root) == (
        "who",
        f"Only the Communications team and the reviewers named for {account.display_name} review its drafts.",
    )
    with pytest.raises(PermissionDenied):
        services.draft_approve(draft=draft, by=root, revision_number=1)
    assert root.has_perm("organisation.view_user")  # still administers people
