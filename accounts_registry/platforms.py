"""Per-platform rules for the account register: validating handles and profile links, and the
canonical identity that stops the same account being registered twice in different forms.

`identify(platform, handle, profile_url)` is the entry point. It accepts what officers actually paste:
http or https, www./m./mobile. prefixes, trailing slashes, tracking query strings, "@" prefixes, any
case, twitter.com for x.com, and a full link pasted into the handle box. `PLATFORMS` also holds the
post length rules (`character_limit`, `counts_links_as`) that post checks use.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db import models


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    FLICKR = "flickr", "Flickr"
    NEXTDOOR = "nextdoor", "Nextdoor"
    BLUESKY = "bluesky", "Bluesky"
    THREADS = "threads", "Threads"
    WHATSAPP = "whatsapp", "WhatsApp channel"
    OTHER = "other", "Other"


@dataclass(frozen=True)
class AccountIdentity:
    handle: str  # as displayed, in the officer's case: "@NorthfieldCC", "northfieldcouncil"
    key: str  # canonical identity for uniqueness (lower case except WhatsApp channel IDs)
    profile_url: str  # canonical https link ("" only for a Nextdoor page given by name alone)


class Link(NamedTuple):
    host: str  # lower case, as typed ("m.facebook.com"); "" when a path was typed in the handle box
    segs: list[str]  # non-empty path segments
    query: dict[str, str]  # first value of each query parameter


class _Problem(Exception):
    """A validation message; identify() attaches it to the field it came from."""


@dataclass(frozen=True)
class PlatformRules:
    platform: str
    name: str  # short name for messages: "X", "WhatsApp"
    example: str  # an example profile link, shown in messages
    hosts: tuple[str, ...]  # the platform's domains; any subdomain (www., m., uk.) is accepted too
    handle_re: re.Pattern[str] | None  # a handle without "@"; None = the handle is a free-text name
    handle_help: str  # completes "It should be ..."
    from_path: Callable[["PlatformRules", Link], AccountIdentity]  # URL path -> identity
    url_template: str  # canonical profile link for a handle ("" = can't be built from a handle)
    key_of: Callable[[str], str] = str.lower  # handle -> key
    display_at: bool = False  # show the handle as "@name"
    from_handle: Callable[["PlatformRules", str], AccountIdentity] | None = None  # default: _named
    share_hosts: tuple[str, ...] = ()  # short links that always point at one post or video
    needs_url: str = ""  # message when the platform can only be identified by its link
    character_limit: int | None = None  # post length limit, None = no practical limit
    counts_links_as: int | None = None  # a link's length in a post, None = counted as typed


def _post(rules: PlatformRules) -> _Problem:
    return _Problem(
        "This links to a single post or video, not to the account. "
        f"Use the link to the account's profile page instead, such as {rules.example}"
    )


def _not_account(rules: PlatformRules) -> _Problem:
    return _Problem(
        f"This {rules.name} link doesn't go to an account. "
        f"Use the link to the account's profile page instead, such as {rules.example}"
    )


def _named(rules: PlatformRules, name: str) -> AccountIdentity:
    """The identity of a plain handle, checked against the platform's pattern."""
    if not rules.handle_re.fullmatch(name):
        raise _Problem(f"'{name}' is not a valid {rules.name} handle. It should be {rules.handle_help}.")
    at = "@" if rules.display_at and not name.startswith("did:") else ""
    return AccountIdentity(f"{at}{name}", rules.key_of(name), rules.url_template.format(name))


def _first(rules: PlatformRules, link: Link) -> str:
    if not link.segs:
        raise _not_account(rules)
    return link.segs[0]


def _simple_path(posts: set[str], reserved: set[str], at: bool = False) -> Callable:
    """Profiles at /<handle> (or /@<handle>); `posts` words anywhere mean a single post."""

    def parse(rules: PlatformRules, link: Link) -> AccountIdentity:
        first = _first(rules, link)
        if any(seg.lower() in posts for seg in link.segs):
            raise _post(rules)
        if first.lower() in reserved or (at and not first.startswith("@")):
            raise _not_account(rules)
        return _named(rules, first.removeprefix("@") if at else first)

    return parse


