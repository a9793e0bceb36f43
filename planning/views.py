"""The calendar (list, month and week), the private calendar feed, and campaign pages."""

from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from content_review.models import Campaign, Draft, Revision
from core.actions import Refused
from core.forms import form_page
from core.pages import object_for, paginate
from core.templatetags.dates import govuk_datetime
from planning import calendar as cal
from planning import ics, services
from planning.filters import CalendarFilter
from planning.forms import ApproveTogetherForm, CampaignForm, PostsForm
from planning.models import CalendarFeed
from planning.permissions import CAMPAIGN_ACTIONS, campaigns_visible_to
from planning.selectors import LATE_AFTER, ON_CALENDAR, between, calendar_drafts, day_start, gaps

PERIOD_PARAMS = ("month", "week", "start", "page")
LIST_DAYS = 30  # the gaps a list view shows: from its first day, this many days


def _filtered(request) -> tuple[CalendarFilter, str]:
    """The calendar's filters, and the query string that keeps them when the view or period changes."""
    found = CalendarFilter(request.GET, queryset=calendar_drafts(request.user), request=request)
    keep = request.GET.copy()
    for name in PERIOD_PARAMS:
        keep.pop(name, None)
    return found, keep.urlencode()


def _context(request, found, filters: str, view: str, first, last, **extra) -> dict:
    return {
        "filter": found,
        "filters": filters,
        "view": view,
        "gaps": gaps(request.user, first, last, found.accounts()),
        "first": first,
        "last": last,
        "today": timezone.localdate(),
        "late_before": timezone.now() - LATE_AFTER,
        **extra,
    }


calendar_page = permission_required("content_review.view_area", raise_exception=True)


@require_GET
@calendar_page
def calendar_list(request):
    """The accessible default: from a day on (today unless ?start=), grouped by day, 50 to a page."""
    found, filters = _filtered(request)
    start = cal.start_of(request.GET)
    drafts = found.qs if found.late_only else found.qs.filter(due__gte=day_start(start))
    page, query = paginate(request, drafts)
    days = [
        (day, list(items)) for day, items in groupby(page.object_list, lambda d: timezone.localdate(d.due))
    ]
    context = _context(
        request,
        found,
        filters,
        "list",
        start,
        start + timedelta(days=LIST_DAYS - 1),
        page=page,
        query=query,
        days=days,
        earlier=start - timedelta(days=LIST_DAYS),
    )
    return render(request, "planning/calendar_list.html", context)


@require_GET
@calendar_page
def calendar_month(request):
    found, filters = _filtered(request)
    first = cal.month_of(request.GET)
    weeks = cal.month_grid(first)
    last = cal.next_month(first) - timedelta(days=1)
    drafts = list(between(found.qs, weeks[0][0].day, weeks[-1][-1].day)[: cal.MOST_ITEMS + 1])
    cal.place([d for week in weeks for d in week], drafts[: cal.MOST_ITEMS])
    context = _context(
        request,
        found,
        filters,
        "month",
        first,
        last,
        weeks=weeks,
        too_many=len(drafts) > cal.MOST_ITEMS,
        most=cal.MOST_ITEMS,
        previous=cal.previous_month(first),
        next=cal.next_month(first),
    )
    return render(request, "planning/calendar_month.html", context)


@require_GET
@calendar_page
def calendar_week(request):
    found, filters = _filtered(request)
    first = cal.week_of(request.GET)
    days = [cal.Day(first + timedelta(days=n)) for n in range(7)]
    last = days[-1].day
    drafts = list(between(found.qs, first, last)[: cal.MOST_ITEMS])
    cal.place(days, drafts)
    context = _context(
        request,
        found,
        filters,
        "week",
        first,
        last,
        days=days,
        previous=first - timedelta(days=7),
        next=first + timedelta(days=7),
    )
    return render(request, "planning/calendar_week.html", context)


# ---------------------------------------------------------------------------------------------------
# The private calendar feed

FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=366)
FEED_MOST = 1_000


@require_http_methods(["GET", "POST"])
@calendar_page
def feed(request):
    """The person's feed address: make one, make a new one (the old stops working), or stop it."""
    if request.method == "POST":
        what = request.POST.get("do")
        if what == "create":
            services.feed_create(person=request.user)
            messages.success(
                request, "Your calendar address is ready. The address you had before no longer works."
            )
        elif what == "revoke":
            services.feed_revoke(person=request.user)
            messages.success(request, "Your calendar address no longer works.")
        return redirect("planning:feed")
    existing = CalendarFeed.objects.filter(person=request.user).first()
    address = (
        settings.SITE_URL + reverse("planning:ics", args=[existing.token])
        if existing and existing.token
        else ""
    )
    return render(request, "planning/feed.html", {"feed": existing, "address": address})


