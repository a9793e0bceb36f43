"""The calendar's filters (django-filter): account, service area, status and campaign, each a select
of what the person may see, so every input is one of a bounded list."""

import django_filters
from django import forms
from django.utils import timezone

from accounts_registry.models import Account
from content_review.models import Campaign, Draft
from organisation.models import ServiceArea
from planning.selectors import LATE_AFTER, ON_CALENDAR

STATUSES = [(s.value, s.label) for s in ON_CALENDAR]


def _accounts(request):
    if request is None:
        return Account.objects.none()
    seen = Draft.objects.visible_to(request.user).values("account")
    return Account.objects.filter(pk__in=seen).order_by("display_name")


def _areas(request):
    return ServiceArea.objects.filter(pk__in=_accounts(request).values("service_area"))


class CalendarFilter(django_filters.FilterSet):
    account = django_filters.ModelChoiceFilter(queryset=_accounts, empty_label="All")
    service_area = django_filters.ModelChoiceFilter(
        queryset=_areas, field_name="account__service_area", label="Service area", empty_label="All"
    )
    status = django_filters.ChoiceFilter(choices=STATUSES, empty_label="All")
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.order_by("-starts_on", "name"), empty_label="All"
    )
    # ?late=1 (the home page's link): approved posts an hour past their planned time, however long ago.
    late = django_filters.BooleanFilter(widget=forms.HiddenInput, method="only_late")

    class Meta:
        model = Draft
        fields = ["account", "service_area", "status", "campaign", "late"]

    def only_late(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status="approved", planned_for__lte=timezone.now() - LATE_AFTER)

    @property
    def late_only(self) -> bool:
        return bool(self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("late"))

    def accounts(self):
        """The accounts the filters narrow to, for the gaps (status and campaign do not narrow them)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        found = Account.objects.all()
        if data.get("account"):
            found = found.filter(pk=data["account"].pk)
        if data.get("service_area"):
            found = found.filter(service_area=data["service_area"])
        return found
