"""Pre-publication checks on a post or reply: personal data, length, accessibility and plain English.

`check_text(text, platform, images=..., settings=...)` is the entry point: pure functions, no database.
Each finding has a severity: "block" (the draft cannot be approved) or "warn" (the reviewer must
acknowledge it), and character offsets into the text so the page can highlight the problem.

Personal-data detectors run in a fixed order and each claims the characters it matched, so one string of
digits gives one finding (a card number is not also reported as a phone number). URLs and email addresses
are blanked out (replaced by spaces, keeping offsets) before looking for numbers, so a link containing
digits never looks like a phone or card number. Messages never repeat the personal data itself: findings
may end up in logs and notifications.
"""

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

import phonenumbers
import textstat
from django.conf import settings as django_settings
from stdnum import iban, luhn
from stdnum.gb import nhs

from accounts_registry.platforms import Platform, PlatformRules, rules_for

BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: str  # dotted: "personal_data.email", "length.over_limit", ...
    severity: str  # BLOCK or WARN
    start: int | None  # character offsets into the text, or None when the finding is about the whole post
    end: int | None
    message: str  # plain English for an officer: what is wrong and how to fix it

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ImageInfo:
    name: str
    alt_text: str = ""


@dataclass(frozen=True)
class CheckSettings:
    # Any address at these domains or their subdomains is the council's own, and allowed.
    council_email_domains: tuple[str, ...] = ("gov.uk",)
    # The council's published numbers, in any format; compared in E.164.
    council_phone_numbers: tuple[str, ...] = ()
    reading_ease_threshold: float = 60.0


def settings_from_django() -> CheckSettings:
    """The CONTENT_CHECK_* Django settings, with CheckSettings' defaults for any that are missing."""
    default = CheckSettings()
    if not django_settings.configured:
        return default
    return CheckSettings(
        council_email_domains=tuple(
            getattr(django_settings, "CONTENT_CHECK_COUNCIL_EMAIL_DOMAINS", default.council_email_domains)
        ),
        council_phone_numbers=tuple(
            getattr(django_settings, "CONTENT_CHECK_COUNCIL_PHONE_NUMBERS", default.council_phone_numbers)
        ),
        reading_ease_threshold=float(
            getattr(django_settings, "CONTENT_CHECK_READING_EASE_THRESHOLD", default.reading_ease_threshold)
        ),
    )


def check_text(
    text: str,
    platform: str,
    *,
    images: Sequence[ImageInfo] = (),
    settings: CheckSettings | None = None,
) -> list[Finding]:
    """All findings for `text` posted on `platform`, sorted by start (whole-post findings last), then code.

    Raises ValueError for an unknown platform.
    """
    if settings is None:
        settings = settings_from_django()
    rules = rules_for(platform)
    urls = _find_urls(text)
    findings = [
        *_personal_data(text, urls, settings),
        *_length(text, urls, rules),
        *_images(images),
        *_hashtags(_blank(text, urls)),
        *_emoji_only_lines(text),
        *_readability(text, urls, settings.reading_ease_threshold),
    ]
    return sorted(findings, key=lambda f: (f.start is None, f.start or 0, f.code, f.end or 0))


Span = tuple[int, int]


