"""What every register and record page does the same way: fetch what the user may see, and paginate."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404

PAGE_SIZE = 50


def object_for(user, visible: QuerySet, pk: int, perm: str | None = None) -> Model:
    """404 for a record the user may not know exists (not in `visible`); 403 for one they may see
    but not act on (`perm`, checked against the object)."""
    obj = visible.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {visible.model._meta.verbose_name}")
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def paginate(
    request,
    queryset: QuerySet,
    per_page: int = PAGE_SIZE,
    count: int | None = None,
    *,
    counted: QuerySet | None = None,
) -> tuple[Page, str]:
    """The requested page, and the query string without `page` (for the pagination links). `count`:
    the number of rows when the caller already knows it (no COUNT query); `counted`: the same rows
    without what only the page's rows need (annotations whose joins the count would otherwise keep)."""
    query = request.GET.copy()
    query.pop("page", None)
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not asked of the database
    elif counted is not None:
        paginator.count = counted.count()  # not asked of `queryset`
    return paginator.get_page(request.GET.get("page")), query.urlencode()
