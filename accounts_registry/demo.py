"""About 60 demo accounts, as the audit found them: X (Twitter) and Facebook dominate, a few
services post rarely, some accounts are dormant and a few are run by someone who has left.
Safe to run twice: accounts are keyed on platform and handle."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts_registry.models import Account, AccountKind, AccountStatus, ActivityCheck, PostingFrequency
from accounts_registry.platforms import identify
from organisation.demo import DEMO_LOGINS
from organisation.models import Role, ServiceArea, User

SERVICE_ACCOUNTS = [
    # (service area code, platform, handle, posting frequency)
    ("waste-and-recycling", "x", "NorthfieldBins", "daily"),
    ("waste-and-recycling", "facebook", "NorthfieldRecycles", "several_weekly"),
    ("libraries", "x", "NorthfieldLibs", "several_weekly"),
    ("libraries", "facebook", "NorthfieldLibraries", "weekly"),
    ("libraries", "instagram", "northfield_libraries", "weekly"),
    ("parks-and-open-spaces", "x", "NorthfieldParks", "weekly"),
    ("parks-and-open-spaces", "facebook", "NorthfieldParksTeam", "weekly"),
    ("highways", "x", "NorthfieldRoads", "daily"),
    ("transport-and-parking", "x", "NfieldParking", "weekly"),
    ("leisure-and-sport", "facebook", "NorthfieldLeisure", "several_weekly"),
    ("leisure-and-sport", "instagram", "northfield_leisure", "weekly"),
    ("museums-and-heritage", "x", "NfieldMuseum", "weekly"),
    ("museums-and-heritage", "facebook", "NorthfieldMuseumAndGallery", "weekly"),
    ("museums-and-heritage", "flickr", "northfieldmuseum", "monthly"),
    ("arts-and-culture", "facebook", "NorthfieldArts", "weekly"),
    ("tourism-and-events", "x", "VisitNorthfield", "several_weekly"),
    ("tourism-and-events", "facebook", "VisitNorthfieldUK", "several_weekly"),
    ("tourism-and-events", "instagram", "visitnorthfield", "weekly"),
    ("tourism-and-events", "tiktok", "visitnorthfield", "weekly"),
    ("economic-development", "linkedin", "northfield-business", "fortnightly"),
    ("economic-development", "x", "NorthfieldBiz", "fortnightly"),
    ("employment-support", "facebook", "NorthfieldJobsHub", "weekly"),
    ("public-health", "x", "NfieldHealth", "weekly"),
    ("public-health", "facebook", "NorthfieldPublicHealth", "weekly"),
    ("youth-services", "instagram", "northfield_youth", "weekly"),
    ("youth-services", "tiktok", "northfieldyouth", "weekly"),
    ("fostering-and-adoption", "facebook", "FosterNorthfield", "fortnightly"),
    ("fostering-and-adoption", "x", "FosterNfield", "fortnightly"),
    ("housing-options", "x", "NfieldHousing", "fortnightly"),
    ("environmental-health", "x", "NfieldEnvHealth", "monthly"),
    ("trading-standards", "x", "NorthfieldTS", "fortnightly"),
    ("trading-standards", "facebook", "NorthfieldTradingStandards", "fortnightly"),
    ("emergency-planning", "x", "NfieldPrepared", "monthly"),
    ("community-safety", "facebook", "SaferNorthfield", "weekly"),
    ("community-safety", "nextdoor", "northfield-community-safety", "fortnightly"),
    ("electoral-services", "x", "NorthfieldVotes", "monthly"),
    ("registration-services", "facebook", "NorthfieldRegisterOffice", "monthly"),
    ("climate-change-and-sustainability", "x", "GreenNorthfield", "weekly"),
    ("climate-change-and-sustainability", "bluesky", "greennorthfield.bsky.social", "weekly"),
    ("planning", "x", "NfieldPlanning", "monthly"),
    ("human-resources", "linkedin", "northfield-careers", "weekly"),
    ("early-help", "facebook", "NorthfieldFamilyHubs", "weekly"),
    ("adult-social-care", "facebook", "NorthfieldCare", "fortnightly"),
    ("special-educational-needs", "facebook", "NorthfieldLocalOffer", "fortnightly"),
    ("voluntary-and-community-sector", "facebook", "NorthfieldCommunities", "fortnightly"),
]
CORPORATE_ACCOUNTS = [
    ("x", "NorthfieldCC", "Northfield Borough Council"),
    ("facebook", "NorthfieldBoroughCouncil", "Northfield Borough Council"),
    ("instagram", "northfieldcouncil", "Northfield Borough Council"),
    ("youtube", "@NorthfieldCouncil", "Northfield Borough Council"),
    ("linkedin", "northfield-borough-council", "Northfield Borough Council"),
    ("bluesky", "northfield.gov.uk", "Northfield Borough Council"),
    ("whatsapp", "https://www.whatsapp.com/channel/0029VaNorthfield1234567890", "Northfield Council updates"),
]
COUNCILLOR_ACCOUNTS = 10  # the first ten councillors run an official X or Facebook account


@transaction.atomic
def create_demo_accounts() -> int:
    now = timezone.now()
    comms = User.objects.get(email="comms@northfield.gov.uk")
    comms_team = list(User.objects.with_role(Role.COMMS).order_by("email"))
    made = 0

    def add(
        platform,
        handle,
        *,
        display_name,
        kind,
        officer,
        deputy,
        frequency,
        days_since,
        area=None,
        ward=None,
        posts=None,
        two_factor=True,
        managed=False,
        status=AccountStatus.ACTIVE,
    ):
        nonlocal made
        link = handle if handle.startswith("https://") else ""
        identity = identify(platform, "" if link else handle, link)
        defaults = {
            "handle": identity.handle,
            "profile_url": identity.profile_url,
            "display_name": display_name,
            "kind": kind,
            "service_area": area,
            "ward": ward,
            "responsible_officer": officer,
            "deputy": deputy,
            "purpose": f"News and updates from {display_name} for residents.",
            "audience": "Residents of the borough"
            if kind != AccountKind.COUNCILLOR
            else f"Residents of {ward} ward",
            "posting_frequency": frequency,
            "two_factor_enabled": two_factor,
            "managed_by_comms": managed,
            "credentials_location": "Council password manager, shared vault “Social media”",
            "last_activity_at": now - datetime.timedelta(days=days_since) if days_since is not None else None,
            "posts_last_30_days": posts,
            "created_at": now - datetime.timedelta(days=400),
        }
        account, created = Account.objects.get_or_create(
            platform=platform, handle_key=identity.key, defaults=defaults
        )
        if created:
            Account.objects.filter(pk=account.pk).update(status=status)  # demo history: set, not transitioned
            if posts is not None:
                ActivityCheck.objects.create(
                    account=account,
                    checked_by=comms,
                    posts_last_30_days=posts,
                    checked_on=(now - datetime.timedelta(days=3)).date(),
                    followers=1200 + 37 * made,
                )
            made += 1

    for i, (platform, handle, name) in enumerate(CORPORATE_ACCOUNTS):
        add(
            platform,
            handle,
            display_name=name,
            kind=AccountKind.CORPORATE,
            officer=comms_team[i % len(comms_team)],
            deputy=comms_team[(i + 1) % len(comms_team)],
            frequency=PostingFrequency.DAILY,
            days_since=0,
            posts=45,
            managed=True,
        )

    for i, (code, platform, handle, frequency) in enumerate(SERVICE_ACCOUNTS):
        area = ServiceArea.objects.get(code=code)
        staff = list(User.objects.filter(service_area=area, left_on__isnull=True).order_by("email"))
        staff.sort(key=lambda person: person.email != DEMO_LOGINS[Role.OFFICER])  # the demo officer first
        officer = staff[0] if staff else comms_team[i % len(comms_team)]
        # A quarter have no deputy; otherwise a colleague, or someone from Communications.
        deputy = (
            None if i % 4 == 0 else (staff[1] if len(staff) > 1 else comms_team[(i + 1) % len(comms_team)])
        )
        dormant = i % 9 == 4  # some services stopped posting months ago
        rarely = i % 7 == 3
        add(
            platform,
            handle,
            display_name=f"Northfield {area.name}",
            kind=AccountKind.SERVICE,
            area=area,
            officer=officer,
            deputy=deputy,
            frequency=frequency,
            days_since=130 + i if dormant else (20 if rarely else i % 6),
            posts=0 if dormant else (1 if rarely else 6 + i % 20),
            two_factor=i % 5 != 2,
            status=AccountStatus.DORMANT if dormant else AccountStatus.ACTIVE,
        )

    for i, councillor in enumerate(
        User.objects.with_role(Role.COUNCILLOR).order_by("email")[:COUNCILLOR_ACCOUNTS]
    ):
        platform = "x" if i % 2 == 0 else "facebook"
        handle = f"Cllr{councillor.last_name.replace(chr(39), '')}{councillor.first_name}"[:15]
        add(
            platform,
            handle,
            display_name=f"Cllr {councillor}",
            kind=AccountKind.COUNCILLOR,
            ward=councillor.ward,
            officer=councillor,
            deputy=None,
            frequency=PostingFrequency.WEEKLY,
            days_since=2 + i,
            posts=8,
            two_factor=i % 3 != 0,
        )

    # The demo officer's service accounts belong to their own service area (a council loaded before the
    # officer moved to Waste and Recycling is put right).
    officer = User.objects.get(email=DEMO_LOGINS[Role.OFFICER])
    Account.objects.filter(responsible_officer=officer, kind=AccountKind.SERVICE).exclude(
        service_area=officer.service_area
    ).update(service_area=officer.service_area)

    # Requests waiting for Comms to decide.
    if not Account.objects.filter(status=AccountStatus.REQUESTED).exists():
        for platform, handle, name in (
            ("instagram", "northfield_bins", "Northfield Bins on Instagram"),
            ("tiktok", "northfieldparks", "Northfield Parks on TikTok"),
        ):
            identity = identify(platform, handle)
            Account.objects.create(
                platform=platform,
                handle=identity.handle,
                handle_key=identity.key,
                profile_url=identity.profile_url,
                display_name=name,
                kind=AccountKind.SERVICE,
                service_area=officer.service_area,
                responsible_officer=officer,
                requested_by=officer,
                purpose="Reach younger residents with reminders and tips.",
                audience="Residents aged 16 to 30",
                posting_frequency=PostingFrequency.WEEKLY,
            )
            made += 1

    # A few accounts whose responsible officer has since left.
    for handle_key in ("nfieldmuseum", "northfieldts"):
        person = Account.objects.get(platform="x", handle_key=handle_key).responsible_officer
        if person.left_on is None and person.email not in DEMO_LOGINS.values():
            User.objects.filter(pk=person.pk).update(
                left_on=now.date() - datetime.timedelta(days=21), is_active=False
            )
    return made
