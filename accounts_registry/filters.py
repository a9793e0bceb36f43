import django_filters

from accounts_registry.models import Account, AccountKind, AccountStatus
from accounts_registry.platforms import Platform
from accounts_registry.selectors import active_flags, filter_by_flag
from core.forms import SearchFilter, search_words
from organisation.models import ServiceArea

SORTS = {
    "name": ("Name", ["display_name"]),
    "platform": ("Platform", ["platform", "handle_key"]),
    "activity": ("Least recently active", ["last_activity_at"]),
    "service_area": ("Service area", ["service_area__name", "display_name"]),
    "status": ("Status", ["status", "display_name"]),
}


class AccountFilter(django_filters.FilterSet):
    q = SearchFilter(label="Search by name, handle or officer", method="search")
    platform = django_filters.ChoiceFilter(choices=Platform.choices, empty_label="All")
    service_area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), empty_label="All", null_label="No service area"
    )
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices, empty_label="All")
    kind = django_filters.ChoiceFilter(label="Kind", choices=AccountKind.choices, empty_label="All")
    flag = django_filters.ChoiceFilter(label="Risk flag", choices=[], empty_label="Any", method="by_flag")
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=[(k, v[0]) for k, v in SORTS.items()], empty_label=None, method="by_sort"
    )

    class Meta:
        model = Account
        fields = ["q", "platform", "service_area", "status", "kind", "flag", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flag"].extra["choices"] = [(f.code, f.label) for f in active_flags()]

    @property
    def form(self):
        form = super().form
        # The service areas' numbers and names in one plain query, kept as the field's choices
        # (ModelChoiceField returns `_choices` when set; its setter would wrap them in an iterator
        # again). Left as the iterator, the template's loop counts them in one query and reads every
        # column of every area through a server-side cursor in another: an eighth of the page's time.
        areas = form.fields["service_area"]
        if not hasattr(areas, "_choices"):
            areas._choices = [
                ("", areas.empty_label),
                (areas.null_value, areas.null_label),
                *areas.queryset.values_list("pk", "name"),
            ]
        return form

    def search(self, queryset, name, value):
        fields = [
            "display_name",
            "handle",
            "responsible_officer__first_name",
            "responsible_officer__last_name",
        ]
        return search_words(queryset, value.replace("@", " "), fields)

    def by_flag(self, queryset, name, value):
        return filter_by_flag(queryset, value)

    def by_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"])[1], "pk")
