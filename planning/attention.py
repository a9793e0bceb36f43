from django.db.models import Q
from django.urls import reverse

from core.attention import AttentionItem
from organisation.models import Role
from planning.services import late_drafts


def planning_items(user) -> list[AttentionItem]:
    """Approved posts an hour past their planned time: the author's own, and every one for Comms."""
    if not user.is_authenticated or not user.is_active:
        return []
    late = late_drafts()
    if not user.has_role(Role.COMMS):
        late = late.filter(Q(author=user))
    count = late.count()
    return [
        AttentionItem(
            count,
            "approved post is past its planned time and not published"
            if count == 1
            else "approved posts are past their planned time and not published",
            reverse("planning:calendar") + "?status=approved&late=1",
            "An hour or more after the time planned: publish and record it, or withdraw it.",
        )
    ]
