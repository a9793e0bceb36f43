from django.urls import path

from organisation import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/mark-left/", views.person_mark_left_view, name="mark_left"),
]
