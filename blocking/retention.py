"""How long blocking keeps personal data, how it is anonymised when that time is up, and what it holds
about one member of the public (core.contributions: retention and subject_access).

Anonymising keeps what the reports count (account, platform, categories, dates, outcomes, statuses)
and removes who the person was and what was said: handles, profile links, free text, the workflow
logs' comments and the evidence files (deleted from storage)."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts_registry.platforms import identify
from blocking.models import (
    Appeal,
    AppealEvent,
    Block,
    BlockEvent,
    BlockStatus,
    Evidence,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from core.contributions import Found, RetentionRule
from core.redaction import MARKER, Copy, redact
from core.templatetags.dates import govuk_date, govuk_datetime

ENDED = [BlockStatus.LIFTED, BlockStatus.EXPIRED, BlockStatus.REVERSED]
KIND = "the member of the public's handle, profile link, words and evidence"


def _still_named(queryset: QuerySet) -> QuerySet:
    # Already anonymised records hold the marker in their key: a second sweep passes them by.
    return queryset.exclude(person_key__startswith=MARKER)


def _unmatched(model, pk) -> None:
    """A key of its own, so that anonymised records are never taken for one person (the register's
    "same person on other accounts", warning first). The key is not in the audit trail."""
    model.objects.filter(pk=pk).update(person_key=f"{MARKER} {model._meta.model_name} {pk}")


def referrals_due(cutoff) -> QuerySet:
    """Referrals closed without a block: decided otherwise, or withdrawn, before the cutoff."""
    withdrawn = ReferralEvent.objects.filter(
        referral=OuterRef("pk"), to_status=ReferralStatus.WITHDRAWN, created_at__lt=cutoff
    )
    closed = (Q(status=ReferralStatus.DECIDED, decided_at__lt=cutoff) & ~Q(outcome=Outcome.BLOCK)) | Q(
        Exists(withdrawn), status=ReferralStatus.WITHDRAWN
    )
    return _still_named(Referral.objects.filter(closed))


def blocks_due(cutoff) -> QuerySet:
    """Blocks lifted, expired or reversed before the cutoff."""
    return _still_named(Block.objects.filter(status__in=ENDED, lifted_on__lt=cutoff.date()))


def _delete_evidence(evidence: QuerySet) -> None:
    files = [e.file.name for e in evidence]
    evidence.delete()
    # Only once the rows are gone for good: a rolled-back sweep must not leave rows without files.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])


def referral_anonymise(referral: Referral, *, rule: str = "referrals", by=None, reason="") -> int:
    with transaction.atomic():
        evidence = Evidence.objects.filter(referral=referral)
        had_files = evidence.exists()
        done = redact(
            record=referral,
            fields=Referral.PERSONAL_DATA,
            secrets=None,
            copies=[Copy(ReferralEvent.objects.filter(referral=referral), ["comment"])],
            kind=KIND,
            rule=rule,
            reason=reason or "Its retention period ended.",
            by=by,
        )
        _delete_evidence(evidence)
        if done:
            _unmatched(Referral, referral.pk)
    return (done.rows if done else 0) + int(had_files and not done)


def block_anonymise(block: Block, *, rule: str = "blocks", by=None, reason="") -> int:
    with transaction.atomic():
        evidence = Evidence.objects.filter(block=block)
        had_files = evidence.exists()
        appeals = Appeal.objects.filter(block=block)
        done = redact(
            record=block,
            fields=Block.PERSONAL_DATA,
            secrets=None,
            copies=[
                Copy(BlockEvent.objects.filter(block=block), ["comment"]),
                Copy(appeals, Appeal.PERSONAL_DATA),
                Copy(AppealEvent.objects.filter(appeal__block=block), ["comment"]),
            ],
            kind=KIND,
            rule=rule,
            reason=reason or "Its retention period ended.",
            by=by,
        )
        _delete_evidence(evidence)
        if done:
            _unmatched(Block, block.pk)
        rows = (done.rows if done else 0) + int(had_files and not done)
        if block.referral_id:
            rows += referral_anonymise(block.referral, rule=rule, by=by, reason=reason)
    return rows


RETENTION = [
    RetentionRule(
        code="referrals",
        label="Referrals closed without a block",
        after="after the decision (or withdrawal)",
        reason=(
            "Long enough to see a pattern of behaviour if the same person is referred again, and to "
            "answer a complaint about the decision."
        ),
        default_months=12,
        due=referrals_due,
        anonymise=lambda referral: referral_anonymise(referral),
    ),
    RetentionRule(
        code="blocks",
        label="Lifted, expired and reversed blocks, their referrals, appeals and evidence",
        after="after the block ended",
        reason="Long enough to answer an appeal or complaint about the block once it has ended.",
        default_months=12,
        due=blocks_due,
        anonymise=lambda block: block_anonymise(block),
    ),
]


# ---------------------------------------------------------------------------------------------------
# Subject access


def _keys(handle: str, platform: str | None) -> Q:
    from accounts_registry.platforms import Platform

    found = Q(pk__in=[])
    for code in [platform] if platform else Platform.values:
        try:
            key = identify(code, handle, "").key
        except ValidationError:
            continue
        found |= Q(platform=code, person_key=key)
    return found


def _evidence(rows) -> list[tuple[str, object, str]]:
    return [(f"evidence-{e.pk}.{e.kind}", e.file, e.sha256) for e in rows]


def subject_access(handle: str, platform: str | None) -> list[Found]:
    who = _keys(handle, platform)
    referrals = _still_named(Referral.objects.filter(who)).select_related("account")
    blocks = _still_named(Block.objects.filter(who)).select_related("account")
    found = []
    if referrals:
        section = Found("Referrals and decisions")
        for r in referrals.prefetch_related("evidence"):
            section.items.append(
                {
                    "Referral": str(r.pk),
                    "Council account": str(r.account),
                    "Handle": r.person_handle,
                    "Profile": r.person_profile_url,
                    "Referred": govuk_datetime(r.created_at),
                    "Behaviour": r.category_display,
                    "What happened": r.what_happened,
                    "What they wrote": r.quoted_text,
                    "Status": r.get_status_display(),
                    "Decision": r.get_outcome_display() if r.outcome else "",
                    "Decision reason": r.decision_reason,
                    "Evidence": ", ".join(f"{e} (SHA-256 {e.sha256})" for e in r.evidence.all()),
                }
            )
            section.files += _evidence(r.evidence.all())
        found.append(section)
    if blocks:
        section = Found("Blocks and appeals")
        for b in blocks.prefetch_related("evidence", "appeals"):
            section.items.append(
                {
                    "Block": str(b.pk),
                    "Council account": str(b.account),
                    "Handle": b.person_handle,
                    "Profile": b.person_profile_url,
                    "Blocked on": govuk_date(b.blocked_on),
                    "Status": b.get_status_display(),
                    "Reason": b.reason,
                    "Evidence": ", ".join(f"{e} (SHA-256 {e.sha256})" for e in b.evidence.all()),
                }
            )
            for a in b.appeals.all():
                section.items.append(
                    {
                        "Appeal": str(a.pk),
                        "Block": str(b.pk),
                        "Received on": govuk_date(a.received_on),
                        "What they said": a.message,
                        "Outcome": a.get_outcome_display() if a.outcome else "",
                        "Reply sent": a.reply,
                    }
                )
            section.files += _evidence(b.evidence.all())
        found.append(section)
    return found
