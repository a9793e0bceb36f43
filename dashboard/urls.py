from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("records/<str:name>/", views.records_page, name="records"),
]
