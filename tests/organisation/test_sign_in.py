import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def sign_in(client, email, password="correct-horse-battery"):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_every_page_requires_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_people_sign_in_with_their_email_address_in_any_case(client, people):
    response = sign_in(client, "Officer@Northfield.gov.uk")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == people["officer"]


def test_a_wrong_password_is_explained_and_the_email_is_kept(client, people):
    response = sign_in(client, "officer@northfield.gov.uk", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct email address and password" in page
    assert 'value="officer@northfield.gov.uk"' in page
    assert "govuk-error-summary" in page


def test_repeated_failures_lock_sign_in(client, people):
    for _ in range(5):
        sign_in(client, "officer@northfield.gov.uk", "wrong")
    response = sign_in(client, "officer@northfield.gov.uk")  # even the right password is refused now
    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in response.content.decode()


def test_someone_who_has_left_cannot_sign_in(client, people):
    from organisation.services import person_mark_left

    person_mark_left(person=people["officer"], left_on=__import__("datetime").date(2026, 11, 1), by=None)
    response = sign_in(client, "officer@northfield.gov.uk")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post(clients):
    assert clients["officer"].post(reverse("logout")).status_code == 302
    assert clients["officer"].get(reverse("home")).status_code == 302


def test_password_reset_goes_through_the_outbox_and_its_link_works(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "Officer@northfield.gov.uk"})
    assert response.status_code == 302
    row = Notification.objects.get()
    assert row.to_email == "officer@northfield.gov.uk"
    assert row.status == Notification.Status.SENT  # no broker: delivered inline after commit
    assert len(mail.outbox) == 1
    link = re.search(r"http://127.0.0.1:8000(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a-long-new-passphrase-42"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert sign_in(client, "officer@northfield.gov.uk", new).status_code == 302


def test_password_reset_does_not_reveal_who_has_an_account(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_nobody_can_read_a_reset_link_from_the_outbox(
    client, people, clients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "reviewer@northfield.gov.uk"})
    row = Notification.objects.get()
    assert row.kind == Notification.Kind.PASSWORD_RESET and "/accounts/reset/" not in row.body
    page = clients["comms"].get(f"/admin/notifications/notification/{row.pk}/change/").content.decode()
    assert "/accounts/reset/" not in page and "Not kept" in page


def test_the_admin_never_sets_or_shows_passwords_nor_changes_email_addresses(clients, people):
    auditor = people["auditor"]
    response = clients["comms"].post(
        f"/admin/organisation/user/{auditor.pk}/password/",
        {"password1": "x-new-pass-123", "password2": "x-new-pass-123"},
    )
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert auditor.check_password("correct-horse-battery")
    page = clients["comms"].get(f"/admin/organisation/user/{auditor.pk}/change/").content.decode()
    assert 'name="email"' not in page and 'name="password"' not in page


def test_comms_cannot_edit_a_superuser_in_the_admin(clients):
    from organisation.models import User

    root = User.objects.create_superuser("root@northfield.gov.uk", "a-long-password-123")
    page = clients["comms"].get(f"/admin/organisation/user/{root.pk}/change/").content.decode()
    assert 'name="first_name"' not in page  # shown read-only
    assert (
        clients["comms"].post(f"/admin/organisation/user/{root.pk}/change/", {"first_name": "x"}).status_code
        == 403
    )
    root.refresh_from_db()
    assert root.first_name == ""


def test_reset_emails_are_limited_to_three_an_hour_per_person(client, people):
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "officer@northfield.gov.uk"})
        assert response.status_code == 302  # the same answer every time
    assert Notification.objects.filter(recipient=people["officer"]).count() == 3
