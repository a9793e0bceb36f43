from django.urls import path

from accounts_registry import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("mine/", views.account_list, {"mine": True}, name="mine"),
    path("summary/", views.account_summary, name="summary"),
    path("export.csv", views.account_export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.account_export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("import/", views.account_import, name="import"),
    path("import/template.csv", views.import_template, {"file_format": "csv"}, name="import_template_csv"),
    path("import/template.xlsx", views.import_template, {"file_format": "xlsx"}, name="import_template_xlsx"),
    path("import/allowed-values.csv", views.import_allowed_values, name="import_allowed_values"),
    path("import/<int:pk>/", views.account_import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.account_import_confirm, name="import_confirm"),
    path("import/<int:pk>/preview-again/", views.account_import_again, name="import_again"),
    path("import/<int:pk>/discard/", views.account_import_discard, name="import_discard"),
    path("request/", views.account_request, name="request"),
    path("handover/", views.handover_list, name="handover"),
    path("handover/<int:person_pk>/", views.handover_choose, name="transfer"),
    path("handover/<int:person_pk>/to/", views.handover_transfer, name="transfer_to"),
    path("handover/<int:person_pk>/deputies/", views.handover_deputies, name="transfer_deputies"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/decide/", views.account_decide, name="decide"),
    path("<int:pk>/status/", views.account_status, name="status"),
    path("<int:pk>/check/", views.account_check, name="check"),
]
