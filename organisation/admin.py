from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from organisation.models import ServiceArea, User, Ward
from organisation.resources import PersonResource
from organisation.services import person_mark_left


@admin.register(ServiceArea)
class ServiceAreaAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "code", "head_of_service"]
    search_fields = ["name", "code", "head_of_service__first_name", "head_of_service__last_name"]
    list_filter = [("head_of_service", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["head_of_service"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Ward)
class WardAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_filter = []
    prepopulated_fields = {"code": ["name"]}


@admin.register(User)
class PersonAdmin(ImportExportModelAdmin, ObjectPermissionsModelAdmin, UserAdmin):
    """People. Roles are edited here as group memberships; leaving goes through the “mark as left”
    action (the same service as the web page), so the left date is read-only."""

    resource_classes = [PersonResource]
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "job_title", "service_area", "ward", "left_on"]
    list_filter = ["groups", "service_area", "ward", ("left_on", admin.EmptyFieldListFilter), "is_active"]
    search_fields = ["email", "first_name", "last_name", "job_title", "employee_number"]
    list_select_related = ["service_area", "ward"]
    readonly_fields = ["left_on", "is_staff", "last_login", "date_joined"]
    autocomplete_fields = ["service_area", "ward"]
    filter_horizontal = ["groups"]
    actions = ["mark_left_today"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "employee_number"]}),
        ("Where they work", {"fields": ["service_area", "ward"]}),
        ("Roles", {"fields": ["groups"]}),
        ("Status", {"fields": ["is_active", "left_on", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]},
        )
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Admin access follows the Communications role, as it does for the web pages and the import.
        from organisation.services import person_set_roles

        person_set_roles(person=form.instance, roles=[g.name for g in form.instance.groups.all()])

    @admin.action(description="Mark selected people as having left today", permissions=["change"])
    def mark_left_today(self, request, queryset):
        done = 0
        for person in queryset:
            try:
                person_mark_left(person=person, left_on=timezone.localdate(), by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.WARNING)
        if done:
            self.message_user(request, f"{done} marked as having left.", messages.SUCCESS)
