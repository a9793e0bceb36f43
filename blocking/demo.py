"""Demo blocking cases, made through the same services people use: referrals in every state, a warning
that later became a block (and the same person referred again on another account), the council's
earlier block list imported (some now due for review), blocks an officer recorded, appeals.
Safe to run twice: it adds nothing once referrals exist. The people and handles are invented."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts_registry.models import Account, AccountStatus
from blocking import imports, services
from blocking.models import Block, BlockStatus, Outcome, Referral
from organisation.models import User


def _screenshot(text: str) -> SimpleUploadedFile:
    """A small picture standing in for a screenshot of the comment."""
    image = Image.new("RGB", (640, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 631, 151), outline="#b1b4b6", width=2)
    draw.text((24, 30), "Comment on the council's post", fill="#505a5f")
    draw.text((24, 70), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("screenshot.png", out.getvalue(), content_type="image/png")


def _officer_accounts(officer: User) -> list[Account]:
    """Two open accounts the demo officer runs (content_review's demo gives them two; without it,
    the same two are given here)."""
    mine = Account.objects.open().filter(Q(responsible_officer=officer) | Q(deputy=officer))
    if mine.count() < 2:
        for account in Account.objects.filter(status=AccountStatus.ACTIVE, kind="service").order_by("pk")[:2]:
            Account.objects.filter(pk=account.pk).update(
                responsible_officer=officer, deputy=None, service_area=officer.service_area
            )
    return list(mine.order_by("pk")[:2])


def _refer(by, account, handle, categories, what, quoted="", warned_on=None, files=()) -> Referral:
    return services.referral_create(
        by=by,
        fields={
            "account": account,
            "person_handle": handle,
            "categories": categories,
            "what_happened": what,
            "quoted_text": quoted,
            "warning_given": warned_on is not None,
            "warned_on": warned_on,
        },
        files=files,
    )


@transaction.atomic
def create_demo_blocking() -> int:
    if Referral.objects.exists():
        return 0
    comms = User.objects.get(email="comms@northfield.gov.uk")
    officer = User.objects.get(email="officer@northfield.gov.uk")
    first, second = _officer_accounts(officer)
    today = timezone.localdate()
    made = 0

    # The council's earlier block list, imported: two blocks now overdue for review, one lifted.
    rows = [
        (first, "@bindayrage", "abuse", "Repeated swearing at staff in replies.", "2025-03-14", ""),
        (first, "@cheapskips4u", "spam", "Advertised a skip hire firm under every post.", "12/05/2025", ""),
        (
            second,
            "@parkrunner99",
            "off_topic",
            "Posted the same off-topic link daily.",
            "2024-09-02",
            "2025-03-02",
        ),
    ]
    csv = "platform,council_account,person_handle,person_profile_url,category,reason,blocked_on,lifted_on,decided_by\n"
    for account, handle, category, reason, blocked_on, lifted_on in rows:
        csv += f"{account.platform},{account.handle},{handle},,{category},{reason},{blocked_on},{lifted_on},{comms.email}\n"
    imported = imports.blocks_import(by=comms, data=csv.encode())
    made += len(imported)

    # A warning that later became a block; then the same person on the officer's other account.
    warned = _refer(
        officer,
        first,
        "@nfieldshouter",
        ["personal_attacks"],
        "Called a named member of the bins team useless and lazy in three replies.",
        quoted="@NorthfieldBins your driver Dave is useless and lazy, sack him",
    )
    services.referral_decide(
        referral=warned,
        by=comms,
        outcome=Outcome.WARN,
        reason="Personal comments about a member of staff. Warn first under the house rules.",
    )
    blocked = _refer(
        officer,
        first,
        "@nfieldshouter",
        ["personal_attacks", "abuse"],
        "Carried on after the warning, naming the same driver.",
        quoted="Still useless. I'll keep posting his name until you sack him",
        warned_on=today,
        files=[_screenshot("Still useless. I'll keep posting his name until you sack him")],
    )
    services.referral_decide(
        referral=blocked,
        by=comms,
        outcome=Outcome.BLOCK,
        reason="Continued personal abuse of a named member of staff after a warning.",
    )
    # Comms saw the same person (however the handle is typed) on another account on that platform.
    elsewhere = (
        Account.objects.open().filter(platform=first.platform).exclude(pk=first.pk).order_by("pk").first()
    )
    if elsewhere:
        _refer(
            comms,
            elsewhere,
            "@NfieldShouter",
            ["abuse"],
            f"The same person, now swearing at {elsewhere.display_name}.",
            quoted="Same rubbish council, same useless staff",
        )
        made += 1

    # Waiting for a decision: threats, with a screenshot.
    _refer(
        officer,
        first,
        "@angryresident77",
        ["threats"],
        "Said they would come to the depot and 'sort the crews out' after a missed collection.",
        quoted="I know where your depot is. I'll come and sort your crews out myself",
        files=[_screenshot("I know where your depot is. I'll come and sort your crews out myself")],
    )
    # More information needed.
    spam = _refer(officer, second, "@dealsdailyuk", ["spam"], "Posts adverts under our posts.")
    services.referral_ask_for_information(
        referral=spam, by=comms, request="Please add a screenshot or a link to two of the adverts."
    )
    # Decided: hide the comment only; no action; and one withdrawn.
    hide = _refer(
        officer,
        first,
        "@truthtellernf",
        ["misinformation"],
        "Claimed collections are stopping for good.",
        quoted="Council is scrapping bin collections from next month",
    )
    services.referral_decide(
        referral=hide,
        by=comms,
        outcome=Outcome.HIDE,
        reason="Hide the misleading comment and reply with the facts.",
    )
    nothing = _refer(
        officer, second, "@bookwormbeth", ["off_topic"], "Asked about a book club on a closure post."
    )
    services.referral_decide(
        referral=nothing,
        by=comms,
        outcome=Outcome.NO_ACTION,
        reason="A fair question; reply and point to the events page.",
    )
    withdrawn = _refer(officer, second, "@quietreader", ["off_topic"], "Referred by mistake.")
    services.referral_withdraw(referral=withdrawn, by=officer)
    made += 8

    # Blocks officers made outside the process: one to confirm, one reversed.
    services.block_record(
        by=officer,
        fields={
            "account": first,
            "person_handle": "@spambot4821",
            "categories": ["spam", "impersonation"],
            "reason": "Pretended to be the council and posted a payment link.",
            "blocked_on": today - datetime.timedelta(days=2),
        },
    )
    reversed_block = services.block_record(
        by=officer,
        fields={
            "account": second,
            "person_handle": "@grumpygran",
            "categories": ["off_topic"],
            "reason": "Kept complaining about parking on a library post.",
            "blocked_on": today - datetime.timedelta(days=10),
        },
    )
    services.block_reverse(
        block=reversed_block,
        by=comms,
        reason="Complaints about services are not a reason to block: unblock them and reply.",
    )
    made += 2

    # The daily sweep marks the overdue imported blocks due (and tells Comms); then appeals on them.
    services.blocking_sweep()
    due = [b for b in imported if Block.objects.get(pk=b.pk).status == BlockStatus.REVIEW_DUE]
    services.appeal_log(
        block=due[0],
        by=comms,
        received_on=today - datetime.timedelta(days=3),
        channel="email",
        message="I was blocked in error last year. I have never sworn at anyone. Please unblock me.",
    )
    answered = services.appeal_log(
        block=due[1],
        by=comms,
        received_on=today - datetime.timedelta(days=6),
        channel="complaint",
        message="My business account is blocked and I cannot read your posts.",
    )
    services.appeal_answer(
        appeal=answered,
        by=comms,
        outcome="upheld",
        reply="We have unblocked your account. Please do not post adverts under our posts again.",
    )
    return made
