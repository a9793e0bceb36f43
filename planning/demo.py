"""Demo planning: a campaign with a few planned posts across the demo officer's accounts, made through
the services people use (some waiting to be approved together). Safe to run twice."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts_registry.models import Account, AccountStatus
from content_review import services
from content_review.models import Campaign, Draft
from organisation.models import User

CAMPAIGN = "Christmas and New Year bin collections"
POSTS = [
    (3, 9, "Bin collections change over Christmas: check your new day at northfield.gov.uk/bins.", "submit"),
    (7, 12, "Real Christmas trees can be recycled in your garden waste bin from 2 January.", "submit"),
    (10, 8, "Reminder: no collections on Christmas Day. Your bin will be collected on Saturday.", "approve"),
    (14, 10, "Too much cardboard after Christmas? Flatten it and leave it beside your blue bin.", "draft"),
]


def create_demo_planning() -> int:
    if Campaign.objects.filter(name=CAMPAIGN).exists():
        return 0
    comms = User.objects.get(email="comms@northfield.gov.uk")
    officer = User.objects.get(email="officer@northfield.gov.uk")
    reviewer = User.objects.get(email="reviewer@northfield.gov.uk")
    accounts = list(
        Account.objects.filter(status=AccountStatus.ACTIVE, responsible_officer=officer).order_by("pk")[:2]
    )
    if not accounts:
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=CAMPAIGN,
            description="Changes to bin collection days over the holidays, across the waste and corporate accounts.",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=21),
            owner=comms,
            service_area=officer.service_area,
        )
        for n, (days, hour, text, step) in enumerate(POSTS):
            when = timezone.make_aware(
                datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour))
            )
            draft = services.draft_create(
                by=officer, account=accounts[n % len(accounts)], text=text, planned_for=when
            )
            Draft.objects.filter(pk=draft.pk).update(campaign=campaign)
            if step in ("submit", "approve"):
                services.draft_submit(draft=draft, by=officer)
            if step == "approve":
                services.draft_approve(draft=Draft.objects.get(pk=draft.pk), by=reviewer, revision_number=1)
    return len(POSTS)
