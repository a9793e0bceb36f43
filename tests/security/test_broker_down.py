"""Issue 9, item 7: with Redis down, a password reset request for a real address must take about as
long as one for an unknown address (otherwise the time tells who has an account). The delivery is
asked for after the response has gone, never inside it.

Redis here is a private redis-server on a free port with its data in a temporary directory, started
and stopped by the test (tests/security/conftest.py); the shared one on 6379 is never touched."""

import http.client
import logging
import re
import shutil
import time
import urllib.parse

import pytest

from notifications.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]
FAST = 0.5  # seconds: what a page takes here, whatever the broker does


def ask_for_reset(live_server, email: str) -> float:
    """Seconds from sending the form to having the whole response, as a browser would see it."""
    host, port = urllib.parse.urlsplit(live_server.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/accounts/password-reset/")
    page = connection.getresponse()
    cookie = page.getheader("Set-Cookie").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read()).group(1).decode()
    connection.close()
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    connection.request("POST", "/accounts/password-reset/", body, headers)
    response = connection.getresponse()
    response.read()
    took = time.perf_counter() - started
    connection.close()
    assert response.status == 302
    return took


def test_with_redis_down_a_real_address_takes_as_long_as_an_unknown_one(
    live_server, people, celery_on, caplog
):
    ask_for_reset(live_server, "nobody@example.com")  # warm up both paths while Redis is up
    ask_for_reset(live_server, "auditor@northfield.gov.uk")
    celery_on.terminate()
    celery_on.wait(timeout=10)

    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        unknown = [ask_for_reset(live_server, f"nobody{n}@example.com") for n in range(3)]
        real = [
            ask_for_reset(live_server, f"{name}@northfield.gov.uk")
            for name in ("officer", "comms", "reviewer")
        ]
        deadline = time.monotonic() + 10  # the delivery is asked for after each response: wait for it
        while caplog.text.count("Could not queue outbox delivery") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)

    print(f"unknown address: {unknown}; real address: {real}")
    assert max(unknown) < FAST and max(real) < FAST, (unknown, real)
    assert abs(sorted(real)[1] - sorted(unknown)[1]) < 0.1, (unknown, real)  # medians
    # The broker really was down and asked, after each response; the rows wait for the sweep.
    assert caplog.text.count("Could not queue outbox delivery") >= 3
    waiting = Notification.objects.filter(status=Notification.Status.PENDING)
    assert {row.to_email.split("@")[0] for row in waiting} == {"auditor", "officer", "comms", "reviewer"}
