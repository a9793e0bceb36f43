from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.rules, name="rules"),
    path("subject-access/", views.subject_access_page, name="subject_access"),
]
