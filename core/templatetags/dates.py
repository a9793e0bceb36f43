"""Dates as the GOV.UK style guide writes them (25 November 2026), and times one way everywhere: the
24-hour clock (17:00), as the forms ask for them."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def govuk_date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_datetime(value) -> str:
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y} at {value:%H:%M}"
