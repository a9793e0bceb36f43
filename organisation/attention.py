from django.urls import reverse

from core.attention import AttentionItem
from organisation.models import RoleGrant


def role_grants_waiting(user) -> list[AttentionItem]:
    if not user.has_perm("organisation.decide_rolegrant"):
        return []
    count = RoleGrant.objects.decidable_by(user).count()
    return [
        AttentionItem(
            count,
            "role grant waiting for a second person"
            if count == 1
            else "role grants waiting for a second person",
            reverse("people:role_grants"),
            "A colleague asked for someone to get the Communications or Auditor role: confirm or refuse it.",
        )
    ]