# Facebook: /<username>, /profile.php?id=<n>, /people/<Name>/<n>, the old /pages/<Name>/<n> and
# /<Name>-<n> forms, and /groups/<name>. Numbered forms share the key "id:<n>".
# A single post is /watch/?v=..., /share/p/..., /permalink.php?... or /<name>/posts/<id>; /<name>/photos
# alone is the profile's Photos tab.
_FB_POSTS = {
    "watch",
    "share",
    "stories",
    "events",
    "photo",
    "reel",
    "story.php",
    "photo.php",
    "permalink.php",
}
_FB_POST_TABS = {"posts", "videos", "photos", "reels", "reel"}
_FB_RESERVED = {"home.php", "login", "search", "settings", "marketplace", "help", "hashtag", "friends"}


def _facebook_id(rules: PlatformRules, number: str, display: str = "") -> AccountIdentity:
    if not re.fullmatch(r"[0-9]{1,20}", number):
        raise _not_account(rules)
    return AccountIdentity(
        display or number, f"id:{number}", rules.url_template.format(f"profile.php?id={number}")
    )


def _facebook_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    first, segs = _first(rules, link).lower(), link.segs
    if first in _FB_POSTS or any(seg.lower() in _FB_POST_TABS for seg in segs[1:-1]):
        raise _post(rules)
    if first == "profile.php":
        return _facebook_id(rules, link.query.get("id", ""))
    if first in ("people", "pages") and len(segs) >= 3:
        return _facebook_id(rules, segs[2], display="/".join(segs[:3]))
    if first == "groups" and len(segs) >= 2 and re.fullmatch(r"[A-Za-z0-9._-]{1,100}", segs[1]):
        return AccountIdentity(
            f"groups/{segs[1]}", f"groups/{segs[1].lower()}", rules.url_template.format(f"groups/{segs[1]}")
        )
    if first in _FB_RESERVED or first in ("people", "pages", "groups"):
        raise _not_account(rules)
    if legacy := re.fullmatch(r"[A-Za-z0-9.-]+-([0-9]{6,20})", segs[0]):
        return _facebook_id(rules, legacy[1], display=segs[0])
    return _named(rules, segs[0])


def _facebook_handle(rules: PlatformRules, text: str) -> AccountIdentity:
    return _facebook_id(rules, text) if text.isdigit() else _facebook_path(rules, Link("", [text], {}))


# YouTube: /@handle, /channel/UC<22>, /c/<name>, /user/<name>, and the legacy /<name> (same as /c/<name>).
_YT_VIDEOS = {"watch", "shorts", "live", "embed", "playlist", "v", "clip", "post"}
_YT_RESERVED = {"results", "feed", "account", "premium", "gaming", "music", "hashtag", "t", "about"}
_YT_NAMES = {"channel": re.compile(r"UC[A-Za-z0-9_-]{22}"), "c": re.compile(r"[A-Za-z0-9._-]{1,100}")}
_YT_NAMES["user"] = _YT_NAMES["c"]


def _youtube_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    first = _first(rules, link)
    kind = first.lower()
    if kind in _YT_VIDEOS:
        raise _post(rules)
    if first.startswith("@"):
        return _named(rules, first[1:])
    if kind in _YT_NAMES and len(link.segs) >= 2:
        name = link.segs[1]
    elif kind in _YT_RESERVED or kind in _YT_NAMES:
        raise _not_account(rules)
    else:
        kind, name = "c", first
    if not _YT_NAMES[kind].fullmatch(name):
        raise _not_account(rules)
    return AccountIdentity(
        f"{kind}/{name}", f"{kind}/{name}".lower(), f"https://www.youtube.com/{kind}/{name}"
    )


def _linkedin_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    first, segs = _first(rules, link).lower(), link.segs
    if first in ("in", "pub"):
        raise _Problem(
            "This is a personal LinkedIn profile. Council accounts are organisation pages: register the "
            "council's page instead (its link contains /company/ or /showcase/)."
        )
    if first in ("posts", "pulse", "events") or [seg.lower() for seg in segs[:2]] == ["feed", "update"]:
        raise _post(rules)
    if first not in ("company", "showcase") or len(segs) < 2:
        raise _not_account(rules)
    page = _named(rules, segs[1])
    if first == "company":
        return page
    showcase = f"showcase/{segs[1]}"
    return AccountIdentity(showcase, showcase.lower(), f"https://www.linkedin.com/{showcase}/")


