from django.urls import reverse

from core.attention import AttentionItem
from notifications.models import Notification


def failed_emails(user) -> list[AttentionItem]:
    if not user.has_perm("notifications.change_notification"):
        return []
    count = Notification.objects.filter(status=Notification.Status.FAILED).count()
    return [
        AttentionItem(
            count,
            "email could not be sent" if count == 1 else "emails could not be sent",
            reverse("admin:notifications_notification_changelist") + "?status__exact=failed",
            "Check the address and the mail server, then try them again from the outbox.",
        )
    ]
