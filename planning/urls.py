from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    path("", views.calendar_list, name="calendar"),
    path("month/", views.calendar_month, name="month"),
    path("week/", views.calendar_week, name="week"),
]
urlpatterns += [
    path("feed/", views.feed, name="feed"),
    path("feed/<str:token>.ics", views.feed_ics, name="ics"),
]
