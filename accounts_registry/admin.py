from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from accounts_registry.models import Account, ActivityCheck


@admin.register(Account)
class AccountAdmin(ObjectPermissionsModelAdmin):
    """The register for Comms, to read. Accounts are added, changed and imported through the register's
    own pages, which call the same services as everything else (rules, version check, history)."""

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

    def has_add_permission(self, request):
        return False  # new accounts are requested, registered or imported through the register's pages

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
