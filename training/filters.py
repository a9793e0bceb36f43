import django_filters
from django.db.models import Q

from core.forms import SearchFilter, search_words
from organisation.models import ServiceArea
from training.models import Audience, Course, RequestStatus, TrainingRequest
from training.permissions import people_visible_to
from training.requirements import with_training

STATES = [
    ("missing", "Missing a required course"),
    ("expiring", "A course expiring in the next 60 days"),
    ("fully_trained", "Fully trained"),
]


def _areas(request):
    """The service areas whose people the viewer may see (a head of service: their own)."""
    if request is None:
        return ServiceArea.objects.none()
    visible = people_visible_to(request.user).filter(service_area__isnull=False)
    return ServiceArea.objects.filter(pk__in=visible.values("service_area"))


class ComplianceFilter(django_filters.FilterSet):
    """On people (training.requirements.people_requiring); a filter on their courses aliases
    with_training's answers to filter on."""

    q = SearchFilter(label="Search by name or email", method="search")
    service_area = django_filters.ModelChoiceFilter(queryset=_areas, empty_label="All")
    course = django_filters.ModelChoiceFilter(
        label="Course required",
        queryset=Course.objects.filter(is_active=True),
        empty_label="Any",
        method="by_course",
    )
    state = django_filters.ChoiceFilter(
        label="Training", choices=STATES, empty_label="Any", method="by_state"
    )

    def search(self, queryset, name, value):
        return search_words(queryset, value, ["first_name", "last_name", "email"])

    def by_course(self, queryset, name, course):
        return with_training(queryset, alias=True).filter(required_codes__contains=[course.code])

    def by_state(self, queryset, name, value):
        # With a course chosen, the state is that course's; otherwise any required course's.
        queryset = with_training(queryset, alias=True)
        course = self.form.cleaned_data.get("course")
        if value == "fully_trained":
            return queryset.filter(
                ~Q(missing_codes__contains=[course.code]) if course else Q(fully_trained=True)
            )
        field = f"{value}_codes"
        if course:
            return queryset.filter(**{f"{field}__contains": [course.code]})
        return queryset.filter(**{f"{field}__len__gt": 0})


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, empty_label="All")
    course = django_filters.ModelChoiceFilter(
        queryset=Course.objects.all(), empty_label="All", method="by_course"
    )
    audience = django_filters.ChoiceFilter(
        label="Asked as",
        choices=[(Audience.OFFICERS, "Officers"), (Audience.COUNCILLORS, "Councillors")],
        empty_label="All",
    )

    class Meta:
        model = TrainingRequest
        fields = ["status", "course", "audience"]

    def by_course(self, queryset, name, course):
        return queryset.filter(course=course)
