from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("people/<int:pk>/", views.person_training, name="person"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/schedule/", views.request_schedule, name="request_schedule"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/new/<int:course_pk>/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export.csv", views.compliance_export, {"file_format": "csv"}, name="compliance_csv"),
    path("compliance/export.xlsx", views.compliance_export, {"file_format": "xlsx"}, name="compliance_xlsx"),
    path("import/", views.completions_import, name="import"),
]