def _blank(text: str, spans: Sequence[Span]) -> str:
    """The text with each span replaced by spaces, so offsets stay the same."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _overlaps(span: Span, spans: Sequence[Span]) -> bool:
    """Whether `span` overlaps one of `spans`, which are sorted and do not overlap each other: only
    its neighbours can, so a text with thousands of findings is checked in n log n, not n squared."""
    i = bisect.bisect_left(spans, span)
    return (i > 0 and spans[i - 1][1] > span[0]) or (i < len(spans) and spans[i][0] < span[1])


# Links as the platforms auto-link them: with a scheme, starting www., or a bare domain with a common
# top-level domain ("northfield.gov.uk/bins"). Not a domain that is part of an email address.
_TLDS = "uk|com|org|net|info|io|co|gov|nhs|scot|wales|cymru|london|eu|ly|me|app|dev|tv"
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})(?![\w@-])(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)


def _find_urls(text: str) -> list[Span]:
    """Spans of the links in the text, without trailing punctuation ("see northfield.gov.uk.")."""
    spans = []
    for match in _URL_RE.finditer(text):
        url = match.group()
        while url and (url[-1] in ".,;:!?'\"\u2019" or (url[-1] == ")" and url.count("(") < url.count(")"))):
            url = url[:-1]
        spans.append((match.start(), match.start() + len(url)))
    return spans


# --- Personal data ------------------------------------------------------------------------------------

_MESSAGES = {
    "email": "This looks like a personal email address. Remove it: only the council's own addresses can be "
    "published. If it is a council address, ask Comms to add its domain to the allowed list.",
    "phone": "This looks like a personal phone number. Remove it, or use the council's published number. "
    "If it is a council number, ask Comms to add it to the list of council numbers.",
    "ni_number": "This looks like a National Insurance number. Remove it: never publish one.",
    "bank_account": "This looks like bank details (a sort code and account number, or an IBAN). Remove them.",
    "card_number": "This looks like a payment card number. Remove it: never publish one.",
    "nhs_number": "This looks like an NHS number. Remove it: never publish one.",
    "postcode": "This looks like a postcode. Check it is not someone's home: a public building's postcode "
    "is fine.",
    "street_address": "This looks like a street address. Check it is not someone's home: a public place is "
    "fine.",
    "date_of_birth": "This looks like someone's date of birth. Remove it unless it is needed and the person "
    "has agreed.",
}
_SEVERITY = {"postcode": WARN, "street_address": WARN, "date_of_birth": WARN}


def _personal_data(text: str, urls: list[Span], settings: CheckSettings) -> Iterator[Finding]:
    claimed: list[Span] = []  # spans already reported, so a number is reported once, by the first detector
    blanked = _blank(text, urls)
    emails = list(_EMAIL_RE.finditer(blanked))
    for match in emails:
        if not _is_council_domain(match["domain"], settings.council_email_domains):
            claimed.append(match.span())
            yield _personal("email", match.span())
    numbers_text = _blank(blanked, [match.span() for match in emails])
    council_numbers = _e164_set(settings.council_phone_numbers)
    detectors = [
        ("bank_account", _ibans),
        ("card_number", _card_numbers),
        ("bank_account", _sort_codes_and_accounts),
        ("phone", lambda t: _phone_numbers(t, council_numbers)),
        ("nhs_number", _nhs_numbers),
        ("ni_number", _ni_numbers),
        ("date_of_birth", _dates_of_birth),
        ("postcode", _postcodes),
        ("street_address", _street_addresses),
    ]
    for kind, detect in detectors:
        for span in detect(numbers_text):
            if not _overlaps(span, claimed):
                bisect.insort(claimed, span)
                yield _personal(kind, span)


def _personal(kind: str, span: Span) -> Finding:
    return Finding(f"personal_data.{kind}", _SEVERITY.get(kind, BLOCK), span[0], span[1], _MESSAGES[kind])


_EMAIL_RE = re.compile(
    r"(?<![\w.%+'-])[A-Za-z0-9._%+'-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![\w-])"
)


def _is_council_domain(domain: str, council_domains: Sequence[str]) -> bool:
    domain = domain.lower()
    for allowed in council_domains:
        allowed = allowed.lower().lstrip("@.")
        if domain == allowed or domain.endswith(f".{allowed}"):
            return True
    return False


@functools.cache
def _e164_set(numbers: tuple[str, ...]) -> frozenset[str]:
    parsed = set()
    for number in numbers:
        try:
            parsed.add(_e164(phonenumbers.parse(number, "GB")))
        except phonenumbers.NumberParseException:
            continue  # an unparseable setting allows nothing, so the check stays on the safe side
    return frozenset(parsed)


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_numbers(text: str, council_numbers: frozenset[str]) -> Iterator[Span]:
    """UK numbers written in full (with the leading 0, +44 or 0044), and valid international numbers.

    Leniency POSSIBLE, not the default VALID: VALID rejects Ofcom's drama ranges (07700 900xxx, 01632 960xxx)
    and any range allocated after the installed metadata, and a privacy check must err towards catching a
    number. POSSIBLE on its own matches any 4 to 10 digits ("2024", "123456"), so a UK match must also be
    written as a full national number (9 or 10 significant digits after a 0 or +44): a year, a reference or
    a local number without its area code is not reported.
    """
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        number, raw = match.number, match.raw_string.lstrip("(")
        if number.country_code == 44:
            significant = phonenumbers.national_significant_number(number)
            if not (raw.startswith(("0", "+")) and 9 <= len(significant) <= 10):
                continue
        elif not (raw.startswith(("+", "00")) and phonenumbers.is_valid_number(number)):
            continue
        if _e164(number) not in council_numbers:
            yield match.start, match.end


_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,31}")


def _ibans(text: str) -> Iterator[Span]:
    for match in _IBAN_RE.finditer(text):
        # The pattern also takes in following capitals ("... 32 THANKS"): try the longest valid prefix.
        for end in range(match.end(), match.start() + 14, -1):
            if not text[end - 1].isalnum() or (end < len(text) and text[end].isalnum()):
                continue
            if iban.is_valid(text[match.start() : end]):
                yield match.start(), end
                break


# Digits in groups separated by single spaces or hyphens: "4111 1111 1111 1111", "943-476-5919".
_DIGIT_RUN_RE = re.compile(r"(?<![\w+])\d+(?:[ -]\d+)*(?!\w)")
_MAX_GROUPS = 5  # the most groups a card or NHS number is written in


def _digit_candidates(text: str) -> Iterator[tuple[Span, tuple[int, ...], str]]:
    """Each run of digit groups and its leading groups, longest first, as (span, group sizes, digits).
    Leading groups matter: "4111 1111 1111 1111 12/27" is a card number followed by a date. Groups from
    the middle of a run are not tried: "2000 2001 2002 2003 2004" holds no card number."""
    for run in _DIGIT_RUN_RE.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+", run.group())]
        for count in range(min(len(groups), _MAX_GROUPS), 0, -1):
            part = groups[:count]
            yield (
                (part[0][0], part[-1][1]),
                tuple(end - start for start, end in part),
                "".join(text[start:end] for start, end in part),
            )


def _card_numbers(text: str) -> Iterator[Span]:
    """13 to 19 digits that pass the Luhn check, written as card numbers are: all together, in fours
    (the last group shorter), or 4-6-5/4-6-4 (American Express, Diners). Card numbers start 2 to 6
    (Mastercard, Amex, Visa, Discover, Maestro, UnionPay), which rules out phone numbers."""
    for span, shape, digits in _digit_candidates(text):
        in_fours = len(shape) >= 4 and set(shape[:-1]) == {4} and shape[-1] <= 4
        if (
            13 <= len(digits) <= 19
            and (len(shape) == 1 or in_fours or shape in ((4, 6, 5), (4, 6, 4)))
            and digits[0] in "23456"
            and luhn.is_valid(digits)
        ):
            yield span


def _nhs_numbers(text: str) -> Iterator[Span]:
    for span, shape, digits in _digit_candidates(text):
        if shape in ((10,), (3, 3, 4)) and nhs.is_valid(digits):
            yield span


# A sort code (20-00-00, 20 00 00, or 200000) next to an 8-digit account number, in either order, with at
# most a few words between ("sort code 20-00-00, account number 12345678"). A sort code alone identifies a
# bank branch, not a person, and a 6-digit number alone is not reported.
def _sort_code(group: int) -> str:
    return rf"(?<![\w-])\d{{2}}([- ]?)\d{{2}}\{group}\d{{2}}(?![\w-])"


_ACCOUNT = r"(?<![\w-])\d{8}(?![\w-])"
_BANK_GAP = r"[\s,;:/()-]*"
_BANK_RE = re.compile(
    rf"{_sort_code(1)}{_BANK_GAP}(?:(?:account|acc|a/c)(?:\s*(?:no\.?|number))?{_BANK_GAP})?{_ACCOUNT}"
    rf"|{_ACCOUNT}{_BANK_GAP}(?:sort\s*code{_BANK_GAP})?{_sort_code(2)}",
    re.IGNORECASE,
)


def _sort_codes_and_accounts(text: str) -> Iterator[Span]:
    for match in _BANK_RE.finditer(text):
        yield match.span()


_NI_BAD_FIRST = set("DFIQUV")
_NI_BAD_SECOND = set("DFIOQUV")
_NI_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_NI_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?![A-Za-z0-9])")


def is_valid_ni_number(value: str) -> bool:
    """A National Insurance number: two prefix letters (HMRC's exclusions applied), six digits and a
    suffix A to D. Spaces anywhere are ignored; any case."""
    number = value.replace(" ", "").upper()
    return bool(
        re.fullmatch(r"[A-Z]{2}[0-9]{6}[A-D]", number)
        and number[0] not in _NI_BAD_FIRST
        and number[1] not in _NI_BAD_SECOND
        and number[:2] not in _NI_BAD_PREFIXES
    )


def _ni_numbers(text: str) -> Iterator[Span]:
    for match in _NI_RE.finditer(text):
        found = match.group()
        # Lower case with spaces reads like ordinary words and numbers ("at 12 34 56 a"): not reported.
        if (found.isupper() or " " not in found) and is_valid_ni_number(found):
            yield match.span()


# Royal Mail's formats (A9, A99, A9A, AA9, AA99, AA9A, then 9AA), capitals only: in lower case "a3 2nd"
# would match ordinary text.
_POSTCODE_RE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ]"
    r"(?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)


def _postcodes(text: str) -> Iterator[Span]:
    for match in _POSTCODE_RE.finditer(text):
        yield match.span()


# A house number and one to three capitalised words ending in a street word: "12 Acacia Avenue",
# "3a Mill Lane", "14, Church Street".
_STREET_WORDS = "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Terrace|Gardens|Grove"
_HOUSE_NUMBER = r"(?<![\w.,:/-])\d{1,3}[a-zA-Z]?,?"
_STREET_NAME_WORD = r"[A-Z][a-z'\u2019]+(?:-[A-Z][a-z'\u2019]+)?"
_STREET_RE = re.compile(rf"{_HOUSE_NUMBER} (?:{_STREET_NAME_WORD} ){{1,3}}(?:{_STREET_WORDS})\b")


def _street_addresses(text: str) -> Iterator[Span]:
    for match in _STREET_RE.finditer(text):
        yield match.span()


# A date of birth is a date right after "DOB", "date of birth" or "born on": a date in ordinary text is
# not reported. The finding covers the date itself.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
)
_DOB_RE = re.compile(
    rf"\b(?:d\.?o\.?b|date\s+of\s+birth|born\s+on)\b\.?[\s:,-]*(?:(?:is|was|on|the)\s+){{0,2}}(?P<date>{_DATE})",
    re.IGNORECASE,
)


def _dates_of_birth(text: str) -> Iterator[Span]:
    for match in _DOB_RE.finditer(text):
        yield match.span("date")


# --- Length -----------------------------------------------------------------------------------------------

# X counts most characters as 1 and the rest (emoji, Chinese, Japanese, Korean...) as 2 (twitter-text's
# "weighted length"). An emoji sequence (skin tone, joined emoji, flag) counts as one emoji.
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_EMOJI_JOINER = 0x200D
_EMOJI_MODIFIERS = {0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)}
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)


def _x_weights(text: str) -> list[int]:
    weights, after_joiner, open_flag = [], False, False
    for char in text:
        point = ord(char)
        if point == _EMOJI_JOINER or point in _EMOJI_MODIFIERS or after_joiner:
            weight = 0
        elif point in _REGIONAL_INDICATORS:
            weight = 0 if open_flag else 2
            open_flag = not open_flag
        else:
            weight = 1 if any(low <= point <= high for low, high in _X_LIGHT) else 2
        if point not in _REGIONAL_INDICATORS:
            open_flag = False
        after_joiner = point == _EMOJI_JOINER
        weights.append(weight)
    return weights


def _length(text: str, urls: list[Span], rules: PlatformRules) -> Iterator[Finding]:
    """Over the limit: the finding runs from the first character past the limit to the end of the text.
    A link counts as a whole, so when a link crosses the limit the finding starts at the link."""
    limit, link_length = rules.character_limit, rules.counts_links_as
    if limit is None:
        return
    weights = _x_weights(text) if rules.platform == Platform.X else [1] * len(text)
    if link_length is not None:
        for link_start, link_end in urls:
            weights[link_start:link_end] = [link_length] + [0] * (link_end - link_start - 1)
    total, start = 0, None
    for index, weight in enumerate(weights):
        total += weight
        if start is None and total > limit:
            start = index
    if start is None:
        return
    how = f" as {rules.name} counts it (each link counts as {link_length})" if link_length else ""
    yield Finding(
        "length.over_limit",
        BLOCK,
        start,
        len(text),
        f"This is {total} characters long{how}, over {rules.name}'s limit of {limit}. "
        f"Cut at least {total - limit} characters: the highlighted part doesn't fit.",
    )


# --- Accessibility ----------------------------------------------------------------------------------------


def _images(images: Sequence[ImageInfo]) -> Iterator[Finding]:
    for image in images:
        if not image.alt_text.strip():
            yield Finding(
                "accessibility.image_alt_missing",
                BLOCK,
                None,
                None,
                f"The image '{image.name}' has no alt text. Describe what it shows, and any words in it, so "
                "people using screen readers get the same information.",
            )


_HASHTAG_RE = re.compile(r"(?<![\w&/#])#(\w*[^\W\d_]\w*)")
# Hashtag rule: a screen reader reads an all-lower-case compound as one made-up word, and may spell out
# capitals letter by letter. We can't split words without a dictionary, so an all-lower-case tag is
# reported when it is longer than 12 letters (#recyclingweek; a long single word such as #sustainability
# is reported too, which a reviewer can acknowledge), or when it ends in a word that councils often
# compound (#binday, #mentalhealth, #goodnews), leaving at least 3 letters before it. Ordinary words with
# those endings (#holiday, #saturday) are not. A tag with any capital (#Northfield, #RecyclingWeek) is
# fine unless it is all capitals with more than 4 letters (#NHS is fine, #RECYCLING is not).
_LONG_LOWERCASE = 12
_COMPOUND_ENDINGS = (
    "week", "weekend", "day", "month", "news", "jobs", "alert", "alerts", "update", "updates",
    "council", "matters", "health", "safety", "uk",
)  # fmt: skip
_ORDINARY_WORDS = {
    "tuesday", "wednesday", "thursday", "saturday", "yesterday", "holiday", "birthday", "someday",
    "everyday", "doomsday", "midweek", "midday", "workday", "weekday", "heyday",
}  # fmt: skip


def _hashtag_problem(tag: str) -> str:
    letters = "".join(char for char in tag if char.isalpha())
    if letters.isupper() and len(letters) > 4:
        return "capitals"
    if not letters.islower():
        return ""
    lower = tag.lower()
    compound = any(lower.endswith(end) and len(letters) - len(end) >= 3 for end in _COMPOUND_ENDINGS)
    if len(letters) > _LONG_LOWERCASE or (compound and lower not in _ORDINARY_WORDS):
        return "lower case"
    return ""


def _hashtags(text: str) -> Iterator[Finding]:
    for match in _HASHTAG_RE.finditer(text):
        tag = match.group()
        problem = _hashtag_problem(match[1])
        if problem == "capitals":
            message = (
                f"{tag} is in capitals, which some screen readers spell out letter by letter. Write it "
                "with a capital at the start of each word, such as #RecyclingWeek."
            )
        elif problem:
            message = (
                f"If {tag} is more than one word, write it with a capital at the start of each word, such "
                "as #RecyclingWeek, so screen readers say the words separately."
            )
        else:
            continue
        yield Finding("accessibility.hashtag_case", WARN, match.start(), match.end(), message)


_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x2300, 0x23FF))
_EMOJI_SINGLES = {0x3030, 0x303D, 0x3297, 0x3299, 0x203C, 0x2049, 0x2122, 0x2139, 0x00A9, 0x00AE}


def _is_emoji(char: str) -> bool:
    point = ord(char)
    return point in _EMOJI_SINGLES or any(low <= point <= high for low, high in _EMOJI_RANGES)


def _emoji_only_lines(text: str) -> Iterator[Finding]:
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.strip()
        if any(_is_emoji(char) for char in content) and all(
            char.isspace() or _is_emoji(char) or ord(char) in _EMOJI_MODIFIERS or ord(char) == _EMOJI_JOINER
            for char in content
        ):
            start = offset + line.index(content)
            yield Finding(
                "accessibility.emoji_only_line",
                WARN,
                start,
                start + len(content),
                "This line is only emoji. Screen readers read out each emoji's full name, which is hard to "
                "follow: say it in words, and keep emoji to a few at the end of a sentence.",
            )
        offset += len(line)


# --- Plain English ----------------------------------------------------------------------------------------

# Flesch reading ease swings wildly on a few words (one long word in a short post can score below 0), so
# posts of fewer than 20 words are not scored. Links, email addresses, @mentions, hashtags and emoji are
# left out of the score, and each line counts as a sentence, as posts often leave out full stops.
_MIN_WORDS = 20
# A match starts only where a word does: `\S*@` tried at every position of a long run of symbols took
# time growing with the square of its length.
_NOT_PROSE_RE = re.compile(r"(?<!\S)\S*@\S+|#\w+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def _readability(text: str, urls: list[Span], threshold: float) -> Iterator[Finding]:
    prose = _NOT_PROSE_RE.sub(" ", _blank(text, urls))
    prose = "".join(" " if _is_emoji(char) else char for char in prose)
    if len(_WORD_RE.findall(prose)) < _MIN_WORDS:
        return
    lines = [line.strip() for line in prose.splitlines() if _WORD_RE.search(line)]
    prose = " ".join(line if line[-1] in ".!?" else f"{line}." for line in lines)
    score = textstat.flesch_reading_ease(prose)
    if score < threshold:
        yield Finding(
            "readability.low_reading_ease",
            WARN,
            None,
            None,
            f"This may be hard to read: its reading ease score is {score:.0f}, below the target of "
            f"{threshold:g}. Use shorter sentences and everyday words.",
        )


# ---------------------------------------------------------------------------------------------------
# The pre-election period (purdah): the council must not publish anything that could seem to support a
# party, a candidate or a councillor. These warn (a reviewer must consider each); they never block.

PRE_ELECTION_RULE = (
    "During the pre-election period the council must not publish anything that could be seen as supporting "
    "a political party, a candidate or a councillor (the Code of Recommended Practice on Local Authority "
    "Publicity). Check with the Communications team before this goes out."
)
CAMPAIGN_WORDING = re.compile(
    r"\b(vote\s+for|vote\s+(?:labour|conservative|green|reform)|re-?elect|elect\s+\w+|support\s+your\s+"
    r"candidate|polling\s+card|manifesto|campaign(?:ing)?\s+for)\b",
    re.IGNORECASE,
)
MAX_NAMES_CHECKED = 2000


def _named(text: str, names: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    for name in list(dict.fromkeys(n.strip() for n in names if n and n.strip()))[:MAX_NAMES_CHECKED]:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            yield match.start(), match.end(), name


def pre_election_findings(
    text: str, *, people: Sequence[str] = (), parties: Sequence[str] = ()
) -> list[Finding]:
    """Warnings for a draft written during the pre-election period: a councillor or candidate named,
    a political party named, or wording that reads like a campaign. The message explains the rule."""
    findings = []
    for start, end, _ in _named(text, people):
        findings.append(
            Finding(
                "pre_election.person",
                WARN,
                start,
                end,
                f"This names a councillor or candidate. {PRE_ELECTION_RULE}",
            )
        )
    for start, end, _ in _named(text, parties):
        findings.append(
            Finding(
                "pre_election.party", WARN, start, end, f"This names a political party. {PRE_ELECTION_RULE}"
            )
        )
    for match in CAMPAIGN_WORDING.finditer(text):
        findings.append(
            Finding(
                "pre_election.wording",
                WARN,
                match.start(),
                match.end(),
                f"This reads like campaign wording. {PRE_ELECTION_RULE}",
            )
        )
    return findings
