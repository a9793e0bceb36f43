from django.urls import path

from accounts_registry import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("mine/", views.account_list, {"mine": True}, name="mine"),
    path("export.csv", views.account_export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.account_export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("request/", views.account_request, name="request"),
    path("handover/", views.handover_list, name="handover"),
    path("handover/<int:person_pk>/", views.handover_transfer, name="transfer"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/decide/", views.account_decide, name="decide"),
    path("<int:pk>/status/", views.account_status, name="status"),
    path("<int:pk>/check/", views.account_check, name="check"),
]
