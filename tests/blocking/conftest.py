import pytest

from tests.factories import AccountFactory


@pytest.fixture
def account(people, service_area):
    """An X account the officer runs."""
    return AccountFactory(
        platform="x",
        handle="NfieldBins",
        display_name="Northfield Bins",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


@pytest.fixture
def other_account(people, service_area):
    """Another X account the officer runs."""
    return AccountFactory(
        platform="x",
        handle="NfieldLibs",
        display_name="Northfield Libraries",
        service_area=service_area,
        responsible_officer=people["officer"],
    )


@pytest.fixture
def refer(people, account):
    """refer(categories, **fields): a referral by the officer through the service."""
    from blocking import services

    def make(categories=("spam",), *, by=None, **fields):
        data = {
            "account": account,
            "person_handle": "@Jo_Bloggs",
            "categories": list(categories),
            "what_happened": "Posted the same advert under every post.",
            "quoted_text": "Cheap skips, call now",
            "warning_given": False,
            "warned_on": None,
            **fields,
        }
        return services.referral_create(by=by or people["officer"], fields=data)

    return make
