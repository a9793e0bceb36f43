"""What needs a person's attention, shown on the home page.

Each app declares functions taking the user and returning AttentionItems (`contribute(attention=…)`
in its AppConfig.ready()); the home page shows what they return, largest first. A provider asks the
database once, however many items it gives: `counts(...)` puts its counts in one statement."""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from core import contributions


@dataclass(frozen=True)
class AttentionItem:
    count: int
    label: str  # "people who have left still hold a role", read after the count
    url: str
    hint: str = ""


def counts(**querysets: QuerySet) -> dict[str, int]:
    """Each queryset's count(), all in one statement: SELECT (SELECT COUNT(*) FROM (…)), (…), …

    One round trip for a provider's items rather than one each. Each count stays a subquery of its own
    rather than a filter of one aggregate, so each keeps the plan (and the partial index) it has alone:
    one conditional aggregate over a large table would read the whole table for the rarest item."""
    parts, params, using = [], [], None
    for n, queryset in enumerate(querysets.values()):
        using = using or queryset.db
        try:
            sql, more = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter on an empty list: nothing to ask
            parts.append("0")
            continue
        # Django's compiled text, every value a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{n})")  # noqa: S608  # nosec B608
        params.extend(more)
    if all(part == "0" for part in parts):
        return dict.fromkeys(querysets, 0)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def items_for(user) -> list[AttentionItem]:
    providers = contributions.attention_providers()
    items = [item for provider in providers for item in provider(user) if item.count]
    return sorted(items, key=lambda i: -i.count)
