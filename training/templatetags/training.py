"""Small helpers for the training pages."""

from datetime import timedelta

from django import template
from django.urls import reverse

from core.status import colour_of

register = template.Library()

STATE_LABELS = {"valid": "Done", "expiring": "Runs out soon", "missing": "Needed"}


@register.inclusion_tag("includes/status_tag.html")
def need_tag(state: str) -> dict:
    """A required course's state as a tag: done, runs out soon, needed."""
    return {"label": STATE_LABELS[state], "colour": colour_of(state)}


@register.filter
def last_day(expires_on):
    """The last day a completion counts: the day before it expires (None: it never does)."""
    return expires_on - timedelta(days=1) if expires_on else None


@register.inclusion_tag("training/nav.html", takes_context=True)
def training_nav(context, section: str) -> dict:
    """The training section's own links: `{% training_nav "courses" %}`."""
    user = context["request"].user
    items = [
        ("mine", "My training", "training:mine", True),
        ("courses", "Courses", "training:catalogue", True),
        (
            "requests",
            "Requests and demand",
            "training:request_list",
            user.has_perm("training.view_all_training"),
        ),
        ("sessions", "Sessions", "training:session_list", user.has_perm("training.view_all_training")),
        ("compliance", "Who is trained", "training:compliance", user.has_perm("training.view_compliance")),
        ("import", "Import completions", "training:import", user.has_perm("training.import_completions")),
    ]
    return {
        "training_nav": [(key, label, reverse(name), shown) for key, label, name, shown in items],
        "section": section,
    }