@login_not_required
@require_GET
def feed_ics(request, token: str):
    """The feed itself, opened by a calendar program with no sign-in: the token is the key. Only the
    drafts its owner may see now; a revoked or unknown token is a 404."""
    owner = services.feed_owner(token)
    if owner is None:
        raise Http404("No such calendar")
    now = timezone.now()
    drafts = calendar_drafts(owner).filter(due__gte=now - FEED_PAST, due__lt=now + FEED_FUTURE)[:FEED_MOST]
    events = [
        {
            "uid": f"draft-{d.pk}@{request.get_host()}",
            "start": d.due,
            "summary": f"{d.get_status_display()}: {d.account.display_name}",
            "description": d.text,
            "url": settings.SITE_URL + reverse("content:detail", args=[d.pk]),
        }
        for d in drafts
    ]
    body = ics.calendar(f"Social media calendar: {owner}", events, now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# ---------------------------------------------------------------------------------------------------
# Campaigns


def _campaign_for(user, pk: int, action: str | None = None) -> Campaign:
    campaign = object_for(user, campaigns_visible_to(user).select_related("owner", "service_area"), pk)
    if action:
        CAMPAIGN_ACTIONS.require(action, campaign, user)
    return campaign


@require_GET
@calendar_page
def campaigns(request):
    seen = Draft.objects.visible_to(request.user).filter(campaign=OuterRef("pk")).order_by()
    found = (
        campaigns_visible_to(request.user)
        .select_related("owner", "service_area")
        .annotate(posts=Coalesce(Subquery(seen.values("campaign").annotate(n=Count("pk")).values("n")), 0))
    )
    page, query = paginate(request, found)
    return render(
        request,
        "planning/campaigns.html",
        {"page": page, "query": query, "may_add": request.user.has_perm("planning.add_campaign")},
    )


@require_GET
def campaign_detail(request, pk: int):
    campaign = _campaign_for(request.user, pk)
    drafts = (
        Draft.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .annotate(due=Coalesce("published_at", "planned_for"))
        .select_related("account", "account__service_area", "author")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )
    page, query = paginate(request, drafts)
    context = {
        "campaign": campaign,
        "actions": CAMPAIGN_ACTIONS.for_record(campaign, request.user),
        "page": page,
        "query": query,
        "late_before": timezone.now() - LATE_AFTER,
    }
    return render(request, "planning/campaign_detail.html", context)


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    if pk is None:
        if not request.user.has_perm("planning.add_campaign"):
            raise Refused("Your role does not let you make campaigns: ask the Communications team.")
        campaign = None
    else:
        campaign = _campaign_for(request.user, pk, "edit")
    may_set_owner = request.user.has_perm("planning.set_campaign_owner")
    form = CampaignForm(request.POST or None, instance=campaign, may_set_owner=may_set_owner)
    return form_page(
        request,
        form,
        lambda data: services.campaign_save(by=request.user, data=data, campaign=campaign),
        template="includes/simple_form.html",
        context={
            "heading": "Change the campaign" if campaign else "New campaign",
            "caption": str(campaign) if campaign else "",
            "back_url": reverse("planning:campaign", args=[campaign.pk])
            if campaign
            else reverse("planning:campaigns"),
        },
        success="Campaign saved.",
        redirect_to=lambda saved: reverse("planning:campaign", args=[saved.pk]),
    )


POSTS_OFFERED = 200


@require_http_methods(["GET", "POST"])
def campaign_posts(request, pk: int):
    """Choose the campaign's posts among those the person may see that are still to go out, or in it."""
    campaign = _campaign_for(request.user, pk, "posts")
    offered = list(
        Draft.objects.visible_to(request.user)
        .filter(kind="post")
        .filter(Q(campaign=campaign) | Q(campaign__isnull=True, status__in=ON_CALENDAR))
        .select_related("account")
        .order_by(F("planned_for").asc(nulls_last=True), "-pk")[:POSTS_OFFERED]
    )
    choices = [
        (
            d.pk,
            f"{d.account.display_name}: {d.text[:60]}"
            + (f" ({govuk_datetime(d.planned_for)})" if d.planned_for else "")
            + f", {d.get_status_display().lower()}",
        )
        for d in offered
    ]
    initial = {"drafts": [d.pk for d in offered if d.campaign_id == campaign.pk]}
    # Every box unticked posts nothing at all: still a submitted form.
    form = PostsForm(request.POST if request.method == "POST" else None, choices=choices, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.campaign_set_posts(
            by=request.user,
            campaign=campaign,
            chosen={int(v) for v in data["drafts"]},
            offered={d.pk for d in offered},
        ),
        template="includes/simple_form.html",
        context={
            "heading": "Choose the campaign's posts",
            "caption": str(campaign),
            "intro": "Posts you may see that are still to go out, soonest first.",
            "back_url": reverse("planning:campaign", args=[campaign.pk]),
        },
        success=lambda n: f"The campaign has {n} post{'s' if n != 1 else ''}.",
        redirect_to=reverse("planning:campaign", args=[campaign.pk]),
    )


@require_http_methods(["GET", "POST"])
def campaign_approve(request, pk: int):
    """Comms approve the waiting posts together: each is approved on its own, and the page says which
    were approved and which were not, and why."""
    campaign = _campaign_for(request.user, pk, "approve")
    waiting = list(services.campaign_drafts_to_approve(by=request.user, campaign=campaign)[:POSTS_OFFERED])
    revisions = dict(
        Revision.objects.filter(draft__in=[d.pk for d in waiting])
        .values("draft")
        .annotate(latest=Max("number"))
        .values_list("draft", "latest")
    )
    outcomes = None
    form = ApproveTogetherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcomes = services.campaign_approve_together(
            by=request.user, campaign=campaign, revisions=form.revisions()
        )
    shown = ",".join(f"{d.pk}:{revisions[d.pk]}" for d in waiting if d.pk in revisions)
    context = {
        "campaign": campaign,
        "waiting": waiting,
        "shown": shown,
        "outcomes": outcomes,
        "approved": [o for o in outcomes or [] if o.approved],
        "refused": [o for o in outcomes or [] if not o.approved],
    }
    return render(request, "planning/campaign_approve.html", context)
