from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from organisation.filters import PersonFilter
from organisation.forms import MarkLeftForm
from organisation.models import User
from organisation.services import person_mark_left

PAGE_SIZE = 50


@require_GET
@permission_required("organisation.view_user", raise_exception=True)
def person_list(request):
    people = User.objects.select_related("service_area", "ward").prefetch_related("groups")
    person_filter = PersonFilter(request.GET, queryset=people)
    page = Paginator(person_filter.qs.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisation/person_list.html",
        {"filter": person_filter, "page": page, "query": query.urlencode()},
    )


@require_GET
@permission_required("organisation.view_user", raise_exception=True)
def person_detail(request, pk: int):
    person = get_object_or_404(User.objects.select_related("service_area", "ward"), pk=pk)
    return render(request, "organisation/person_detail.html", {"person": person})


@require_http_methods(["GET", "POST"])
@permission_required("organisation.mark_left", raise_exception=True)
def person_mark_left_view(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    form = MarkLeftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_mark_left(person=person, left_on=form.cleaned_data["left_on"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{person} is marked as having left. They can no longer sign in.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "organisation/person_mark_left.html", {"person": person, "form": form})
