"""Issue 9, items 4 and 7 (lock-out): production refuses to start without a real email configuration
(or says loudly that emails are only printed), and without being told how many proxies stand in
front of it, which the sign-in lock-out needs to tell people apart."""

import pytest

from tests.core.test_configuration import run_manage

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k8Hq2-vZmP9wL4xR7tY1uN6bC3eF0gJ5sD8aQ2zX4vB7nM1pT6yW3cE9",
    "ALLOWED_HOSTS": "social.northfield.gov.uk",
    "SITE_URL": "https://social.northfield.gov.uk",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.northfield.gov.uk:587",
    "PROXY_COUNT": "1",
}


def check(**changes):
    """manage.py check with production settings; a change to None leaves that variable unset."""
    environment = {k: v for k, v in {**PRODUCTION, **changes}.items() if v is not None}
    return run_manage("check", **environment)


def test_production_starts_with_a_mail_server_and_a_proxy_count():
    result = check()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"EMAIL_URL": None}, "Configuration error: EMAIL_URL is required in production, e.g. smtp+tls://"),
        ({"EMAIL_URL": " "}, "Configuration error: EMAIL_URL is required in production"),
        ({"EMAIL_URL": "dummymail://"}, "Configuration error: EMAIL_URL must be an smtp:// address"),
        ({"PROXY_COUNT": None}, "Configuration error: PROXY_COUNT is required in production"),
        ({"PROXY_COUNT": "0"}, "Configuration error: PROXY_COUNT must be at least 1 in production"),
    ],
)
def test_production_refuses_to_start_without_it(changes, message):
    result = check(**changes)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(message)


def test_printing_emails_in_production_must_be_asked_for_and_is_said_loudly():
    result = check(EMAIL_URL="console://")
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING: EMAIL_URL is console://: emails, password reset links included, are printed"
        in result.stderr
    )
