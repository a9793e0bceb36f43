from django.urls import reverse

from content_review.models import D, Draft, InboundMessage
from content_review.selectors import review_queue
from core.attention import AttentionItem, counts


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def content_items(user) -> list[AttentionItem]:
    if not user.is_authenticated or not user.is_active:
        return []
    n = counts(
        to_review=review_queue(user),
        returned=Draft.objects.filter(author=user, status=D.CHANGES_REQUESTED),
        approved=Draft.objects.filter(author=user, status=D.APPROVED),
        overdue=InboundMessage.objects.visible_to(user).overdue(),
        # A partial index: never a scan of every draft.
        urgent=Draft.objects.urgent_unreviewed()
        if user.has_perm("content_review.urgent_publish")
        else Draft.objects.none(),
    )
    to_review, returned, approved, overdue, urgent = n.values()
    return [
        AttentionItem(
            to_review, _plural(to_review, "draft to review", "drafts to review"), reverse("content:queue")
        ),
        AttentionItem(
            returned,
            _plural(
                returned,
                "of your drafts was sent back with changes",
                "of your drafts were sent back with changes",
            ),
            reverse("content:mine") + "?status=changes_requested",
        ),
        AttentionItem(
            approved,
            _plural(
                approved, "approved draft to publish and record", "approved drafts to publish and record"
            ),
            reverse("content:mine") + "?status=approved",
        ),
        AttentionItem(
            overdue,
            _plural(overdue, "reply to the public is overdue", "replies to the public are overdue"),
            reverse("content:inbox") + "?due=overdue",
            "Past the account's agreed response time.",
        ),
        AttentionItem(
            urgent,
            _plural(
                urgent,
                "urgent post needs reviewing after publication",
                "urgent posts need reviewing after publication",
            ),
            reverse("content:mine") + "?urgent=1",
        ),
    ]
