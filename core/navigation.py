"""The service navigation: one list, each item shown to those holding its permission.
Later apps add their items here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # None: everyone signed in
    active_prefix: str = ""


NAV_ITEMS = [
    NavItem("Home", "home"),
    NavItem("Posts and replies", "content:mine", "content_review.view_area", "/content/"),
    NavItem("Accounts", "accounts:list", "accounts_registry.view_register", "/accounts-register/"),
    NavItem("Questionnaires", "surveys:list", None, "/surveys/"),
    NavItem("People", "people:list", "organisation.view_user", "/people/"),
]


def nav_for(user, path: str) -> list[dict]:
    from django.urls import reverse

    items = []
    for item in NAV_ITEMS:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        active = path.startswith(item.active_prefix) if item.active_prefix else path == url
        items.append({"label": item.label, "url": url, "active": active})
    return items
