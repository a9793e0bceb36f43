"""The records behind each figure (the drill-down), each list cut to what the person may see in the
app that owns the records. Blocking has none here: auditors read blocking in aggregate only, and
Comms follow its figures to the blocking pages."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from dashboard import indicators as ind


def _accounts(period, area, which: str) -> QuerySet:
    from accounts_registry.models import Account, AccountStatus

    accounts = Account.objects.all()
    if area is not None:
        accounts = accounts.filter(service_area=area)
    if which == "all":
        return accounts
    if which == "dormant":
        return accounts.filter(status=AccountStatus.DORMANT)
    accounts = accounts.open()
    if which == "below":
        from accounts_registry.models import PostingFrequency

        below = Q()
        for f in PostingFrequency:
            below |= Q(posting_frequency=f.value, posts_last_30_days__lt=f.posts_per_30_days)
        live = [AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.DORMANT]
        return accounts.filter(below, status__in=live)
    return accounts


def _drafts(period, area, which: str) -> QuerySet:
    from content_review.models import Draft, DraftKind

    if which == "decided":
        decided = ind.decisions(period, area).filter(draft=OuterRef("pk"))
        return Draft.objects.filter(Exists(decided))
    drafts = ind.published_drafts(period, area)
    return {
        "posts": drafts.filter(kind=DraftKind.POST),
        "replies": drafts.filter(kind=DraftKind.REPLY),
        "normal": drafts.filter(urgent=False),
        "urgent": drafts.filter(urgent=True),
        "pre_election": drafts.filter(approved_during_pre_election=True),
    }[which]


def _messages(period, area, which: str) -> QuerySet:
    from django.utils import timezone

    found = ind.messages(period, area)
    return {
        "judged": lambda: found.filter(ind.judged(timezone.now())),
        "replied": lambda: found.filter(replied_at__isnull=False),
        "breached": lambda: found.filter(breached_at__isnull=False),
        "closed": lambda: found.filter(closed_at__isnull=False),
    }[which]()


def _requests(period, area, which: str) -> QuerySet:
    moment = period.as_of
    return (
        ind.waiting_requests(area)
        .filter(created_at__lt=moment)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=moment))
    )


# indicator -> (kind of record, which of them)
BEHIND = {
    "register.accounts_by_platform_and_status": ("account", "all"),
    "register.open_accounts": ("account", "open"),
    "register.officer_in_post_share": ("account", "open"),
    "register.deputy_share": ("account", "open"),
    "register.two_factor_share": ("account", "open"),
    "register.dormant": ("account", "dormant"),
    "register.below_agreed_frequency": ("account", "below"),
    "review.published_posts": ("draft", "posts"),
    "review.published_replies": ("draft", "replies"),
    "review.approved_before_publication_share": ("draft", "normal"),
    "review.urgent_published": ("draft", "urgent"),
    "review.urgent_reviewed_after_share": ("draft", "urgent"),
    "review.approved_during_pre_election": ("draft", "pre_election"),
    "review.median_hours_to_decision": ("draft", "decided"),
    "review.sent_back_share": ("draft", "decided"),
    "responses.within_target_share": ("message", "judged"),
    "responses.median_working_hours": ("message", "replied"),
    "responses.p90_working_hours": ("message", "replied"),
    "responses.breaches": ("message", "breached"),
    "responses.no_reply_needed": ("message", "closed"),
    "responses.no_reply_by_reason": ("message", "closed"),
    "responses.standard_response_share": ("draft", "replies"),
    "training.requests_waiting": ("request", "waiting"),
}
RECORD_TITLES = {
    "register.accounts_by_platform_and_status": "Every account in the register",
    "register.open_accounts": "Open accounts",
    "register.officer_in_post_share": "Open accounts, with their responsible officer",
    "register.deputy_share": "Open accounts, with their deputy",
    "register.two_factor_share": "Open accounts, with two-factor sign-in",
    "register.dormant": "Dormant accounts",
    "register.below_agreed_frequency": "Accounts posting below their agreed frequency",
    "review.published_posts": "Posts published",
    "review.published_replies": "Replies published",
    "review.approved_before_publication_share": "Posts and replies published, urgent ones apart",
    "review.urgent_published": "Posts published urgently, before review",
    "review.urgent_reviewed_after_share": "Posts published urgently, before review",
    "review.approved_during_pre_election": "Posts and replies approved during a pre-election period",
    "review.median_hours_to_decision": "Drafts with a review decision in the period",
    "review.sent_back_share": "Drafts with a review decision in the period",
    "responses.within_target_share": "Messages replied to, or waiting after their due time",
    "responses.median_working_hours": "Messages replied to",
    "responses.p90_working_hours": "Messages replied to",
    "responses.breaches": "Messages whose response time was missed",
    "responses.no_reply_needed": "Messages marked as needing no reply",
    "responses.no_reply_by_reason": "Messages marked as needing no reply",
    "responses.standard_response_share": "Replies published",
    "training.requests_waiting": "Training requests waiting for a session",
}
KINDS = {
    "account": ("accounts_registry", _accounts, ["service_area", "responsible_officer", "deputy"]),
    "draft": ("content_review", _drafts, ["account", "author", "standard_response"]),
    "message": ("content_review", _messages, ["account"]),
    "request": ("training", _requests, ["requester", "course"]),
}


def kind_of(name: str) -> str | None:
    from django.apps import apps

    found = BEHIND.get(name)
    if found is None or not apps.is_installed(KINDS[found[0]][0]):
        return None
    return found[0]


def records(name: str, period, area, user) -> QuerySet:
    """The records behind the figure `name` that `user` may see, ready to list."""
    kind, which = BEHIND[name]
    _, build, related = KINDS[kind]
    found = build(period, area, which)
    visible = found.model.objects.visible_to(user)
    return found.filter(pk__in=visible.values("pk")).select_related(*related).order_by("pk")
