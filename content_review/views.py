from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content_review import services
from content_review.forms import (
    CommentForm,
    DecisionForm,
    DraftForm,
    ImageForm,
    InboundForm,
    PublishForm,
    ReasonForm,
    StandardResponseForm,
    SubmitForm,
    UrgentForm,
)
from content_review.models import D, Draft, DraftKind, DraftStatus, InboundMessage, StandardResponse
from content_review.permissions import may_draft_for
from content_review.selectors import (
    accounts_drafted_by,
    departure_from,
    drafts_visible_to,
    due_status,
    messages_visible_to,
    review_queue,
    word_diff,
)
from core.forms import form_page, search_words
from core.pages import object_for, paginate


def _draft_for(user, pk: int, perm: str | None = None) -> Draft:
    visible = drafts_visible_to(user).select_related(
        "account", "author", "inbound_message", "standard_response", "account__service_area"
    )
    return object_for(user, visible, pk, perm)


def _detail(draft: Draft) -> str:
    return reverse("content:detail", args=[draft.pk])


@require_GET
def my_drafts(request):
    drafts = drafts_visible_to(request.user).filter(author=request.user)
    if request.GET.get("all"):  # everything this person may see: a head of service's whole area, say
        drafts = drafts_visible_to(request.user)
    if request.GET.get("urgent"):
        drafts = drafts_visible_to(request.user).filter(urgent=True, post_reviewed_at__isnull=True)
    status = request.GET.get("status")
    if status in DraftStatus.values:
        drafts = drafts.filter(status=status)
    page, query = paginate(request, drafts.select_related("account", "author"))
    return render(
        request,
        "content_review/my_drafts.html",
        {
            "page": page,
            "query": query,
            "statuses": DraftStatus.choices,
            "status": status,
            "can_draft": accounts_drafted_by(request.user).exists(),
        },
    )


@require_GET
def queue(request):
    drafts = review_queue(request.user)
    if account := request.GET.get("account"):
        drafts = drafts.filter(account_id=account) if account.isdigit() else drafts
    if kind := request.GET.get("kind"):
        drafts = drafts.filter(kind=kind)
    if request.GET.get("due") == "overdue":
        drafts = drafts.filter(inbound_message__in=InboundMessage.objects.overdue())
    if area := request.GET.get("service_area"):
        drafts = drafts.filter(account__service_area_id=area) if area.isdigit() else drafts
    page, query = paginate(request, drafts.order_by("inbound_message__due_at", "updated_at"))
    for draft in page.object_list:
        draft.due = due_status(draft.inbound_message) if draft.inbound_message else None
    return render(
        request, "content_review/queue.html", {"page": page, "query": query, "kinds": DraftKind.choices}
    )


@require_http_methods(["GET", "POST"])
def draft_new(request, message_pk: int | None = None):
    accounts = accounts_drafted_by(request.user)
    message = get_object_or_404(messages_visible_to(request.user), pk=message_pk) if message_pk else None
    if not accounts.exists() or (message and not may_draft_for(request.user, message.account)):
        raise PermissionDenied
    standard = None
    if sr := request.GET.get("standard_response"):
        standard = StandardResponse.objects.filter(pk=sr, is_active=True).first() if sr.isdigit() else None
    initial = {"text": standard.body if standard else "", "account": message.account if message else None}
    check_url = reverse("content:check") + (f"?account={message.account_id}" if message else "")
    form = DraftForm(
        request.POST or None,
        accounts=accounts,
        show_account=message is None,
        initial=initial,
        check_url=check_url,
    )

    def act(data):
        return services.draft_create(
            by=request.user,
            account=message.account if message else data["account"],
            text=data["text"],
            planned_for=data.get("planned_for"),
            inbound_message=message,
            standard_response=standard,
        )

    return form_page(
        request,
        form,
        act,
        template="content_review/draft_form.html",
        context={
            "message": message,
            "standard": standard,
            "draft": None,
            "findings": None,
            "responses": StandardResponse.objects.filter(is_active=True)[:50],
        },
        success="Draft saved. Check it, then send it for review.",
        redirect_to=_detail,
    )


