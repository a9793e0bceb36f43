"""Dates as the GOV.UK style guide writes them: 25 November 2026, 2:30pm."""

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
    hour = value.hour % 12 or 12
    minutes = "" if value.minute == 0 else f":{value.minute:02d}"
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return f"{value.day} {value:%B %Y} at midday"
    return f"{value.day} {value:%B %Y} at {hour}{minutes}{suffix}"
