"""The dashboard page, the records behind each figure, and the dashboard as a spreadsheet. Every view
needs dashboard.view_dashboard; a head of service sees their own service area only, whatever the
address asks for."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.pages import paginate
from dashboard import charts
from dashboard.figures import cache_key, figures
from dashboard.forms import DashboardFilter
from dashboard.indicators import Period
from dashboard.permissions import areas_for
from dashboard.records import RECORD_TITLES, kind_of, records

VIEW = "dashboard.view_dashboard"


def _filters(request) -> tuple[DashboardFilter, Period, object | None]:
    """The form and the period and service area it gives (the defaults when it is not valid)."""
    areas = areas_for(request.user)
    if areas is not None and not areas.exists():
        raise PermissionDenied
    data = request.GET.copy() if request.GET else None
    if data is not None and areas is not None and not areas.filter(code=data.get("area", "")).exists():
        data["area"] = areas.first().code  # a head of service's own area, whatever was asked for
    form = DashboardFilter(data, areas=areas)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["area"]
    return form, Period.default(), (areas.first() if areas is not None else None)


def _drill_links(dashboard, user, query: str) -> dict[str, str]:
    links = {}
    for name in dashboard.indicators():
        if kind_of(name):
            links[name] = f"{reverse('dashboard:records', args=[name])}?{query}"
        elif name.startswith("blocking.") and user.has_perm("dashboard.drill_blocking"):
            links[name] = reverse("blocking:register")
        elif name == "training.fully_trained_share" and user.has_perm("training.view_compliance"):
            links[name] = reverse("training:compliance")
    return links


def _query(period: Period, area) -> str:
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for prefix, day in (("start", period.start), ("end", period.end)):
        q[f"{prefix}_0"], q[f"{prefix}_1"], q[f"{prefix}_2"] = day.day, day.month, day.year
    if area is not None:
        q["area"] = area.code
    return q.urlencode()


@require_GET
@permission_required(VIEW, raise_exception=True)
def home(request):
    form, period, area = _filters(request)
    found = figures(period, area)
    dashboard = found.dashboard
    query = _query(period, area)
    links = _drill_links(dashboard, request.user, query)
    kept = settings.DASHBOARD_CACHE_SECONDS
    asked = form.data.urlencode() if form.is_bound else ""
    every_area = areas_for(request.user) is None
    return render(
        request,
        "dashboard/home.html",
        {
            "form": form,
            "dashboard": dashboard,
            # Called by the template only when the tables are drawn (not when they come from the cache).
            "sections": lambda: [
                (s, [(i, charts.bars(i)) for i in s.indicators]) for s in dashboard.sections
            ],
            "links": links,
            # Drawing the tables and the filter form is most of a request's time once the figures are
            # kept, so each is kept as long as the figures, for exactly what it shows: the tables for
            # these figures and these links; the form for what was asked, today (its default period),
            # for those choosing among every service area (a new service area shows within that time; a head
            # of service's form is drawn each time).
            "kept_seconds": kept,
            "drawn_for": f"{cache_key(period, area)}|{found.as_at.isoformat()}|{sorted(links.items())}",
            "form_kept_seconds": kept if every_area else 0,
            "form_drawn_for": f"{timezone.localdate()}|{'all' if every_area else request.user.pk}|{asked}",
            "questionnaire": found.questionnaire,
            "comparisons": found.comparisons,
            "as_at": found.as_at,
            "kept_minutes": kept // 60,
            "query": query,
        },
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def records_page(request, name: str):
    kind = kind_of(name)
    if kind is None:
        raise Http404("No records are listed for this figure")
    _, period, area = _filters(request)
    found = records(name, period, area, request.user)
    page, page_query = paginate(request, found)
    return render(
        request,
        "dashboard/records.html",
        {
            "kind": kind,
            "name": name,
            "label": RECORD_TITLES[name],
            "period": period,
            "area": area,
            "page": page,
            "query": page_query,
            "back": f"{reverse('dashboard:home')}?{_query(period, area)}",
        },
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def export(request, file_format: str):
    import tablib

    from core.spreadsheet import download, protect_row
    from dashboard.report import HEADERS, rows

    _, period, area = _filters(request)
    found = figures(period, area)  # the page's figures, so the file says what the page said
    data = tablib.Dataset(headers=HEADERS)
    for row in rows(found.dashboard, found.comparisons):
        data.append(protect_row(row))
    return download(data, name="dashboard", file_format=file_format, title="Dashboard")


def _exports_for(user):
    from dashboard.models import Export

    return Export.objects.filter(requested_by=user)


@permission_required(VIEW, raise_exception=True)
def exports(request):
    """Ask for an export, and see the ones you asked for."""
    from django.shortcuts import redirect

    from dashboard.forms import ExportForm
    from dashboard.services import export_request

    areas = areas_for(request.user)
    if areas is not None and not areas.exists():
        raise PermissionDenied
    audit = request.user.has_perm("core.view_history")
    form = ExportForm(request.POST or None, areas=areas, audit=audit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        export = export_request(
            by=request.user,
            kind=data["kind"],
            file_format=data["file_format"],
            period=data["period"],
            area=data["area"],
            record_model=data.get("record_model", ""),
            record_pk=data.get("record_pk"),
        )
        return redirect("dashboard:export", export.pk)
    page, query = paginate(request, _exports_for(request.user))
    return render(request, "dashboard/exports.html", {"form": form, "page": page, "query": query})


@require_GET
@permission_required(VIEW, raise_exception=True)
def export_detail(request, pk: int):
    from django.shortcuts import get_object_or_404

    export = get_object_or_404(_exports_for(request.user), pk=pk)
    return render(request, "dashboard/export_detail.html", {"export": export})


@require_GET
@permission_required(VIEW, raise_exception=True)
def export_download(request, pk: int):
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    from dashboard.models import ExportStatus

    export = get_object_or_404(_exports_for(request.user), pk=pk, status=ExportStatus.READY)
    name = export.file.name.rsplit("/", 1)[-1]
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)