def _flickr_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    segs = link.segs
    if len(segs) < 2 or segs[0].lower() not in ("photos", "people") or segs[1].lower() in ("tags", "search"):
        raise _not_account(rules)
    if len(segs) > 2 and segs[2].isdigit():  # /photos/<name>/<photo id>
        raise _post(rules)
    return _named(rules, segs[1])


def _nextdoor_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    """Agency pages (/agency-detail/<region>/<area>/<slug>/, /agency/<slug>/) and business pages
    (/pages/<slug>/); the key is the slug. The link is rebuilt on the host given (.co.uk or .com)."""
    first, segs = _first(rules, link).lower(), link.segs
    if first in ("p", "news_feed"):
        raise _post(rules)
    if first not in ("agency-detail", "agency", "pages") or len(segs) < 2:
        raise _not_account(rules)
    keep = segs if first == "agency-detail" else segs[:2]
    host = link.host.removeprefix("www.") or "nextdoor.co.uk"
    return replace(_named(rules, keep[-1]), profile_url=f"https://{host}/{'/'.join(keep)}/")


def _bluesky_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    segs = link.segs
    if len(segs) < 2 or segs[0].lower() != "profile":
        raise _not_account(rules)
    if len(segs) > 2 and segs[2].lower() == "post":
        raise _post(rules)
    return _named(rules, segs[1])


def _whatsapp_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    """Channel IDs are case-sensitive invite codes, so the key keeps their case: lower-casing could
    merge two different channels."""
    segs = link.segs
    if len(segs) < 2 or segs[0].lower() != "channel":
        raise _Problem(f"This isn't a WhatsApp channel link. {rules.needs_url}")
    if not re.fullmatch(r"[A-Za-z0-9]{20,30}", segs[1]):
        raise _Problem(f"This WhatsApp channel link is incomplete. {rules.needs_url}")
    return AccountIdentity(segs[1], segs[1], f"https://whatsapp.com/channel/{segs[1]}")


def _other_path(rules: PlatformRules, link: Link) -> AccountIdentity:
    path = "/".join(link.segs)
    key = f"{link.host.removeprefix('www.')}/{path}".rstrip("/").lower()
    return AccountIdentity(key, key, f"https://{link.host}/{path}")


_INSTAGRAM_RE = re.compile(r"[A-Za-z0-9._]{1,30}")
_INSTAGRAM_HELP = "1 to 30 letters, numbers, full stops or underscores"
# A domain name (each label 1-63 characters, the last starting with a letter) or a DID.
_LABEL = r"(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_BLUESKY_RE = re.compile(
    rf"(?=.{{3,253}}\Z)(?:(?:[A-Za-z0-9]{_LABEL}\.)+[A-Za-z]{_LABEL}|did:plc:[a-z2-7]{{24}}|did:web:[a-z0-9.-]+)"
)

_X_RESERVED = {"home", "i", "search", "intent", "explore", "notifications", "messages", "settings", "share"}
_X_RESERVED |= {"hashtag", "compose", "login", "signup", "tos", "privacy"}

