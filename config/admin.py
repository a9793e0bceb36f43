"""The admin site: every list filters only by what it declares.

Django's admin lets a list's query string filter on any field of the model (`?body__contains=…`),
declared or not. Used as an oracle, that reads a field one character at a time even when the
page never shows it. This site gives every ModelAdmin registered on it, ours and other packages'
alike, a lookup_allowed() that accepts only the parameters its list_filter and date_hierarchy
produce, with the lookups those filters use; anything else is refused (400 Bad Request)."""

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.filters import ListFilter
from django.db.models.constants import LOOKUP_SEP

from core.forms import SEARCH_WORD_LENGTH, SEARCH_WORDS

# What Django's own list filters put in the query string after the field's path: `status__exact`,
# `service_area__id__exact`, `left_on__isempty`, `created_at__gte`, a date hierarchy's `__year`.
FILTER_LOOKUPS = {"exact", "isnull", "isempty", "gte", "gt", "lte", "lt", "year", "month", "day"}
RELATED_KEYS = {"id", "pk"}


def declared_filters(model_admin, request) -> tuple[set[str], set[str]]:
    """(field paths, plain parameter names) that the admin's list filters and date hierarchy use."""
    paths, parameters = set(), set()
    list_filter = model_admin.get_list_filter(request) if request is not None else model_admin.list_filter
    for item in list_filter:
        if isinstance(item, type) and issubclass(item, ListFilter):
            parameters.add(getattr(item, "parameter_name", None))
        elif isinstance(item, (list, tuple)):
            paths.add(item[0])
        else:
            paths.add(item)
    if model_admin.date_hierarchy:
        paths.add(model_admin.date_hierarchy)
    return paths, parameters - {None}


class DeclaredFiltersOnly:
    def lookup_allowed(self, lookup, value, request=None):
        # A raw-id popup filters by its foreign key's limit_choices_to: Django's own rule allows it.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            fk_lookup = fk_lookup() if callable(fk_lookup) else fk_lookup
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        paths, parameters = declared_filters(self, request)
        if lookup in parameters or lookup in paths:  # a bare path is an exact match
            return True
        for path in paths:
            if lookup.startswith(path + LOOKUP_SEP):
                *keys, last = lookup.removeprefix(path + LOOKUP_SEP).split(LOOKUP_SEP)
                if last in FILTER_LOOKUPS and len(keys) <= 1 and set(keys) <= RELATED_KEYS:
                    return True
        return False

    def get_search_results(self, request, queryset, search_term):
        # A search is one condition per word on every search field: bound the words as every search box
        # in the service does (core.forms.SearchField), saying what was left out.
        words = search_term.split()
        if len(words) > SEARCH_WORDS or len(search_term) > SEARCH_WORDS * (SEARCH_WORD_LENGTH + 1):
            search_term = " ".join(word[:SEARCH_WORD_LENGTH] for word in words[:SEARCH_WORDS])
            messages.warning(
                request,
                f"Searched for the first {SEARCH_WORDS} words only, "
                f"each cut to {SEARCH_WORD_LENGTH} characters.",
            )
        return super().get_search_results(request, queryset, search_term)


class CouncilAdminSite(admin.AdminSite):
    site_header = "Social media governance: administration"
    site_title = "Administration"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeclaredFiltersOnly):
            admin_class = type(
                admin_class.__name__,
                (DeclaredFiltersOnly, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)


class CouncilAdminConfig(AdminConfig):
    default_site = "config.admin.CouncilAdminSite"
