"""Demo content: a dozen standard responses, messages from the public (some overdue) and drafts in
every state, made through the same services people use. Safe to run twice: it adds nothing once
drafts exist."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts_registry.models import Account, AccountStatus
from content_review import services
from content_review.models import Draft, InboundMessage, ReviewerAssignment, StandardResponse, StepRole
from organisation.models import User

RESPONSES = [
    (
        "Missed bin collection",
        "bins, waste",
        "Hi [name], sorry your bin was missed. Please report it at northfield.gov.uk/missedbin and we will collect it within 2 working days.",
    ),
    (
        "Report a pothole",
        "roads",
        "Thanks for letting us know, [name]. Please report the pothole at northfield.gov.uk/potholes with its location so our highways team can inspect it.",
    ),
    (
        "Council Tax question",
        "council tax",
        "Hi [name], we cannot discuss personal accounts on social media. Please contact us at northfield.gov.uk/counciltax and we will help.",
    ),
    (
        "Library opening hours",
        "libraries",
        "Hi [name], our library opening hours are on northfield.gov.uk/libraries. [library] is open today until [time].",
    ),
    (
        "Complaint about a service",
        "complaints",
        "We're sorry to hear this, [name]. Please tell us more through our complaints form at northfield.gov.uk/complaints so we can look into it.",
    ),
    (
        "Abuse or offensive language",
        "moderation",
        "We want our pages to be a welcoming place for everyone. We have hidden a comment that broke our house rules: northfield.gov.uk/socialmedia.",
    ),
    (
        "Noise complaint",
        "environmental health",
        "Hi [name], you can report noise at northfield.gov.uk/noise. Our team will be in touch within 5 working days.",
    ),
    (
        "Parking fine appeal",
        "parking",
        "Hi [name], you can challenge a parking fine online at northfield.gov.uk/parking. Please do not share your penalty number here.",
    ),
    (
        "Fly-tipping report",
        "waste, street cleansing",
        "Thanks [name]. Please report fly-tipping at northfield.gov.uk/flytipping with a photo and location if you can.",
    ),
    (
        "Job vacancies",
        "careers",
        "Hi [name], all our current vacancies are at northfield.gov.uk/jobs. Good luck with your application!",
    ),
    (
        "Event tickets",
        "events",
        "Hi [name], tickets for [event] are available at northfield.gov.uk/events. Follow us for updates.",
    ),
    ("Thank you reply", "general", "Thank you, [name]! We'll pass your kind words on to the team."),
]


def _at(days: float = 0, hours: float = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def _post_link(account: Account, number: int) -> str:
    """A link to a post on the account, as its platform writes one."""
    return f"{account.profile_url.rstrip('/')}/status/{number}"


@transaction.atomic
def create_demo_content() -> int:
    comms = User.objects.get(email="comms@northfield.gov.uk")
    officer = User.objects.get(email="officer@northfield.gov.uk")
    reviewer = User.objects.get(email="reviewer@northfield.gov.uk")
    for i, (title, tags, body) in enumerate(RESPONSES):
        StandardResponse.objects.get_or_create(
            title=title,
            defaults={
                "body": body,
                "tags": [t.strip() for t in tags.split(",")],
                "owner": comms,
                "review_by": timezone.localdate() + datetime.timedelta(days=30 * (i + 1) - 60),
            },
        )
    if Draft.objects.exists():
        return 0

    # The demo officer runs their service's accounts; the demo reviewer reviews that service area.
    area = officer.service_area
    accounts = list(Account.objects.filter(status=AccountStatus.ACTIVE, kind="service").order_by("pk")[:2])
    for account in accounts:
        Account.objects.filter(pk=account.pk).update(
            responsible_officer=officer, deputy=None, service_area=area
        )
        account.refresh_from_db()
    ReviewerAssignment.objects.get_or_create(person=reviewer, service_area=area)
    first, second = accounts

    made = []
    draft = services.draft_create(
        by=officer,
        account=first,
        text="Recycling centres are open as usual this weekend, 8am to 6pm. #RecyclingWeek",
    )
    made.append(draft)  # a draft
    submitted = services.draft_create(
        by=officer,
        account=first,
        text="Garden waste collections restart on Monday 1 March. Sign up at northfield.gov.uk/garden",
    )
    services.draft_submit(draft=submitted, by=officer)
    made.append(submitted)  # waiting for review
    sent_back = services.draft_create(
        by=officer, account=second, text="New bins are coming to your street soon!!!"
    )
    services.draft_submit(draft=sent_back, by=officer)
    services.draft_request_changes(
        draft=sent_back,
        by=reviewer,
        revision_number=1,
        comment="Please say which streets and when, and drop the exclamation marks.",
    )
    approved = services.draft_create(
        by=officer,
        account=first,
        text="Our Christmas collection calendar is now online: northfield.gov.uk/christmasbins",
    )
    services.draft_submit(draft=approved, by=officer)
    services.draft_approve(draft=approved, by=reviewer, revision_number=1)
    published = services.draft_create(
        by=officer,
        account=second,
        text="Thank you to everyone who came to the community clean-up in Riverside Park.",
    )
    services.draft_submit(draft=published, by=officer)
    services.draft_approve(draft=published, by=reviewer, revision_number=1)
    services.draft_publish(
        draft=published,
        by=officer,
        published_url=_post_link(second, 1),
        published_at=_at(hours=3),
    )
    rejected = services.draft_create(
        by=officer,
        account=second,
        text="Residents of Oak Street keep leaving their bins out all week. Not on!",
    )
    services.draft_submit(draft=rejected, by=officer)
    services.draft_reject(
        draft=rejected,
        by=reviewer,
        revision_number=1,
        comment="This singles out residents. We do not name streets like this.",
    )
    withdrawn = services.draft_create(
        by=officer, account=first, text="Collections may be delayed by snow tomorrow."
    )
    services.draft_withdraw(draft=withdrawn, by=officer, comment="The snow did not come.")
    corporate = Account.objects.filter(kind="corporate").first()
    services.draft_publish_urgent(
        by=comms,
        account=corporate,
        text="Flood warning: avoid the A614 near Millbrook. Updates to follow.",
        published_url=_post_link(corporate, 2),
        published_at=_at(hours=10),
        reason="Severe flood warning issued at 10pm; nobody was available to review.",
    )

    # Messages from the public: one overdue, one with a reply in review, spam needing no reply, and an
    # abusive one hidden on the platform.
    for handle, text, days, account in [
        ("@resident_jo", "My bin wasn't collected on Tuesday, can someone help?", 4, first),
        ("@pete_k", "When does the garden waste service start again?", 0.05, second),
        ("@amira_h", "Is the recycling centre open on bank holidays?", 1, first),
        ("@cheap_followers", "Get 10,000 followers today! Click the link in our bio.", 0.5, first),
        ("@angry_dave", "You lot are useless idiots, every one of you.", 0.2, second),
    ]:
        message = InboundMessage.objects.filter(sender_handle=handle).first() or services.inbound_record(
            by=officer, account=account, sender_handle=handle, text=text, received_at=_at(days=days)
        )
        made.append(message)
    services.inbound_no_reply_needed(
        message=InboundMessage.objects.get(sender_handle="@cheap_followers"), by=officer, reason_code="spam"
    )
    services.inbound_hide(
        message=InboundMessage.objects.get(sender_handle="@angry_dave"),
        by=officer,
        reason="Abusive language about staff, against our house rules.",
    )
    message = InboundMessage.objects.get(sender_handle="@amira_h")
    standard = StandardResponse.objects.get(title="Thank you reply")
    reply = services.draft_create(
        by=officer,
        account=message.account,
        inbound_message=message,
        standard_response=standard,
        text="Thank you, Amira! Yes, the recycling centre is open on bank holidays, 8am to 4pm.",
    )
    services.draft_submit(draft=reply, by=officer)

    # A two-step chain on the second account: the service's reviewer, then Communications. One draft
    # under it has its first step approved and waits for Comms.
    services.chain_save(
        by=comms,
        name="Reviewer, then Communications",
        steps=[{"roles": [StepRole.REVIEWERS]}, {"roles": [StepRole.COMMS]}],
        account=second,
    )
    chained = services.draft_create(
        by=officer,
        account=second,
        text="Bulky waste collections can now be booked online at northfield.gov.uk/bulky",
    )
    services.draft_submit(draft=chained, by=officer)
    services.draft_approve(draft=chained, by=reviewer, revision_number=1)
    return Draft.objects.count()  # all new: the function returns early once drafts exist
