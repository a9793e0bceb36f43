"""`{% redactions_of record %}`: list items, for a record's history column, saying when personal data
was removed from it, by whom and why (core.models.Redaction: one query)."""

from django import template

from core.models import Redaction

register = template.Library()


@register.inclusion_tag("includes/redactions.html")
def redactions_of(record):
    found = Redaction.objects.filter(
        record=record._meta.label_lower, record_id=str(record.pk)
    ).select_related("by")
    return {"redactions": list(found)}
