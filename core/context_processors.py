from django.conf import settings

from core.contributions import banners_for
from core.navigation import nav_for


def service(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "nav_items": nav_for(user, request.path) if signed_in else [],
        "show_admin_link": signed_in and user.is_staff,
        "site_banners": banners_for(request) if signed_in else [],
    }
