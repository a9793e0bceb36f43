from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def figure(value, kind: str) -> str:
    """66.7% for a share, 4.25 hours, 1,204 for a count; "No figure" when there is nothing to count."""
    if value is None:
        return "No figure"
    if kind == "share":
        return f"{value}%"
    if kind == "hours":
        return f"{value} hours"
    return intcomma(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def choice_label(code: str, kind: str) -> str:
    """The words for a platform, account status or no-reply reason code."""
    from django.apps import apps

    if kind == "platform":
        from accounts_registry.platforms import Platform

        return dict(Platform.choices).get(code, code)
    if kind == "status":
        from accounts_registry.models import AccountStatus

        return dict(AccountStatus.choices).get(code, code)
    if kind == "reason" and apps.is_installed("content_review"):
        from content_review.models import NoReplyReason

        return dict(NoReplyReason.choices).get(code, code)
    return code
