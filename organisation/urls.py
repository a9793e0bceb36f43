from django.urls import path

from organisation import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/mark-left/", views.person_mark_left_view, name="mark_left"),
    path("<int:pk>/give-role/", views.role_grant_new, name="role_grant_new"),
    path("role-grants/", views.role_grant_list, name="role_grants"),
    path("role-grants/<int:pk>/", views.role_grant_detail, name="role_grant"),
]
