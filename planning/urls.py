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
urlpatterns += [
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/posts/", views.campaign_posts, name="campaign_posts"),
    path("campaigns/<int:pk>/approve/", views.campaign_approve, name="campaign_approve"),
]