# fmt: off
_RULES = [
    PlatformRules(
        platform=Platform.X, name="X", example="https://x.com/NorthfieldCC", hosts=("x.com", "twitter.com"),
        handle_re=re.compile(r"[A-Za-z0-9_]{1,15}"), handle_help="1 to 15 letters, numbers or underscores",
        from_path=_simple_path({"status", "statuses"}, _X_RESERVED), url_template="https://x.com/{}",
        display_at=True, share_hosts=("t.co",),
        character_limit=280, counts_links_as=23,  # every link becomes a 23-character t.co link
    ),
    PlatformRules(
        platform=Platform.FACEBOOK, name="Facebook", example="https://www.facebook.com/northfieldcouncil",
        hosts=("facebook.com", "fb.com"), handle_re=re.compile(r"[A-Za-z0-9.]{5,50}"),
        handle_help="5 to 50 letters, numbers or full stops", from_path=_facebook_path,
        url_template="https://www.facebook.com/{}", from_handle=_facebook_handle,
        key_of=lambda name: name.lower().replace(".", ""),  # Facebook ignores full stops and case
        share_hosts=("fb.watch", "fb.me"), character_limit=63206,
    ),
    PlatformRules(
        platform=Platform.INSTAGRAM, name="Instagram", example="https://www.instagram.com/northfieldcouncil/",
        hosts=("instagram.com",), handle_re=_INSTAGRAM_RE, handle_help=_INSTAGRAM_HELP,
        # /<name>/reels/ is the profile's Reels tab, so "reels" marks a post only as /reels/<id>
        from_path=_simple_path({"p", "reel", "tv", "stories"}, {"explore", "accounts", "direct", "reels"}),
        url_template="https://www.instagram.com/{}/", display_at=True, character_limit=2200,
    ),
    PlatformRules(
        platform=Platform.YOUTUBE, name="YouTube", example="https://www.youtube.com/@northfieldcouncil",
        hosts=("youtube.com",), handle_re=re.compile(r"[A-Za-z0-9._-]{3,30}"),
        handle_help="3 to 30 letters, numbers, full stops, hyphens or underscores", from_path=_youtube_path,
        url_template="https://www.youtube.com/@{}", display_at=True, share_hosts=("youtu.be",),
        character_limit=5000,  # community posts and video descriptions
    ),
    PlatformRules(
        platform=Platform.LINKEDIN, name="LinkedIn", example="https://www.linkedin.com/company/northfield-council/",
        hosts=("linkedin.com",), handle_re=re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}"),
        handle_help="the part of the page link after /company/, made of letters, numbers and hyphens",
        from_path=_linkedin_path, url_template="https://www.linkedin.com/company/{}/",
        key_of=lambda slug: f"company/{slug.lower()}", share_hosts=("lnkd.in",), character_limit=3000,
    ),
    PlatformRules(
        platform=Platform.TIKTOK, name="TikTok", example="https://www.tiktok.com/@northfieldcouncil",
        hosts=("tiktok.com",), handle_re=re.compile(r"[A-Za-z0-9._]{2,24}"),
        handle_help="2 to 24 letters, numbers, full stops or underscores",
        from_path=_simple_path({"video", "photo"}, set(), at=True), url_template="https://www.tiktok.com/@{}",
        display_at=True, share_hosts=("vm.tiktok.com", "vt.tiktok.com"), character_limit=4000,
    ),
    PlatformRules(
        platform=Platform.FLICKR, name="Flickr", example="https://www.flickr.com/photos/northfieldcouncil/",
        hosts=("flickr.com",), handle_re=re.compile(r"[A-Za-z0-9_-]{1,64}|[0-9]{1,20}@N[0-9]{2}"),  # or NSID
        handle_help="letters, numbers, hyphens or underscores", from_path=_flickr_path,
        url_template="https://www.flickr.com/photos/{}/", share_hosts=("flic.kr",),
    ),
    PlatformRules(
        platform=Platform.NEXTDOOR, name="Nextdoor",
        example="https://nextdoor.co.uk/agency-detail/england/northfield/northfield-council/",
        hosts=("nextdoor.co.uk", "nextdoor.com"), handle_re=re.compile(r"[A-Za-z0-9_-]{1,100}"),
        handle_help="the last part of the page link, made of letters, numbers and hyphens",
        from_path=_nextdoor_path,
        url_template="",  # the link depends on page type and region: a slug alone can't be turned into one
    ),
    PlatformRules(
        platform=Platform.BLUESKY, name="Bluesky", example="https://bsky.app/profile/northfield.bsky.social",
        hosts=("bsky.app",), handle_re=_BLUESKY_RE,
        handle_help="a domain name such as northfield.bsky.social, or a did:plc: identifier",
        from_path=_bluesky_path, url_template="https://bsky.app/profile/{}", display_at=True,
        character_limit=300,
    ),
    PlatformRules(
        platform=Platform.THREADS, name="Threads", example="https://www.threads.com/@northfieldcouncil",
        hosts=("threads.com", "threads.net"), handle_re=_INSTAGRAM_RE, handle_help=_INSTAGRAM_HELP,
        from_path=_simple_path({"post"}, set(), at=True), url_template="https://www.threads.com/@{}",
        display_at=True, character_limit=500,
    ),
    PlatformRules(
        platform=Platform.WHATSAPP, name="WhatsApp", example="https://whatsapp.com/channel/0029VaNorthfieldCouncil01",
        hosts=("whatsapp.com",), handle_re=None, handle_help="", from_path=_whatsapp_path, url_template="",
        needs_url="Give the channel's link: it starts https://whatsapp.com/channel/ (in WhatsApp, choose "
        "Channel info, then Share channel link).",
    ),
    PlatformRules(
        platform=Platform.OTHER, name="Other", example="https://www.example.com/northfieldcouncil", hosts=(),
        handle_re=None, handle_help="", from_path=_other_path, url_template="",
        needs_url="Give the link to the account's page: for other platforms, the link identifies it.",
    ),
]
# fmt: on
PLATFORMS: dict[str, PlatformRules] = {rules.platform: rules for rules in _RULES}


