from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_page
from core.pages import paginate
from organisation.filters import PersonFilter
from organisation.forms import MarkLeftForm, RoleGrantDecisionForm, RoleGrantRequestForm
from organisation.models import RoleGrant, User
from organisation.permissions import ROLE_GRANT_ACTIONS
from organisation.services import person_mark_left, role_grant_confirm, role_grant_refuse, role_grant_request


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
    grants = person.role_grants.pending() if request.user.has_perm("organisation.view_rolegrant") else []
    return render(request, "organisation/person_detail.html", {"person": person, "pending_grants": grants})


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


@require_GET
@permission_required("organisation.view_rolegrant", raise_exception=True)
def role_grant_list(request):
    waiting_first = Case(When(status=RoleGrant.Status.PENDING, then=0), default=1)
    grants = RoleGrant.objects.select_related("person", "requested_by", "decided_by").order_by(
        waiting_first, "-requested_at"
    )
    page, query = paginate(request, grants)
    return render(request, "organisation/role_grant_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@permission_required("organisation.view_rolegrant", raise_exception=True)
def role_grant_detail(request, pk: int):
    grant = get_object_or_404(RoleGrant.objects.select_related("person", "requested_by", "decided_by"), pk=pk)
    refused = ROLE_GRANT_ACTIONS.refusal("decide", grant, request.user)
    refusal = refused[1] if refused else None
    if refusal and request.method == "POST":
        if not request.user.has_perm("organisation.decide_rolegrant"):
            raise PermissionDenied(refusal)
        messages.error(request, refusal)  # e.g. someone else decided it a moment ago
        return redirect(request.path)

    def decide(data):
        if data["decision"] == "confirm":
            return role_grant_confirm(grant=grant, by=request.user, comment=data["comment"])
        return role_grant_refuse(grant=grant, by=request.user, comment=data["comment"])

    return form_page(
        request,
        RoleGrantDecisionForm(request.POST or None),
        decide,
        template="organisation/role_grant_detail.html",
        context={"grant": grant, "refusal": refusal},
        success=lambda done: f"{done}: {done.get_status_display().lower()}.",
        redirect_to=reverse("people:role_grants"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("organisation.request_rolegrant", raise_exception=True)
def role_grant_new(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    return form_page(
        request,
        RoleGrantRequestForm(request.POST or None, person=person),
        lambda data: role_grant_request(
            person=person, role=data["role"], by=request.user, reason=data["reason"]
        ),
        template="organisation/role_grant_new.html",
        context={"person": person},
        success=lambda grant: (
            f"{grant} is waiting for a second member of the Communications team to confirm it."
        ),
        redirect_to=reverse("people:detail", args=[person.pk]),
    )
