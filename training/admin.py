from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from training.models import Booking, Completion, Course, Requirement, TrainingRequest, TrainingSession


@admin.register(Course)
class CourseAdmin(ObjectPermissionsModelAdmin):
    """The catalogue: Comms add courses and withdraw them (a course with completions is kept)."""

    list_display = ["code", "title", "audience", "format", "length_minutes", "validity_months", "is_active"]
    list_filter = ["is_active", "audience", "format"]
    search_fields = ["code", "title", "topic"]


@admin.register(Requirement)
class RequirementAdmin(ObjectPermissionsModelAdmin):
    """Which responsibility needs which course. Who holds a responsibility is never typed in here:
    it comes from the register, reviewer assignments, drafts and roles."""

    list_display = ["responsibility", "course"]
    list_filter = ["responsibility", "course"]


class ReadOnlyAdmin(ObjectPermissionsModelAdmin):
    """For finding records: changes go through the training pages, which call the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdmin):
    list_display = ["person", "course", "completed_on", "source", "recorded_by"]
    list_filter = ["course", "source", "completed_on"]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    list_select_related = ["person", "course", "recorded_by"]

    def has_delete_permission(self, request, obj=None):
        # A completion recorded by mistake can go; its history stays in the audit trail.
        return request.user.has_perm("training.delete_completion", obj)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["course", "starts_at", "place", "capacity", "status"]
    list_filter = ["status", "course"]
    list_select_related = ["course"]


@admin.register(TrainingRequest)
class TrainingRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester", "course", "audience", "status", "created_at"]
    list_filter = ["status", "audience", "course"]
    list_select_related = ["requester", "course"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["person", "session", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["person", "session__course"]
