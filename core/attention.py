"""What needs a person's attention, shown on the home page.

Each app registers a function taking the user and returning AttentionItems; the home page shows
what they return, largest first. Apps register in their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AttentionItem:
    count: int
    label: str  # "people who have left still hold a role", read after the count
    url: str
    hint: str = ""


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    _providers.append(provider)
    return provider


def items_for(user) -> list[AttentionItem]:
    items = [item for provider in _providers for item in provider(user) if item.count]
    return sorted(items, key=lambda i: -i.count)
