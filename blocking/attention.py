from django.urls import reverse
from django.utils import timezone

from blocking.models import Appeal, AppealStatus, Block, BlockStatus, Referral, ReferralStatus
from core.attention import AttentionItem, counts


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def blocking_items(user) -> list[AttentionItem]:
    if not user.is_authenticated or not user.is_active:
        return []
    items = []
    decides, refers = user.has_perm("blocking.decide"), user.has_perm("blocking.refer")
    if not (decides or refers):
        return []
    none = Referral.objects.none()
    n = counts(
        to_decide=Referral.objects.filter(status=ReferralStatus.SUBMITTED) if decides else none,
        due=Block.objects.due_for_review(timezone.localdate()) if decides else none,
        to_confirm=Block.objects.filter(status=BlockStatus.UNCONFIRMED) if decides else none,
        appeals=Appeal.objects.filter(status=AppealStatus.WAITING) if decides else none,
        waiting=Referral.objects.filter(referred_by=user, status=ReferralStatus.MORE_INFORMATION)
        if refers
        else none,
    )
    to_decide, due, to_confirm, appeals, waiting = n.values()
    if decides:
        register = reverse("blocking:register")
        items += [
            AttentionItem(
                to_decide,
                _plural(to_decide, "referral to decide", "referrals to decide"),
                reverse("blocking:home") + "?status=submitted",
            ),
            AttentionItem(
                due, _plural(due, "block due for review", "blocks due for review"), f"{register}?due=1"
            ),
            AttentionItem(
                to_confirm,
                _plural(
                    to_confirm,
                    "block recorded by an officer to confirm or reverse",
                    "blocks recorded by officers to confirm or reverse",
                ),
                f"{register}?status=unconfirmed",
            ),
            AttentionItem(
                appeals,
                _plural(appeals, "appeal to answer", "appeals to answer"),
                reverse("blocking:appeals"),
            ),
        ]
    if refers:
        items.append(
            AttentionItem(
                waiting,
                _plural(
                    waiting,
                    "of your referrals needs more information",
                    "of your referrals need more information",
                ),
                reverse("blocking:home") + "?status=more_information",
                "The Communications team asked for more before deciding.",
            )
        )
    return items
