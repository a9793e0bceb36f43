"""The filters of every content list (django-filter), with the query parameters links elsewhere use:
my drafts (?status=, ?all=1, ?urgent=1), the review queue (?kind=, ?due=overdue, ?account=,
?service_area=), messages (?due=, ?q=) and standard responses (?q=, ?tag=)."""

import django_filters
from django import forms

from content_review.models import Draft, DraftKind, DraftStatus, InboundMessage, StandardResponse
from core.forms import SearchFilter


class IdFilter(django_filters.NumberFilter):
    """A record's id in the address (?account=12): anything else is ignored, never an error page."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, min_value=1, max_value=2**31 - 1, **kwargs)


class MyDraftsFilter(django_filters.FilterSet):
    """The person's own drafts; with ?all=1 every draft they may see, with ?urgent=1 the urgent posts
    still to be reviewed after publication."""

    status = django_filters.ChoiceFilter(choices=DraftStatus.choices, empty_label="All")
    all = django_filters.BooleanFilter(widget=forms.HiddenInput, method="as_is")
    urgent = django_filters.BooleanFilter(widget=forms.HiddenInput, method="urgent_unreviewed")

    class Meta:
        model = Draft
        fields = ["status", "all", "urgent"]

    def filter_queryset(self, queryset):
        if not (self.form.cleaned_data.get("all") or self.form.cleaned_data.get("urgent")):
            queryset = queryset.filter(author=self.request.user)
        return super().filter_queryset(queryset)

    def as_is(self, queryset, name, value):
        return queryset

    def urgent_unreviewed(self, queryset, name, value):
        return queryset.urgent_unreviewed() if value else queryset


class QueueFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DraftKind.choices, empty_label="All")
    due = django_filters.ChoiceFilter(
        label="Replies", choices=[("overdue", "Overdue only")], empty_label="All", method="overdue"
    )
    account = IdFilter(field_name="account")
    service_area = IdFilter(field_name="account__service_area")

    class Meta:
        model = Draft
        fields = ["kind", "due", "account", "service_area"]

    def overdue(self, queryset, name, value):
        return queryset.filter(inbound_message__in=InboundMessage.objects.overdue().values("pk"))


class InboxFilter(django_filters.FilterSet):
    due = django_filters.ChoiceFilter(
        label="Show",
        choices=[
            ("open", "Waiting for a reply"),
            ("overdue", "Overdue"),
            ("no_reply", "No reply needed"),
            ("hidden", "Hidden"),
        ],
        empty_label="All",
        method="by_state",
    )
    q = SearchFilter(label="Search", fields=["sender_handle", "text", "account__display_name"])

    class Meta:
        model = InboundMessage
        fields = ["due", "q"]

    def by_state(self, queryset, name, value):
        return {
            "open": queryset.open,
            "overdue": queryset.overdue,
            "no_reply": queryset.no_reply_needed,
            "hidden": lambda: queryset.filter(hidden_at__isnull=False),
        }[value]()


class ResponseFilter(django_filters.FilterSet):
    q = SearchFilter(label="Search", fields=["title", "body"])
    tag = django_filters.CharFilter(max_length=40, widget=forms.HiddenInput, method="by_tag")

    class Meta:
        model = StandardResponse
        fields = ["q", "tag"]

    def by_tag(self, queryset, name, value):
        return queryset.filter(tags__contains=[value])
