from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from organisation.forms import PersonAddForm
from organisation.models import ServiceArea, User, Ward
from organisation.resources import PersonResource
from organisation.services import person_change_roles, person_mark_left


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
    action (the same service as the web page), so the left date and active flag are read-only.

    Nobody sets or sees another person's password here, and an email address (where reset links go)
    is fixed once the person exists: otherwise whoever runs the admin could take over any sign-in."""

    resource_classes = [PersonResource]
    add_form = PersonAddForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "job_title", "service_area", "ward", "left_on"]
    list_filter = ["groups", "service_area", "ward", ("left_on", admin.EmptyFieldListFilter), "is_active"]
    search_fields = ["email", "first_name", "last_name", "job_title", "employee_number"]
    list_select_related = ["service_area", "ward"]
    readonly_fields = ["left_on", "is_active", "is_staff", "last_login", "date_joined"]
    autocomplete_fields = ["service_area", "ward"]
    filter_horizontal = ["groups"]
    actions = ["mark_left_today"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Person", {"fields": ["first_name", "last_name", "job_title", "employee_number"]}),
        ("Where they work", {"fields": ["service_area", "ward"]}),
        ("Roles", {"fields": ["groups"]}),
        ("Status", {"fields": ["is_active", "left_on", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "first_name", "last_name", "job_title"]})]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "email"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("People set their own passwords, through “I have forgotten my password”.")

    def save_related(self, request, form, formsets, change):
        """Roles go through person_change_roles, never straight into the group table: giving the
        Communications or Auditor role becomes a request a second member of the team confirms."""
        roles = [g.name for g in form.cleaned_data.get("groups", [])]
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        try:
            grants = person_change_roles(person=form.instance, roles=roles, by=request.user)
        except ValidationError as exc:  # e.g. they have left: the other changes are kept
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        for grant in grants:
            self.message_user(
                request,
                f"{grant} is waiting for a second member of the Communications team to confirm it.",
                messages.WARNING,
            )

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
