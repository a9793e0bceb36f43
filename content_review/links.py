"""Is a publication link on the account's platform, and on the account itself? Read with the register's
own platform rules (accounts_registry.platforms), never a second copy of them."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from accounts_registry.models import Account
from accounts_registry.platforms import PLATFORMS, PlatformRules, identify, rules_for


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith(f".{domain}") for domain in domains)


def platform_of(url: str) -> PlatformRules | None:
    """The platform whose address (or short sharing address) the link is on; None for anywhere else."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return next((rules for rules in PLATFORMS.values() if _on(host, rules.hosts + rules.share_hosts)), None)


def account_named_in(url: str, platform: str) -> str | None:
    """The account a post's link names, where its address says so (x.com/<handle>/status/1): the
    register's key of the link cut back to its first one, two or three parts, whichever names an account.
    None where the address does not say (instagram.com/p/…, a short sharing link)."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    for length in range(1, min(len(segments), 3) + 1):
        try:
            return identify(
                platform, profile_url=f"https://{parts.hostname}/{'/'.join(segments[:length])}"
            ).key
        except ValidationError:
            continue
    return None


def publication_link_problem(url: str, account: Account) -> str | None:
    """Why this link cannot be where the post went out on this account, or None."""
    rules, owner = rules_for(account.platform), platform_of(url)
    if owner is not None and owner is not rules:
        return (
            f"This link is on {owner.name}, but {account.display_name} is an account on {rules.name}. "
            f"Give the link to the post on {rules.name}."
        )
    if owner is None and rules.hosts:
        return f"This link is not on {rules.name}. Give the link to the post on {account.display_name}."
    if account.profile_url and account.handle_key:
        named = account_named_in(url, account.platform)
        if named is not None and named != account.handle_key:
            return (
                f"This link is to a post on another {rules.name} account, not {account.display_name} "
                f"({account.handle}). Give the link to the post on {account.handle}."
            )
    return None
