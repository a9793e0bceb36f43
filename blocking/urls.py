from django.urls import path

from blocking import views

app_name = "blocking"
urlpatterns = [
    path("", views.home, name="home"),
    path("refer/", views.referral_new, name="refer"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/decide/", views.referral_decide, name="decide"),
    path("referrals/<int:pk>/information/", views.referral_add_information, name="add_information"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("blocks/", views.register, name="register"),
    path("blocks/record/", views.block_record, name="record"),
    path("blocks/import/", views.blocks_import, name="import"),
    path("blocks/<int:pk>/", views.block_detail, name="block"),
    path("blocks/<int:pk>/confirm/", views.block_confirm, name="confirm"),
    path("blocks/<int:pk>/reverse/", views.block_reverse, name="reverse"),
    path("blocks/<int:pk>/review/", views.block_review, name="review"),
    path("blocks/<int:pk>/appeal/", views.appeal_new, name="appeal_new"),
    path("appeals/", views.appeal_list, name="appeals"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/answer/", views.appeal_answer, name="answer"),
    path("person/", views.person, name="person"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_download, {"file_format": "csv"}, name="report_csv"),
    path("report.xlsx", views.report_download, {"file_format": "xlsx"}, name="report_xlsx"),
]
