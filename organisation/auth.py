import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)
_warned_about_proxy = False


def lockout_username(request, credentials) -> str | None:
    """The email typed into the sign-in form, lower-cased, so failures in any case count together."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None


def client_address(request) -> str | None:
    """The address of the person signing in, which lock-outs count failures against.

    Each of the PROXY_COUNT proxies in front of the app appends the address it received the request
    from to X-Forwarded-For, so the client's address is the PROXY_COUNT-th entry from the right;
    whatever is further left was written by the client and is not believed. A request with fewer
    entries did not come through the proxies, and its connecting address is the client's."""
    global _warned_about_proxy
    remote = request.META.get("REMOTE_ADDR")
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    count = settings.PROXY_COUNT
    if count == 0:
        if forwarded and not _warned_about_proxy:
            _warned_about_proxy = True
            logger.error(
                "Requests come through a proxy (X-Forwarded-For) but PROXY_COUNT is 0: sign-in lock-outs "
                "see the proxy's address for everyone. Set PROXY_COUNT (see README, Configuration)."
            )
        return remote
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
