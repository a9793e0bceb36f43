"""What needs a person's attention, shown on the home page.

Each app declares functions taking the user and returning AttentionItems (`contribute(attention=…)`
in its AppConfig.ready()); the home page shows what they return, largest first."""

from dataclasses import dataclass

from core import contributions


@dataclass(frozen=True)
class AttentionItem:
    count: int
    label: str  # "people who have left still hold a role", read after the count
    url: str
    hint: str = ""


def items_for(user) -> list[AttentionItem]:
    providers = contributions.attention_providers()
    items = [item for provider in providers for item in provider(user) if item.count]
    return sorted(items, key=lambda i: -i.count)