@require_http_methods(["GET", "POST"])
def draft_edit(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.change_draft")
    form = DraftForm(
        request.POST or None,
        accounts=accounts_drafted_by(request.user),
        show_account=False,
        initial={"text": draft.text, "planned_for": draft.planned_for, "version": draft.version},
        check_url=reverse("content:check") + f"?account={draft.account_id}",
    )

    def act(data):
        return services.draft_update(
            draft=draft,
            by=request.user,
            version=data["version"],
            text=data["text"],
            planned_for=data.get("planned_for"),
        )

    return form_page(
        request,
        form,
        act,
        template="content_review/draft_form.html",
        context={
            "draft": draft,
            "message": draft.inbound_message,
            "standard": draft.standard_response,
            "findings": [f.as_dict() for f in services.draft_findings(draft)],
        },
        success="Draft saved.",
        redirect_to=_detail,
    )


@require_POST
def check_preview(request):
    """The checks on text being typed (htmx, as the author writes): a fragment of the page."""
    account_id = request.POST.get("account") or request.GET.get("account") or ""
    account = (
        accounts_drafted_by(request.user).filter(pk=account_id).first() if account_id.isdigit() else None
    )
    if account is None:
        raise PermissionDenied
    findings = [f.as_dict() for f in services.text_findings(request.POST.get("text", ""), account.platform)]
    return render(request, "content_review/findings.html", {"findings": findings})


@require_GET
def draft_detail(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.view_draft")
    revisions = list(draft.revisions.all())
    latest = revisions[-1] if revisions else None
    previous = revisions[-2] if len(revisions) > 1 else None
    findings = (
        [f.as_dict() for f in services.draft_findings(draft)]
        if draft.status in (D.DRAFT, D.CHANGES_REQUESTED)
        else (latest.findings if latest else [])
    )
    warnings = sorted({(f["code"], f["message"]) for f in findings if f["severity"] == "warn"})
    can_review = draft.status == D.SUBMITTED and request.user.has_perm("content_review.review_draft", draft)
    context = {
        "draft": draft,
        "revisions": revisions,
        "latest": latest,
        "findings": findings,
        "events": draft.events.select_related("actor", "revision"),
        "diff": word_diff(previous.text, latest.text) if previous and latest else None,
        "departure": departure_from(draft.standard_response.body, draft.text)
        if draft.standard_response
        else None,
        "standard_diff": word_diff(draft.standard_response.body, draft.text)
        if draft.standard_response
        else None,
        "blocking": [f for f in findings if f["severity"] == "block"],
        "can_edit": draft.status in (D.DRAFT, D.CHANGES_REQUESTED)
        and request.user.has_perm("content_review.change_draft", draft),
        "can_review": can_review,
        "decision_form": DecisionForm(
            warnings=[(c, m) for c, m in warnings], initial={"revision": latest.number}
        )
        if can_review
        else None,
        "can_publish": (
            draft.status == D.APPROVED or (draft.status == D.DRAFT and not draft.account.review_required)
        )
        and request.user.has_perm("content_review.publish_draft", draft),
        "can_post_review": draft.urgent
        and not draft.post_reviewed_at
        and request.user.has_perm("content_review.post_review_draft", draft),
        "image_form": ImageForm(),
        "comment_form": CommentForm(),
        "message_due": due_status(draft.inbound_message) if draft.inbound_message else None,
    }
    return render(request, "content_review/draft_detail.html", context)


@require_POST
def draft_submit(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.change_draft")
    return form_page(
        request,
        SubmitForm(request.POST),
        lambda data: services.draft_submit(draft=draft, by=request.user),
        template="content_review/problem.html",
        context={"draft": draft},
        success="Sent for review. The reviewers have been told.",
        redirect_to=_detail(draft),
    )


@require_POST
def draft_decide(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.review_draft")
    latest = draft.latest_revision
    warnings = sorted(
        {(f["code"], f["message"]) for f in (latest.findings if latest else []) if f["severity"] == "warn"}
    )
    form = DecisionForm(request.POST, warnings=warnings)

    def act(data):
        decide = {
            "approve": services.draft_approve,
            "changes": services.draft_request_changes,
            "reject": services.draft_reject,
        }[data["decision"]]
        kwargs = (
            {"acknowledged": data.get("acknowledged", [])}
            if data["decision"] == "approve"
            else {"comment": data["comment"]}
        )
        return decide(draft=draft, by=request.user, revision_number=data["revision"], **kwargs)

    return form_page(
        request,
        form,
        act,
        template="content_review/problem.html",
        context={"draft": draft},
        success="Decision saved. The author has been told.",
        redirect_to=_detail(draft),
    )


@require_http_methods(["GET", "POST"])
def draft_publish(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.publish_draft")
    return form_page(
        request,
        PublishForm(request.POST or None),
        lambda data: services.draft_publish(draft=draft, by=request.user, **data),
        template="content_review/simple_form.html",
        context={"draft": draft, "heading": "Record the publication"},
        success="Publication recorded.",
        redirect_to=_detail(draft),
    )


@require_http_methods(["GET", "POST"])
def draft_withdraw(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.withdraw_draft")
    return form_page(
        request,
        ReasonForm(request.POST or None, submit="Withdraw the draft"),
        lambda data: services.draft_withdraw(draft=draft, by=request.user, comment=data["reason"]),
        template="content_review/simple_form.html",
        context={"draft": draft, "heading": "Withdraw this draft"},
        success="Draft withdrawn.",
        redirect_to=_detail(draft),
    )


@require_POST
def draft_comment(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.comment_draft")
    return form_page(
        request,
        CommentForm(request.POST),
        lambda data: services.draft_comment(draft=draft, by=request.user, comment=data["comment"]),
        template="content_review/problem.html",
        context={"draft": draft},
        success="Comment added.",
        redirect_to=_detail(draft),
    )


@require_POST
def draft_add_image(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.change_draft")
    form = ImageForm(request.POST, request.FILES)

    def act(data):
        return services.draft_add_image(
            draft=draft, by=request.user, image=data["image"], alt_text=data["alt_text"]
        )

    return form_page(
        request,
        form,
        act,
        template="content_review/problem.html",
        context={"draft": draft},
        success="Image added.",
        redirect_to=_detail(draft),
    )


@require_POST
def draft_remove_image(request, pk: int, image_pk: int):
    draft = _draft_for(request.user, pk, "content_review.change_draft")
    return form_page(
        request,
        SubmitForm(request.POST),
        lambda data: services.draft_remove_image(draft=draft, by=request.user, image_pk=image_pk),
        template="content_review/problem.html",
        context={"draft": draft},
        success="Image removed.",
        redirect_to=_detail(draft),
    )


IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


@require_GET
def draft_image(request, pk: int, image_pk: int):
    """A draft's image, for those who may see the draft (uploads are not public files)."""
    draft = _draft_for(request.user, pk, "content_review.view_draft")
    image = get_object_or_404(draft.images, pk=image_pk)
    content_type = IMAGE_TYPES.get(image.image.name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404("Not an image")
    response = FileResponse(image.image.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def draft_post_review(request, pk: int):
    draft = _draft_for(request.user, pk, "content_review.post_review_draft")
    comment = request.POST.get("comment", "")
    return form_page(
        request,
        SubmitForm(request.POST),
        lambda data: services.draft_post_review(draft=draft, by=request.user, comment=comment),
        template="content_review/problem.html",
        context={"draft": draft},
        success="Review after publication recorded.",
        redirect_to=_detail(draft),
    )


@require_http_methods(["GET", "POST"])
def urgent_new(request):
    if not request.user.has_perm("content_review.urgent_publish"):
        raise PermissionDenied
    form = UrgentForm(request.POST or None, accounts=accounts_drafted_by(request.user))
    return form_page(
        request,
        form,
        lambda data: services.draft_publish_urgent(by=request.user, **data),
        template="content_review/urgent_form.html",
        context={},
        success="Urgent publication recorded. Another member of the team must now review it.",
        redirect_to=_detail,
    )


@require_GET
def inbox(request):
    messages_ = messages_visible_to(request.user).select_related("account")
    due = request.GET.get("due")
    if due == "overdue":
        messages_ = messages_.overdue()
    elif due == "open":
        messages_ = messages_.open()
    if q := request.GET.get("q"):
        messages_ = search_words(messages_, q, ["sender_handle", "text", "account__display_name"])
    page, query = paginate(request, messages_.order_by("due_at"))
    drafted = set(accounts_drafted_by(request.user).values_list("pk", flat=True))
    for message in page.object_list:
        message.due = due_status(message)
        message.can_reply = message.is_open and message.account_id in drafted
    return render(
        request,
        "content_review/inbox.html",
        {"page": page, "query": query, "due": due, "can_record": bool(drafted)},
    )


@require_http_methods(["GET", "POST"])
def inbound_new(request):
    accounts = accounts_drafted_by(request.user)
    if not accounts.exists():
        raise PermissionDenied
    return form_page(
        request,
        InboundForm(request.POST or None, accounts=accounts),
        lambda data: services.inbound_record(by=request.user, **data),
        template="content_review/inbound_form.html",
        context={},
        success=lambda m: f"Message recorded. A reply is due by {m.due_at:%-d %B %Y at %H:%M}.",
        redirect_to=lambda m: reverse("content:reply", args=[m.pk]),
    )


@require_GET
def responses(request):
    found = StandardResponse.objects.select_related("owner")
    if not request.user.has_perm("content_review.manage_standard_responses"):
        found = found.filter(is_active=True)
    if q := request.GET.get("q"):
        found = search_words(found, q, ["title", "body"])
    if tag := request.GET.get("tag"):
        found = found.filter(tags__contains=[tag])
    page, query = paginate(request, found)
    return render(request, "content_review/responses.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
def response_edit(request, pk: int | None = None):
    if not request.user.has_perm("content_review.manage_standard_responses"):
        raise PermissionDenied
    response = get_object_or_404(StandardResponse, pk=pk) if pk else None
    form = StandardResponseForm(
        request.POST or None, instance=response, initial={} if response else {"owner": request.user}
    )

    def act(data):
        return services.standard_response_save(by=request.user, response=response, **data)

    return form_page(
        request,
        form,
        act,
        template="content_review/response_form.html",
        context={"response": response},
        success="Standard response saved.",
        redirect_to=reverse("content:responses"),
    )
