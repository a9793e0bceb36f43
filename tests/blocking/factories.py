"""Blocking records in any state, made directly (not through the services) so tests can start anywhere."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts_registry.platforms import identify
from tests.factories import AccountFactory, PersonFactory


def _person_key(record) -> str:
    return identify(record.account.platform, record.person_handle, record.person_profile_url).key


class ReferralFactory(DjangoModelFactory):
    """A referral by the account's responsible officer, waiting for a decision. For a decided one pass
    status="decided", outcome, decision_reason."""

    class Meta:
        model = "blocking.Referral"

    account = factory.SubFactory(AccountFactory)
    platform = factory.SelfAttribute("account.platform")
    person_handle = factory.Sequence(lambda n: f"@resident{n}")
    person_profile_url = ""
    person_key = factory.LazyAttribute(_person_key)
    categories = factory.LazyFunction(lambda: ["spam"])
    what_happened = "Posted adverts under every post."
    quoted_text = "Cheap skips, call now"
    referred_by = factory.SelfAttribute("account.responsible_officer")


class BlockFactory(DjangoModelFactory):
    """An active block on the account, decided by nobody in particular, due for review in 6 months."""

    class Meta:
        model = "blocking.Block"

    account = factory.SubFactory(AccountFactory)
    platform = factory.SelfAttribute("account.platform")
    person_handle = factory.Sequence(lambda n: f"@blocked{n}")
    person_profile_url = ""
    person_key = factory.LazyAttribute(_person_key)
    categories = factory.LazyFunction(lambda: ["abuse"])
    reason = "Repeated swearing at staff."
    source = "recorded"
    blocked_on = factory.LazyFunction(timezone.localdate)
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    status = "active"
    recorded_by = factory.SelfAttribute("account.responsible_officer")


class AppealFactory(DjangoModelFactory):
    class Meta:
        model = "blocking.Appeal"

    block = factory.SubFactory(BlockFactory)
    received_on = factory.LazyFunction(timezone.localdate)
    channel = "email"
    message = "I was blocked in error."
    logged_by = factory.SubFactory(PersonFactory, roles=["Communications"])
