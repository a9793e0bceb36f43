"""Who may do what in planning. The calendar and its feed: whoever may see posts and replies
(content_review.view_area); what each person sees is content_review's one answer."""
