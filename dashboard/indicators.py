"""The auditors' indicators: is the social media policy embedded? Each one is counted in PostgreSQL
(aggregates with FILTER, percentile_cont, working hours in SQL), never by looping over rows here, for a
period (local dates, both days included) and, optionally, one service area.

Each app's section is computed only when that app is installed, so the dashboard keeps working (with
fewer sections) when an app is left out. A few queries per section, whatever the number of records,
plus one per month of the period for the training trend (a period is at most MAX_MONTHS long).

Shares are percentages with one decimal (None when there is nothing to divide by), hours have two
decimals. What each figure counts is said in its `label` and `about` (shown on the page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db.models import Case, Count, Exists, F, FloatField, Func, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dashboard.sql import Percentile, WorkingHoursBetween

MAX_MONTHS = 36
ONE_DP, TWO_DP = Decimal("0.1"), Decimal("0.01")


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def share(count: int | None, base: int | None) -> Decimal | None:
    """count as a percentage of base, one decimal (half up); None with no base."""
    if not base:
        return None
    return (Decimal(count or 0) * 100 / Decimal(base)).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def hours(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_DP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    start: date  # first day counted
    end: date  # last day counted

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        """The last twelve months: from the first of the month eleven months ago to today."""
        today = today or timezone.localdate()
        first = today.replace(day=1)
        for _ in range(11):
            first = (first - timedelta(days=1)).replace(day=1)
        return cls(first, today)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=local_zone())

    @property
    def until(self) -> datetime:
        """The moment after the last day (exclusive)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=local_zone())

    @property
    def as_of(self) -> datetime:
        """The moment a "still waiting" figure is read: the period's end, or now if that is sooner."""
        return min(self.until, timezone.now())

    def moments(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.since, f"{name}__lt": self.until})

    def days(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lte": self.end})

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        month, found = self.start.replace(day=1), []
        while month <= self.end:
            found.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return found


@dataclass
class Indicator:
    name: str  # dotted, e.g. "review.approved_before_publication_share"
    label: str
    kind: str  # "count", "share", "hours" or "breakdown" (a dict)
    value: object
    count: int | None = None  # a share's numerator
    base: int | None = None  # a share's denominator
    about: str = ""
    trend: list[tuple[date, object]] = field(default_factory=list)


@dataclass
class Section:
    code: str
    title: str
    indicators: list[Indicator]
    note: str = ""
    extra: dict = field(default_factory=dict)  # counts other parts need (said versus did)


@dataclass
class Dashboard:
    period: Period
    service_area: object | None
    sections: list[Section]

    def indicators(self) -> dict[str, Indicator]:
        return {i.name: i for s in self.sections for i in s.indicators}

    def values(self) -> dict[str, object]:
        return {name: i.value for name, i in self.indicators().items()}


def _monthly(queryset, field_name: str, *, dates: bool = False, **aggregates) -> dict[date, dict]:
    """One grouped query: month (local) -> the aggregates over that month's rows."""
    month = TruncMonth(field_name) if dates else TruncMonth(field_name, tzinfo=local_zone())
    rows = queryset.annotate(month=month).values("month").annotate(**aggregates).order_by("month")
    found = {}
    for row in rows:
        key = row.pop("month")
        found[key.date() if isinstance(key, datetime) else key] = row
    return found


def _trend(period: Period, monthly: dict[date, dict], value: Callable[[dict], object], empty: dict):
    return [(m, value(monthly.get(m, empty))) for m in period.months()]


def _summed(monthly: dict[date, dict], empty: dict) -> dict:
    """The period's counts from its months' (each row is counted in the month it falls in, and the
    months cover the period): one scan of the rows instead of two. Not for percentiles."""
    return {key: sum(row[key] for row in monthly.values()) for key in empty}


# ---------------------------------------------------------------------------------------------------
# The register (as it stands now: the register keeps no month-by-month state to trend)


def register_section(period: Period, area) -> Section:
    from accounts_registry.models import Account, AccountStatus, PostingFrequency

    accounts = Account.objects.all()
    if area is not None:
        accounts = accounts.filter(service_area=area)
    by = {}
    for row in accounts.order_by("platform", "status").values("platform", "status").annotate(n=Count("pk")):
        by.setdefault(row["platform"], {})[row["status"]] = row["n"]
    expected = Case(
        *[When(posting_frequency=f.value, then=Value(f.posts_per_30_days)) for f in PostingFrequency],
        output_field=IntegerField(),
    )
    live = [AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.DORMANT]
    in_post = Q(responsible_officer__left_on__isnull=True, responsible_officer__is_active=True)
    deputy_in_post = Q(deputy__isnull=False, deputy__left_on__isnull=True, deputy__is_active=True)
    n = (
        accounts.open()
        .annotate(expected_posts=expected)
        .aggregate(
            base=Count("pk"),
            in_post=Count("pk", filter=in_post),
            deputy=Count("pk", filter=deputy_in_post),
            two_factor=Count("pk", filter=Q(two_factor_enabled=True)),
            dormant=Count("pk", filter=Q(status=AccountStatus.DORMANT)),
            below=Count(
                "pk",
                filter=Q(
                    status__in=live,
                    posts_last_30_days__isnull=False,
                    posts_last_30_days__lt=F("expected_posts"),
                ),
            ),
        )
    )
    open_words = "of open accounts (approved, active, dormant or closing)"
    return Section(
        "register",
        "The register of accounts",
        [
            Indicator(
                "register.accounts_by_platform_and_status",
                "Accounts by platform and status",
                "breakdown",
                by,
                about="Every account in the register, whatever its status.",
            ),
            Indicator("register.open_accounts", "Open accounts", "count", n["base"], about=open_words),
            Indicator(
                "register.officer_in_post_share",
                "With a responsible officer in post",
                "share",
                share(n["in_post"], n["base"]),
                n["in_post"],
                n["base"],
                about=f"Share {open_words} whose responsible officer has not left.",
            ),
            Indicator(
                "register.deputy_share",
                "With a deputy",
                "share",
                share(n["deputy"], n["base"]),
                n["deputy"],
                n["base"],
                about=f"Share {open_words} with a deputy who has not left.",
            ),
            Indicator(
                "register.two_factor_share",
                "With two-factor sign-in",
                "share",
                share(n["two_factor"], n["base"]),
                n["two_factor"],
                n["base"],
                about=f"Share {open_words} with two-factor sign-in on.",
            ),
            Indicator("register.dormant", "Dormant accounts", "count", n["dormant"]),
            Indicator(
                "register.below_agreed_frequency",
                "Posting below their agreed frequency",
                "count",
                n["below"],
                about="Approved, active or dormant accounts whose last check found fewer posts in 30 days "
                "than their agreed frequency.",
            ),
        ],
        note="As the register stands today.",
    )


# ---------------------------------------------------------------------------------------------------
# Review and responses


class Hours(Func):
    """The hours from the first expression to the second (wall-clock)."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, start, end):
        super().__init__(end, start)


def published_drafts(period: Period, area):
    from content_review.models import Draft, DraftEvent, DraftStatus

    approved = DraftEvent.objects.filter(draft=OuterRef("pk"), action=DraftEvent.Action.APPROVED)
    drafts = Draft.objects.filter(period.moments("published_at"), status=DraftStatus.PUBLISHED)
    if area is not None:
        drafts = drafts.filter(account__service_area=area)
    return drafts.annotate(approved_before=Exists(approved))


def decisions(period: Period, area):
    from content_review.models import DraftEvent

    events = DraftEvent.objects.filter(period.moments("created_at"), action__in=DraftEvent.DECISIONS)
    if area is not None:
        events = events.filter(draft__account__service_area=area)
    return events


def messages(period: Period, area):
    """Messages from the public received in the period."""
    from content_review.models import InboundMessage

    found = InboundMessage.objects.filter(period.moments("received_at"))
    if area is not None:
        found = found.filter(account__service_area=area)
    return found


def judged(now: datetime) -> Q:
    """Messages whose reply is in, or is late: those marked "no reply needed" and those still open
    before their due time are not judged yet."""
    return Q(replied_at__isnull=False) | Q(replied_at__isnull=True, closed_at__isnull=True, due_at__lt=now)


ON_TIME = Q(replied_at__isnull=False, replied_at__lte=F("due_at"))


def _draft_counts():
    from content_review.models import DraftKind

    post, reply = Q(kind=DraftKind.POST), Q(kind=DraftKind.REPLY)
    return {
        "posts": Count("pk", filter=post),
        "replies": Count("pk", filter=reply),
        "normal": Count("pk", filter=Q(urgent=False)),
        "approved": Count("pk", filter=Q(urgent=False, approved_before=True)),
        "urgent_n": Count("pk", filter=Q(urgent=True)),
        "urgent_reviewed": Count("pk", filter=Q(urgent=True, post_reviewed_at__isnull=False)),
        "pre_election": Count("pk", filter=Q(approved_during_pre_election=True)),
        "standard": Count("pk", filter=reply & Q(standard_response__isnull=False)),
        "replies_reviewed": Count("pk", filter=reply & Q(urgent=False, approved_before=True)),
        "replies_normal": Count("pk", filter=reply & Q(urgent=False)),
    }


def _decision_counts():
    from content_review.models import DraftEvent

    return {
        "decisions": Count("pk"),
        "sent_back": Count("pk", filter=Q(action=DraftEvent.Action.CHANGES_REQUESTED)),
        "median": Percentile(Hours(F("revision__submitted_at"), F("created_at")), 0.5),
    }


def _message_counts(now: datetime):
    from content_review.models import NoReplyReason
    from content_review.working_hours import WorkingCalendar

    worked = WorkingHoursBetween(F("received_at"), F("replied_at"), WorkingCalendar.from_settings())
    replied = Q(replied_at__isnull=False)
    return {
        "judged": Count("pk", filter=judged(now)),
        "on_time": Count("pk", filter=ON_TIME),
        "replied": Count("pk", filter=replied),
        "median": Percentile(worked, 0.5, filter=replied),
        "p90": Percentile(worked, 0.9, filter=replied),
        "breaches": Count("pk", filter=Q(breached_at__isnull=False)),
        "no_reply": Count("pk", filter=Q(closed_at__isnull=False)),
        **{
            f"reason_{code}": Count("pk", filter=Q(closed_at__isnull=False) & _reason_is(code))
            for code in NoReplyReason.values
        },
    }


def _reason_is(code: str) -> Q:
    """A closed message's reason; one closed without a code counts as "other"."""
    from content_review.models import NoReplyReason

    if code != NoReplyReason.OTHER:
        return Q(closed_code=code)
    return Q(closed_code=code) | Q(closed_code__isnull=True) | Q(closed_code="")


def content_sections(period: Period, area) -> list[Section]:
    from content_review.models import NoReplyReason

    drafts = published_drafts(period, area)
    d_counts = _draft_counts()
    d_month = _monthly(drafts, "published_at", **d_counts)
    d0 = dict.fromkeys(d_counts, 0)
    d = _summed(d_month, d0)
    dec = decisions(period, area)
    e = dec.aggregate(**_decision_counts())
    e_month = _monthly(dec, "created_at", **_decision_counts())
    now = timezone.now()
    msgs = messages(period, area)
    m = msgs.aggregate(**_message_counts(now))
    m_month = _monthly(msgs, "received_at", **_message_counts(now))
    reasons = {code: sum(row[f"reason_{code}"] for row in m_month.values()) for code in NoReplyReason.values}

    def trend(monthly, value, empty):
        return _trend(period, monthly, value, empty)

    e0 = {"decisions": 0, "sent_back": 0, "median": None}
    m0 = {key: None if key in ("median", "p90") else 0 for key in _message_counts(now)}
    review = Section(
        "review",
        "Review of posts and replies",
        [
            Indicator(
                "review.published_posts",
                "Posts published",
                "count",
                d["posts"],
                trend=trend(d_month, lambda r: r["posts"], d0),
            ),
            Indicator(
                "review.published_replies",
                "Replies published",
                "count",
                d["replies"],
                trend=trend(d_month, lambda r: r["replies"], d0),
            ),
            Indicator(
                "review.approved_before_publication_share",
                "Approved before publication",
                "share",
                share(d["approved"], d["normal"]),
                d["approved"],
                d["normal"],
                about="Share of the posts and replies published in the period, urgent ones apart, that a "
                "reviewer approved before they went out.",
                trend=trend(d_month, lambda r: share(r["approved"], r["normal"]), d0),
            ),
            Indicator(
                "review.urgent_published",
                "Published urgently, before review",
                "count",
                d["urgent_n"],
                trend=trend(d_month, lambda r: r["urgent_n"], d0),
            ),
            Indicator(
                "review.urgent_reviewed_after_share",
                "Urgent posts reviewed after publication",
                "share",
                share(d["urgent_reviewed"], d["urgent_n"]),
                d["urgent_reviewed"],
                d["urgent_n"],
                trend=trend(d_month, lambda r: share(r["urgent_reviewed"], r["urgent_n"]), d0),
            ),
            Indicator(
                "review.approved_during_pre_election",
                "Approved during a pre-election period",
                "count",
                d["pre_election"],
                about="Posts and replies published in the period that were approved while a pre-election "
                "period covered their account (each then needed the Communications team's approval last).",
                trend=trend(d_month, lambda r: r["pre_election"], d0),
            ),
            Indicator(
                "review.median_hours_to_decision",
                "Median hours from submission to decision",
                "hours",
                hours(e["median"]),
                base=e["decisions"],
                about="Over the decisions made in the period (approved, sent back or rejected), "
                "from the revision's submission, in hours on the clock.",
                trend=trend(e_month, lambda r: hours(r["median"]), e0),
            ),
            Indicator(
                "review.sent_back_share",
                "Sent back for changes",
                "share",
                share(e["sent_back"], e["decisions"]),
                e["sent_back"],
                e["decisions"],
                about="Share of the decisions made in the period that asked for changes.",
                trend=trend(e_month, lambda r: share(r["sent_back"], r["decisions"]), e0),
            ),
        ],
    )
    responses = Section(
        "responses",
        "Responses to the public",
        [
            Indicator(
                "responses.within_target_share",
                "Answered within the agreed response time",
                "share",
                share(m["on_time"], m["judged"]),
                m["on_time"],
                m["judged"],
                about="Of the messages received in the period that were replied to, or are still waiting "
                "after their due time: the share replied to by the due time. Messages needing no reply, "
                "and those not yet due, are left out.",
                trend=trend(m_month, lambda r: share(r["on_time"], r["judged"]), m0),
            ),
            Indicator(
                "responses.median_working_hours",
                "Median response time (working hours)",
                "hours",
                hours(m["median"]),
                base=m["replied"],
                trend=trend(m_month, lambda r: hours(r["median"]), m0),
            ),
            Indicator(
                "responses.p90_working_hours",
                "90th percentile response time (working hours)",
                "hours",
                hours(m["p90"]),
                base=m["replied"],
                trend=trend(m_month, lambda r: hours(r["p90"]), m0),
            ),
            Indicator(
                "responses.breaches",
                "Response times missed",
                "count",
                m["breaches"],
                about="Messages received in the period whose response time was missed, whether or not "
                "a late reply has gone out since.",
                trend=trend(m_month, lambda r: r["breaches"], m0),
            ),
            Indicator(
                "responses.no_reply_needed",
                "Marked as needing no reply",
                "count",
                m["no_reply"],
                trend=trend(m_month, lambda r: r["no_reply"], m0),
            ),
            Indicator(
                "responses.no_reply_by_reason",
                "No reply needed, by reason",
                "breakdown",
                reasons,
            ),
            Indicator(
                "responses.standard_response_share",
                "Replies from a standard response",
                "share",
                share(d["standard"], d["replies"]),
                d["standard"],
                d["replies"],
                about="Share of the replies published in the period that started from a standard response.",
                trend=trend(d_month, lambda r: share(r["standard"], r["replies"]), d0),
            ),
        ],
    )
    # For said versus did: replies (urgent ones apart) approved before they went out.
    responses.extra = {"replies_reviewed": (d["replies_reviewed"], d["replies_normal"])}
    return [review, responses]


# ---------------------------------------------------------------------------------------------------
# Blocking (aggregates only: no personal data leaves the blocking app here)


def referrals(period: Period, area):
    from blocking.models import Referral

    found = Referral.objects.filter(period.moments("created_at"))
    return found.filter(account__service_area=area) if area is not None else found


def blocks(period: Period, area):
    from blocking.models import Block

    found = Block.objects.filter(period.days("blocked_on"))
    return found.filter(account__service_area=area) if area is not None else found


REASON_RECORDED = ~Q(reason__regex=r"^\s*$")


def overdue_blocks(area, today: date | None = None):
    from blocking.models import Block, BlockStatus

    today = today or timezone.localdate()
    found = Block.objects.filter(status__in=[BlockStatus.ACTIVE, BlockStatus.REVIEW_DUE], review_on__lt=today)
    return found.filter(account__service_area=area) if area is not None else found


def blocking_section(period: Period, area) -> Section:
    r_month = _monthly(referrals(period, area), "created_at", n=Count("pk"))
    b_counts = {"n": Count("pk"), "reasoned": Count("pk", filter=REASON_RECORDED)}
    b_month = _monthly(blocks(period, area), "blocked_on", dates=True, **b_counts)
    zero = {"n": 0, "reasoned": 0}
    b = _summed(b_month, zero)
    referral_count = sum(row["n"] for row in r_month.values())
    from dashboard.said_vs_did import accounts_blocking

    section = Section(
        "blocking",
        "Blocking",
        [
            Indicator(
                "blocking.referrals",
                "Referrals made",
                "count",
                referral_count,
                trend=_trend(period, r_month, lambda r: r["n"], zero),
            ),
            Indicator(
                "blocking.blocks",
                "Blocks",
                "count",
                b["n"],
                about="Blocks starting in the period, however they were recorded.",
                trend=_trend(period, b_month, lambda r: r["n"], zero),
            ),
            Indicator(
                "blocking.blocks_with_reason_share",
                "Blocks with a recorded reason",
                "share",
                share(b["reasoned"], b["n"]),
                b["reasoned"],
                b["n"],
                about="It should be 100%.",
                trend=_trend(period, b_month, lambda r: share(r["reasoned"], r["n"]), zero),
            ),
            Indicator(
                "blocking.overdue_for_review",
                "Blocks overdue for review",
                "count",
                overdue_blocks(area).count(),
                about="Blocks in force whose review date has passed (today).",
            ),
        ],
    )
    # For said versus did: accounts that blocked someone in the period, of the open accounts.
    section.extra = {"accounts_blocking": accounts_blocking(period, area)}
    return section


# ---------------------------------------------------------------------------------------------------
# Training


def people_in(area):
    from organisation.models import User

    return User.objects.filter(service_area=area) if area is not None else User.objects.all()


def waiting_requests(area):
    from training.models import TrainingRequest

    found = TrainingRequest.objects.all()
    return found.filter(requester__service_area=area) if area is not None else found


def _month_end(month: date, period: Period) -> date:
    return min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), period.end)


