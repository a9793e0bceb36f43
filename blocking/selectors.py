"""Reading the blocking process: the register (with or without personal data), one person's history
across council accounts, and the content_review message a referral starts from."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from blocking.models import Block, BlockStatus, Referral
from core.forms import search_words

# What the register shows those who may not see personal data (auditors): when, where, what kind,
# what state, and whether a reason is recorded; never who, what they said, or the files.
REGISTER_COLUMNS_WITHOUT_PERSONAL_DATA = [
    "id",
    "account",
    "platform",
    "categories",
    "source",
    "blocked_on",
    "review_on",
    "lifted_on",
    "status",
    "referral_id",
]


def register(user, *, status: str = "", category: str = "", account: str = "", search: str = "") -> QuerySet:
    """The block register for this person: everything with personal data for Comms, the same rows
    without it for auditors (the personal columns are never read from the database). `search` (Comms
    only) finds one person's blocks by handle, link or the canonical key."""
    personal = user.has_perm("blocking.view_personal_data")
    blocks = Block.objects.all() if personal else Block.objects.only(*REGISTER_COLUMNS_WITHOUT_PERSONAL_DATA)
    blocks = blocks.select_related("account").annotate(
        reason_recorded=ExpressionWrapper(~Q(reason=""), output_field=BooleanField())
    )
    if status in BlockStatus.values:
        blocks = blocks.filter(status=status)
    if category:
        blocks = blocks.filter(categories__contains=[category])
    if account.isdigit():
        blocks = blocks.filter(account_id=int(account))
    if personal and search.strip():
        blocks = search_words(
            blocks, search.strip().lstrip("@"), ["person_handle", "person_key", "person_profile_url"]
        )
    return blocks.order_by("-blocked_on", "-pk")


@dataclass
class PersonHistory:
    platform: str
    person_key: str
    blocks: list[Block]
    referrals: list[Referral]

    @property
    def accounts_blocked_on(self) -> list:
        return sorted({b.account for b in self.blocks if b.in_force}, key=lambda a: a.display_name)


def person_history(platform: str, person_key: str) -> PersonHistory:
    """One member of the public across every council account: their blocks and referrals, two queries."""
    blocks = (
        Block.objects.about(platform, person_key).select_related("account").order_by("-blocked_on", "-pk")
    )
    referrals = (
        Referral.objects.about(platform, person_key)
        .select_related("account", "referred_by")
        .order_by("-created_at", "-pk")
    )
    return PersonHistory(platform, person_key, list(blocks), list(referrals))


def elsewhere(referral: Referral) -> PersonHistory:
    """What the decider must see: the same person's other blocks and referrals, on any account."""
    history = person_history(referral.platform, referral.person_key)
    history.referrals = [r for r in history.referrals if r.pk != referral.pk]
    history.blocks = [b for b in history.blocks if b.referral_id != referral.pk]
    return history


# ---------------------------------------------------------------------------------------------------
# The message a referral starts from (content_review, when installed)


@dataclass(frozen=True)
class SourceMessage:
    id: int
    account_id: int
    sender_handle: str
    link: str
    text: str
    received_at: datetime


def source_message(user, message_id) -> SourceMessage | None:
    """A message from the public that this person may see, or None (no such message, not theirs to
    see, or content_review is not installed). Read through content_review's own visibility rule."""
    if not apps.is_installed("content_review") or not str(message_id or "").isdigit():
        return None
    messages = apps.get_model("content_review", "InboundMessage").objects
    visible_to = getattr(messages, "visible_to", None)
    if visible_to is None:  # before content_review moved its rule onto the manager
        from content_review.selectors import messages_visible_to as visible_to
    message = visible_to(user).filter(pk=int(message_id)).first()
    if message is None:
        return None
    return SourceMessage(
        message.pk, message.account_id, message.sender_handle, message.link, message.text, message.received_at
    )
