from django.contrib import admin, messages
from rules.contrib.admin import ObjectPermissionsModelAdmin

from notifications.models import Notification
from notifications.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(ObjectPermissionsModelAdmin):
    """The outbox, for finding out whether an email went. Rows are written by the app, never by hand."""

    list_display = ["subject", "to_email", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["subject", "to_email", "recipient__first_name", "recipient__last_name"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "body"] + ["message"]
    exclude = ["body"]

    @admin.display(description="Message")
    def message(self, obj: Notification) -> str:
        if obj.kind == Notification.Kind.PASSWORD_RESET:
            return "(Not kept: a password reset email is written, with a fresh link, each time it is sent.)"
        return obj.body or "(No longer kept.)"

    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Try sending the selected failed emails again", permissions=["change"])
    def retry(self, request, queryset):
        for row in queryset.filter(status=Notification.Status.FAILED):
            notification_retry(notification=row)
        self.message_user(request, "Failed emails queued again.", messages.SUCCESS)