def training_section(period: Period, area) -> Section:
    from training.requirements import overall

    today = timezone.localdate()
    day = min(period.end, today)
    on_day: dict[date, dict] = {}  # the last month's figures are the period's: counted once

    def figures(day: date) -> dict:
        if day not in on_day:
            on_day[day] = overall(day=day, people=people_in(area))
        return on_day[day]

    now = figures(day)
    months = [m for m in period.months() if m <= today]
    trained_trend = []
    for month in months:
        counted = figures(min(_month_end(month, period), today))
        trained_trend.append((month, share(counted["fully_trained"], counted["people"])))
    moments = {
        f"m{i}": datetime.combine(_month_end(m, period) + timedelta(days=1), time.min, tzinfo=local_zone())
        for i, m in enumerate(period.months())
    }
    moments["end"] = period.as_of
    waiting = waiting_requests(area).aggregate(
        **{
            key: Count(
                "pk",
                filter=Q(created_at__lt=moment) & (Q(decided_at__isnull=True) | Q(decided_at__gte=moment)),
            )
            for key, moment in moments.items()
        }
    )
    return Section(
        "training",
        "Training",
        [
            Indicator(
                "training.fully_trained_share",
                "Fully trained for their responsibilities",
                "share",
                share(now["fully_trained"], now["people"]),
                now["fully_trained"],
                now["people"],
                about="Share of the people (not left) with a responsibility that needs training who hold "
                "every course it needs, on the period's last day.",
                trend=trained_trend,
            ),
            Indicator(
                "training.requests_waiting",
                "Requests waiting for a session",
                "count",
                waiting["end"],
                about="At the end of the period (or now).",
                trend=[(m, waiting[f"m{i}"]) for i, m in enumerate(period.months())],
            ),
        ],
    )


# ---------------------------------------------------------------------------------------------------

SECTIONS = [
    ("accounts_registry", register_section),
    ("content_review", content_sections),
    ("blocking", blocking_section),
    ("training", training_section),
]


def compute(period: Period, service_area=None) -> Dashboard:
    sections: list[Section] = []
    for app_label, build in SECTIONS:
        if not apps.is_installed(app_label):
            continue
        made = build(period, service_area)
        sections.extend(made if isinstance(made, list) else [made])
    return Dashboard(period, service_area, sections)
