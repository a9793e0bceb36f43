from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_page
from core.pages import paginate
from organisation.filters import PersonFilter
from organisation.forms import MarkLeftForm
from organisation.models import User
from organisation.services import person_mark_left


@require_GET
@permission_required("organisation.view_user", raise_exception=True)
def person_list(request):
    people = User.objects.select_related("service_area", "ward").prefetch_related("groups")
    person_filter = PersonFilter(request.GET, queryset=people)
    page, query = paginate(request, person_filter.qs.distinct())
    return render(
        request, "organisation/person_list.html", {"filter": person_filter, "page": page, "query": query}
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
    return form_page(
        request,
        MarkLeftForm(request.POST or None),
        lambda data: person_mark_left(person=person, left_on=data["left_on"], by=request.user),
        template="organisation/person_mark_left.html",
        context={"person": person},
        success=f"{person} is marked as having left. They can no longer sign in.",
        redirect_to=reverse("people:detail", args=[person.pk]),
    )
