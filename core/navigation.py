"""The service navigation: Home, then what each app declares (core.contributions), each item shown
to those holding its permission."""

from django.urls import reverse

from core.contributions import NavItem, nav_items

HOME = NavItem("Home", "home", order=0)


def nav_for(user, path: str) -> list[dict]:
    items = []
    for item in [HOME, *nav_items()]:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        active = path.startswith(item.active_prefix) if item.active_prefix else path == url
        items.append({"label": item.label, "url": url, "active": active})
    return items
