from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("new/", views.questionnaire_new, name="new"),
    path("compare/", views.compare, name="compare"),
    path("invitations/<int:pk>/", views.answer_start, name="start"),
    path("invitations/<int:pk>/answer/", views.answer_next, name="answer"),
    path("invitations/<int:pk>/questions/<slug:code>/", views.answer_question, name="question"),
    path("invitations/<int:pk>/check/", views.answer_check, name="check"),
    path("invitations/<int:pk>/done/", views.answer_done, name="done"),
    path("<slug:slug>/", views.questionnaire_detail, name="detail"),
    path("<slug:slug>/definition.json", views.questionnaire_definition, name="definition"),
    path("<slug:slug>/edit/", views.questionnaire_edit, name="edit"),
    path("<slug:slug>/copy/", views.questionnaire_copy, name="copy"),
    path("<slug:slug>/invite/", views.questionnaire_invite, name="invite"),
    path("<slug:slug>/open/", views.questionnaire_move, {"transition": "open"}, name="open"),
    path("<slug:slug>/close/", views.questionnaire_move, {"transition": "close"}, name="close"),
    path("<slug:slug>/reopen/", views.questionnaire_move, {"transition": "reopen"}, name="reopen"),
    path("<slug:slug>/import/", views.responses_import, name="import"),
    path("<slug:slug>/responses.csv", views.responses_export, name="export_responses"),
    path("<slug:slug>/responses/", views.response_list, name="responses"),
    path("<slug:slug>/responses/<int:pk>/", views.response_detail, name="response"),
    path("<slug:slug>/responses/<int:pk>/void/", views.response_void, name="void"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report/comments/", views.comments, name="comments"),
    path("<slug:slug>/report.csv", views.report_export, {"file_format": "csv"}, name="report_csv"),
    path("<slug:slug>/report.xlsx", views.report_export, {"file_format": "xlsx"}, name="report_xlsx"),
]
