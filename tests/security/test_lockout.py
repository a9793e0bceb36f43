"""Issue 9, item 7: behind a proxy, sign-in lock-outs count failures per person and client address,
so nobody can lock someone else out by typing their email address with wrong passwords."""

import logging

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from organisation import auth

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"  # every request reaches the app from the proxy


def sign_in(forwarded_for: str, password: str):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(reverse("login"), {"username": "officer@northfield.gov.uk", "password": password})


# AXES_IPWARE_PROXY_COUNT is what the settings used to set from PROXY_COUNT (without django-ipware
# installed it did nothing): given here too, so the test shows the old settings failing, not missing.
@override_settings(PROXY_COUNT=1, AXES_IPWARE_PROXY_COUNT=1)
def test_a_stranger_behind_the_same_proxy_cannot_lock_someone_out(people):
    for _ in range(6):
        sign_in("203.0.113.9", "wrong")
    assert sign_in("203.0.113.9", "correct-horse-battery").status_code == 429  # the stranger is locked
    assert sign_in("198.51.100.7", "correct-horse-battery").status_code == 302  # the officer is not


@override_settings(PROXY_COUNT=1, AXES_IPWARE_PROXY_COUNT=1)
def test_a_guesser_cannot_escape_the_lock_out_by_writing_their_own_forwarded_for(people):
    # The proxy appends the address it saw; what the client wrote before it is not believed.
    for n in range(5):
        sign_in(f"192.0.2.{n}, 203.0.113.9", "wrong")
    assert sign_in("192.0.2.99, 203.0.113.9", "correct-horse-battery").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "address"),
    [
        (0, "", "10.0.0.5"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        (2, "1.1.1.1, 203.0.113.9, 172.16.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.5"),  # did not come through both proxies: the connecting address
        (1, "not-an-address", "10.0.0.5"),
    ],
)
def test_the_client_address_is_counted_from_the_right(rf, count, forwarded, address):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(PROXY_COUNT=count):
        assert auth.client_address(request) == address


def test_an_uncounted_proxy_is_reported(rf, caplog, monkeypatch):
    monkeypatch.setattr(auth, "_warned_about_proxy", False)
    with caplog.at_level(logging.ERROR, logger="organisation.auth"), override_settings(PROXY_COUNT=0):
        auth.client_address(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert "PROXY_COUNT is 0" in caplog.text
