from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from accounts_registry.models import Account, ActivityCheck
from accounts_registry.resources import AccountResource


@admin.register(Account)
class AccountAdmin(ImportExportModelAdmin, ObjectPermissionsModelAdmin):
    """The register for Comms. The status is read-only here: it moves through the register's pages,
    which call the same services as everything else."""

    resource_classes = [AccountResource]
    list_display = [
        "display_name",
        "platform",
        "handle",
        "service_area",
        "responsible_officer",
        "status",
        "last_activity_at",
    ]
    list_filter = [
        "platform",
        "status",
        "kind",
        "service_area",
        "managed_by_comms",
        "two_factor_enabled",
        "review_required",
    ]
    search_fields = [
        "display_name",
        "handle",
        "profile_url",
        "responsible_officer__first_name",
        "responsible_officer__last_name",
        "responsible_officer__email",
    ]
    list_select_related = ["service_area", "responsible_officer"]
    readonly_fields = [
        "status",
        "status_reason",
        "handle_key",
        "last_activity_at",
        "posts_last_30_days",
        "followers",
        "requested_by",
        "created_at",
        "version",
    ]
    autocomplete_fields = ["service_area", "ward", "responsible_officer", "deputy"]

    def has_add_permission(self, request):
        return False  # new accounts are requested or registered through the register's pages, or imported

    def has_change_permission(self, request, obj=None):
        return False  # edits go through the register's edit page (version check, validation, history)


@admin.register(ActivityCheck)
class ActivityCheckAdmin(ObjectPermissionsModelAdmin):
    list_display = ["account", "checked_on", "checked_by", "posts_last_30_days", "followers"]
    list_filter = ["checked_on", "account__platform"]
    search_fields = ["account__display_name", "account__handle", "notes"]
    list_select_related = ["account", "checked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
