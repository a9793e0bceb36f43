from decimal import Decimal

from django import template

from surveys.charts import bars_for

register = template.Library()
DASH, MINUS = "\u2013", "\u2212"  # an en dash for "none"; a true minus sign, read correctly by screen readers


@register.filter
def signed(value) -> str:
    """A change, with its sign: +3.2, MINUS 1.5, 0."""
    if value is None or value == "":
        return DASH
    if isinstance(value, Decimal) and value == 0:
        return "0"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"{MINUS}{abs(value)}"
    return str(value)


@register.filter
def dash(value) -> str:
    return DASH if value is None or value == "" else str(value)


@register.inclusion_tag("surveys/chart.html")
def survey_chart(question) -> dict:
    """A question's bar chart (surveys.charts), drawn only when the report's figures are drawn: the
    report page keeps the drawn figures, charts and all, with its cached figures."""
    return {"chart": bars_for(question)}
