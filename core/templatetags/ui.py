"""The small UI kit every app's pages use: status tags and action buttons."""

from django import template

from core.contributions import links_for
from core.status import colour_of

register = template.Library()


@register.inclusion_tag("includes/status_tag.html")
def status_tag(record, field: str = "status") -> dict:
    """The record's status as a coloured tag: `{% status_tag draft %}`."""
    value = getattr(record, field)
    return {"label": getattr(record, f"get_{field}_display")(), "colour": colour_of(value)}


@register.inclusion_tag("includes/actions.html", takes_context=True)
def action_buttons(context, actions, only: str = "") -> dict:
    """The actions a person may take (core.actions), as buttons: `{% action_buttons actions %}`;
    `only="approve,reject"` to place some of them."""
    names = {n.strip() for n in only.split(",") if n.strip()}
    shown = [a for a in actions.shown if not names or a.name in names]
    return {"shown": shown, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("includes/record_links.html", takes_context=True)
def record_links(context, record, brief: bool = False) -> dict:
    """Links other apps add to this record's page (core.contributions.add_record_links), e.g. "Refer
    the sender" on a message from the public: `{% record_links message %}`; `brief=True` in a list's
    rows, without the hints that would repeat on every row."""
    return {"links": links_for(record, context["request"].user), "brief": brief}