def rules_for(platform: str) -> PlatformRules:
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"Unknown platform: {platform!r}") from None


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith(f".{domain}") for domain in domains)


def _split_url(text: str, example: str) -> Link:
    if any(char.isspace() for char in text):
        raise _Problem("A link can't contain spaces. Copy the address from your browser's address bar.")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    if "://" not in text and not (scheme and "." not in scheme[1]):  # "x.com/name": assume https
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        host, parts = "", None
    if not parts or parts.scheme.lower() not in ("http", "https") or "." not in host:
        raise _Problem(f"Enter a full web address starting with https://, such as {example}")
    if "@" in parts.netloc:
        raise _Problem("This link contains a user name or password. Copy the account's page address instead.")
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    return Link(host, [seg for seg in parts.path.split("/") if seg], query)


def _a(name: str) -> str:
    return "an" if name[0] in "AEIOX" else "a"  # "an X link", "an Instagram one"


def _from_url(rules: PlatformRules, text: str) -> AccountIdentity:
    link = _split_url(text, rules.example)
    owner = next((r for r in _RULES if _host_matches(link.host, r.hosts + r.share_hosts)), None)
    if owner is not None and owner is not rules:
        if rules.platform == Platform.OTHER:
            raise _Problem(
                f"This is {_a(owner.name)} {owner.name} link. Choose {owner.name} as the platform."
            )
        raise _Problem(
            f"This is {_a(owner.name)} {owner.name} link, not {_a(rules.name)} {rules.name} one. "
            f"Choose {owner.name} as the platform or use the account's {rules.name} link."
        )
    if owner is None and rules.hosts:
        raise _Problem(
            f"This link is not on {rules.name}. "
            f"Use the link to the account's {rules.name} page, such as {rules.example}"
        )
    if _host_matches(link.host, rules.share_hosts):
        raise _Problem(
            "This is a short sharing link, which points at a single post. "
            f"Open the account's profile page and copy its address instead, such as {rules.example}"
        )
    return rules.from_path(rules, link)


def _looks_like_url(text: str) -> bool:
    return "://" in text or text.lower().startswith("www.") or ("/" in text and "." in text.split("/", 1)[0])


def _from_handle(rules: PlatformRules, text: str) -> AccountIdentity:
    if _looks_like_url(text):
        return _from_url(rules, text)
    if "/" in text:  # a path such as "channel/UC..." or "groups/northfield"
        return rules.from_path(rules, Link("", [seg for seg in text.split("/") if seg], {}))
    return (rules.from_handle or _named)(rules, text.removeprefix("@"))


def identify(platform: str, handle: str = "", profile_url: str = "") -> AccountIdentity:
    """Validate handle and/or URL for the platform and return the canonical identity.

    At least one of handle/profile_url must be given. If both are given they must name the same account.
    Raises ValidationError with a dict of field ("handle", "profile_url") -> message.
    """
    rules = rules_for(platform)
    handle, profile_url = (handle or "").strip(), (profile_url or "").strip()
    errors, by_handle, by_url, name = {}, None, None, ""
    if handle and rules.handle_re is None and not _looks_like_url(handle):
        name = handle  # WhatsApp and Other: the handle is just a display name
    elif handle:
        try:
            by_handle = _from_handle(rules, handle)
        except _Problem as problem:
            errors["handle"] = str(problem)
    if profile_url:
        try:
            by_url = _from_url(rules, profile_url)
        except _Problem as problem:
            errors["profile_url"] = str(problem)
    if errors:
        raise ValidationError(errors)
    if not (by_handle or by_url):
        if rules.needs_url:
            raise ValidationError({"profile_url": rules.needs_url})
        raise ValidationError({"handle": "Enter the account's handle or the link to its profile page."})
    if by_handle and by_url:
        if by_handle.key != by_url.key:
            raise ValidationError(
                {
                    "handle": "The handle and the profile link point to different accounts: "
                    f"{by_handle.handle} and {by_url.handle}."
                }
            )
        return replace(by_url, handle=by_handle.handle)
    found = by_handle or by_url
    return replace(found, handle=name) if name else found
