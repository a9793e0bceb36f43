from django.apps import apps
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from core import attention
from core.actions import Refused
from core.contributions import governed_models, nav_items
from core.history import history_for


@require_GET
def home(request):
    return render(request, "core/home.html", {"attention_items": attention.items_for(request.user)})


@login_not_required
@require_GET
def accessibility(request):
    # What the service does is what its apps declare, so the statement never names a part that is not there.
    return render(request, "core/accessibility.html", {"sections": [item.label for item in nav_items()]})


@require_GET
@permission_required("core.view_history", raise_exception=True)
def history(request, model: str, pk: str):
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404("No such kind of record") from None
    if model_class._meta.label_lower not in governed_models():
        raise Http404("No history is kept for this kind of record")
    obj = model_class._default_manager.filter(pk=pk).first() if pk.isdigit() else None
    if obj is None:
        raise Http404("No such record")
    return render(
        request,
        "core/history.html",
        {"object": obj, "model_name": model_class._meta.verbose_name, "entries": history_for(obj)},
    )


def permission_denied(request, exception=None):
    """A refusal that says why (core.actions.Refused) shows its reason; anything else the general page.
    "Go back" only to a page of this service."""
    referer = request.headers.get("Referer", "")
    back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else ""
    reason = exception.reason if isinstance(exception, Refused) else ""
    return render(request, "403.html", {"reason": reason, "back_url": back}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke the page may break them too.
    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))
