from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from core import views as core_views
from core.contributions import url_mounts

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"


def admin_login(request, extra_context=None):
    """One sign-in page for the whole service; signed-in people without admin access get our 403."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))


admin.site.login = admin_login

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("history/<str:model>/<str:pk>/", core_views.history, name="history"),
    path("accounts/", include("organisation.auth_urls")),
    # Each app's pages, where the app declares them (core.contributions).
    *[path(prefix, include(urlconf)) for prefix, urlconf in url_mounts()],
    path("admin/", admin.site.urls),
]
