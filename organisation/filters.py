import django_filters

from core.forms import SearchFilter, search_words
from organisation.models import Role, ServiceArea, User, Ward


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter(label="Search by name, email or job title", method="search")
    role = django_filters.ChoiceFilter(
        label="Role", choices=Role.choices, field_name="groups__name", empty_label="All"
    )
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), empty_label="All")
    ward = django_filters.ModelChoiceFilter(queryset=Ward.objects.all(), empty_label="All")
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("current", "Current"), ("left", "Left the council")],
        method="by_status",
        empty_label="All",
    )

    class Meta:
        model = User
        fields = ["q", "role", "service_area", "ward", "status"]

    def search(self, queryset, name, value):
        return search_words(queryset, value, ["first_name", "last_name", "email", "job_title"])

    def by_status(self, queryset, name, value):
        return queryset.filter(left_on__isnull=(value == "current"))
