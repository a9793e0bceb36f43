def lockout_username(request, credentials) -> str | None:
    """The email typed into the sign-in form, lower-cased, so failures in any case count together."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None
