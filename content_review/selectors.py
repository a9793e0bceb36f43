"""Reading drafts: the review queue, and what a reviewer is shown."""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from content_review.models import Draft, accounts_reviewed_by, named_in_chain
from organisation.models import Role, User

PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")


def review_queue(user: User) -> QuerySet[Draft]:
    """Submitted drafts this person may decide: never their own."""
    drafts = Draft.objects.awaiting_review().exclude(author=user)
    if not user.has_role(Role.COMMS):  # Comms review every account: no need to ask which
        # Under a chain, also those whose chain names them or their role as head of the account's
        # service area (the draft's page says whether the step waiting is theirs).
        drafts = drafts.filter(
            Q(account__in=accounts_reviewed_by(user).values("pk"))
            | named_in_chain(user)
            | Q(
                chain_steps__contains=[{"roles": ["head_of_service"]}],
                account__service_area__head_of_service=user,
            )
        )
    return drafts.select_related("account", "author", "inbound_message", "account__service_area")


# difflib's matching grows faster than the text (quadratic, worse for repetitive text): past this many
# changed words on either side, after the unchanged start and end are set aside, a page would take
# seconds to draw. About 0.3 s at the limit on the worst text measured (two words repeated).
DIFF_MAX_WORDS = 2_000
TOO_LONG = "These versions are too long to compare word by word."


def _words(text: str) -> list[str]:
    """Each word with the spaces after it (leading spaces on their own), so that runs of spaces do not
    become thousands of identical tokens for difflib to match."""
    return re.findall(r"\s+|\S+\s*", text)


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]] | None:
    """difflib's opcodes for a → b, or None when the changed part is too long to compare. The
    unchanged start and end are found in linear time and never given to difflib."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if max(len(middle_a), len(middle_b)) > DIFF_MAX_WORDS:
        return None
    ops = [("equal", 0, start, 0, start)] if start else []
    matcher = difflib.SequenceMatcher(a=middle_a, b=middle_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes() if middle_a or middle_b else []:
        ops.append((op, i1 + start, i2 + start, j1 + start, j2 + start))
    if end:
        ops.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return ops


def word_diff(old: str, new: str) -> list[tuple[str, str]] | None:
    """The change between two texts, word by word: a list of (op, text), op one of =, +, -; None when
    the texts are too long to compare word by word (TOO_LONG says so)."""
    a, b = _words(old), _words(new)
    ops = _opcodes(a, b)
    if ops is None:
        return None
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", "".join(b[j1:j2])))
    return out


def departure_from(standard: str, text: str) -> int | None:
    """How far a reply departs from its standard response: the percentage of words changed (None when
    too long to compare)."""
    a, b = standard.split(), text.split()
    ops = _opcodes(a, b)
    if ops is None:
        return None
    same = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    total = len(a) + len(b)
    return round((1 - 2 * same / total) * 100) if total else 0


@dataclass(frozen=True)
class Part:
    """A piece of a draft's text; `number` and `severity` when a check's finding is about it."""

    text: str
    number: int | None = None
    severity: str = ""


def marked(text: str, findings: list[dict]) -> tuple[list[Part], list[dict]]:
    """The text cut into parts where the findings point, and the findings numbered in the order they
    come in the text (those about the whole text last, unnumbered), so the page can mark each place
    and link it to what is wrong there. Overlapping findings mark only what the earlier one left."""
    placed = sorted(
        (f for f in findings if f.get("start") is not None and f.get("end") is not None),
        key=lambda f: (f["start"], f["end"]),
    )
    numbered = [{**f, "number": n} for n, f in enumerate(placed, 1)]
    parts, cursor = [], 0
    for finding in numbered:
        start, end = max(finding["start"], cursor), min(finding["end"], len(text))
        if start >= end:
            continue
        if start > cursor:
            parts.append(Part(text[cursor:start]))
        parts.append(Part(text[start:end], finding["number"], finding["severity"]))
        cursor = end
    if cursor < len(text):
        parts.append(Part(text[cursor:]))
    whole = [f for f in findings if f.get("start") is None or f.get("end") is None]
    return parts, numbered + whole


def unfilled_placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)
