from django.urls import path

from content_review import views

app_name = "content"
urlpatterns = [
    path("", views.my_drafts, name="mine"),
    path("review/", views.queue, name="queue"),
    path("new/", views.draft_new, name="new"),
    path("urgent/", views.urgent_new, name="urgent"),
    path("check/", views.check_preview, name="check"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/", views.inbound_new, name="inbound_new"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:message_pk>/reply/", views.draft_new, name="reply"),
    path("messages/<int:pk>/no-reply/", views.message_no_reply, name="no_reply"),
    path("messages/<int:pk>/hide/", views.message_hide, name="hide"),
    path("standard-responses/", views.responses, name="responses"),
    path("standard-responses/new/", views.response_edit, name="response_new"),
    path("standard-responses/<int:pk>/", views.response_edit, name="response_edit"),
    path("chains/", views.chain_list, name="chains"),
    path("chains/new/", views.chain_edit, name="chain_new"),
    path("chains/<int:pk>/", views.chain_edit, name="chain_edit"),
    path("chains/<int:pk>/remove/", views.chain_delete, name="chain_delete"),
    path("pre-election/", views.pre_election, name="pre_election"),
    path("pre-election/new/", views.pre_election_edit, name="pre_election_new"),
    path("pre-election/<int:pk>/", views.pre_election_edit, name="pre_election_edit"),
    path("<int:pk>/", views.draft_detail, name="detail"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/submit/", views.draft_submit, name="submit"),
    path("<int:pk>/decide/", views.draft_decide, name="decide"),
    path("<int:pk>/publish/", views.draft_publish, name="publish"),
    path("<int:pk>/withdraw/", views.draft_withdraw, name="withdraw"),
    path("<int:pk>/comment/", views.draft_comment, name="comment"),
    path("<int:pk>/image/", views.draft_add_image, name="image"),
    path("<int:pk>/images/<int:image_pk>/", views.draft_image, name="image_file"),
    path("<int:pk>/images/<int:image_pk>/remove/", views.draft_remove_image, name="image_remove"),
    path("<int:pk>/post-review/", views.draft_post_review, name="post_review"),
]
