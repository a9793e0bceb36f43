from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content_review import chains, privacy, services
from content_review.chains import step_label
from content_review.filters import InboxFilter, MyDraftsFilter, QueueFilter, ResponseFilter
from content_review.forms import (
    ChainForm,
    CommentForm,
    DecisionForm,
    DraftForm,
    ImageForm,
    InboundForm,
    NoReplyForm,
    PreElectionForm,
    PreElectionListsForm,
    PublishForm,
    ReasonForm,
    RedactForm,
    StandardResponseForm,
    SubmitForm,
    UrgentForm,
)
from content_review.models import (
    EDITABLE,
    TEXT_MAX,
    ApprovalChain,
    ApprovalStep,
    Campaign,
    Candidate,
    Draft,
    DraftEvent,
    InboundMessage,
    PoliticalParty,
    PreElectionPeriod,
    StandardResponse,
    accounts_drafted_by,
)
from content_review.permissions import (
    DRAFT_ACTIONS,
    MESSAGE_ACTIONS,
    chain_setter_refusal,
    chains_settable_by,
    fetched_for,
)
from content_review.selectors import TOO_LONG, departure_from, marked, review_queue, word_diff
from core.actions import Links, Refused
from core.forms import form_page
from core.pages import object_for, paginate
from organisation.models import Role, ServiceArea

NO_ACCOUNT = (
    "You do not run an open account, so there is nothing for you to draft for. The Communications "
    "team can name you as an account's responsible officer or deputy."
)


def _draft_for(user, pk: int, action: str | None = None, *, prefetch: tuple[str, ...] = ()) -> Draft:
    """The draft if the person may see it (else 404), and may take `action` on it (else a 403 saying
    why)."""
    visible = Draft.objects.visible_to(user).select_related(
        "account",
        "author",
        "inbound_message",
        "standard_response",
        "account__service_area",
        "post_reviewed_by",
        "published_by",
    )
    draft = fetched_for(object_for(user, visible.prefetch_related(*prefetch), pk), user)
    if action:
        DRAFT_ACTIONS.require(action, draft, user)
    return draft


def _message_for(user, pk: int, action: str | None = None) -> InboundMessage:
    visible = InboundMessage.objects.visible_to(user).select_related(
        "account", "recorded_by", "closed_by", "hidden_by"
    )
    message = object_for(user, visible, pk)
    if action:
        MESSAGE_ACTIONS.require(action, message, user)
    return message


def _detail(draft: Draft) -> str:
    return reverse("content:detail", args=[draft.pk])


def _about(draft: Draft, quote: str | None = None) -> dict:
    """What a one-question page about a draft shows above its form."""
    return {
        "draft": draft,
        "caption": f"{draft.get_kind_display()} for {draft.account.display_name}",
        "back_url": _detail(draft),
        "quote": draft.text if quote is None else quote,
    }


@require_GET
def my_drafts(request):
    drafts = Draft.objects.visible_to(request.user).select_related("account", "author")
    found = MyDraftsFilter(request.GET, queryset=drafts, request=request)
    page, query = paginate(request, found.qs)
    return render(
        request,
        "content_review/my_drafts.html",
        {
            "filter": found,
            "page": page,
            "query": query,
            "can_draft": accounts_drafted_by(request.user).exists(),
        },
    )


# A reviewer works down the queue from the top: 25 rows keep the page quick to draw (bench/RESULTS.md:
# rendering the rows was most of its cost, not the query).
QUEUE_PAGE_SIZE = 25


@require_GET
def queue(request):
    found = QueueFilter(request.GET, queryset=review_queue(request.user))
    page, query = paginate(
        request, found.qs.order_by("inbound_message__due_at", "updated_at"), per_page=QUEUE_PAGE_SIZE
    )
    return render(request, "content_review/queue.html", {"filter": found, "page": page, "query": query})


@require_http_methods(["GET", "POST"])
def draft_new(request, message_pk: int | None = None):
    """A new post, or (with a message) a reply to a message from the public."""
    message = _message_for(request.user, message_pk, "reply") if message_pk else None
    accounts = accounts_drafted_by(request.user)
    if message is None and not accounts.exists():
        raise Refused(NO_ACCOUNT)
    standard = None
    if (sr := request.GET.get("standard_response", "")).isdigit():
        standard = StandardResponse.objects.filter(pk=sr, is_active=True).first()
    initial = {"text": standard.body if standard else ""}
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
            token=data.get("token"),
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
    draft = _draft_for(request.user, pk, "edit", prefetch=("images",))
    form = DraftForm(
        request.POST or None,
        accounts=accounts_drafted_by(request.user),
        show_account=False,
        editing=True,
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
    if not account_id:  # nothing chosen yet: the checks depend on the platform
        return render(request, "content_review/findings.html", {"no_account": True})
    account = (
        accounts_drafted_by(request.user).filter(pk=account_id).first() if account_id.isdigit() else None
    )
    if account is None:
        raise Refused("You can check text only for accounts you draft for.")
    text = request.POST.get("text", "")
    if len(text) > TEXT_MAX:
        return render(request, "content_review/findings.html", {"too_long": TEXT_MAX})
    findings = [f.as_dict() for f in services.account_text_findings(text, account)]
    return render(request, "content_review/findings.html", {"findings": findings})


def _warnings(findings) -> list[tuple[str, str]]:
    return sorted({(f["code"], f["message"]) for f in findings if f["severity"] == "warn"})


def _detail_page(request, draft: Draft, **forms) -> dict:
    """Everything the draft's page shows; `forms` are forms posted from it that came back with errors
    (shown where they were, with the error summary at the top)."""
    user = request.user
    revisions = list(draft.revisions.all())
    latest = revisions[-1] if revisions else None
    previous = revisions[-2] if len(revisions) > 1 else None
    writing = draft.status in EDITABLE
    shown_text = draft.text if writing or not latest else latest.text
    parts, findings = marked(
        shown_text,
        [f.as_dict() for f in services.draft_findings(draft)]
        if writing
        else (latest.findings if latest else []),
    )
    actions = DRAFT_ACTIONS.for_record(draft, user)
    chain = chains.steps_for(draft) if writing else (draft.chain_name, None)
    diff = word_diff(previous.text, latest.text) if previous and latest else None
    standard = draft.standard_response
    context = {
        "draft": draft,
        "actions": actions,
        "revisions": revisions,
        "latest": latest,
        "marked_text": parts,
        "findings": findings,
        "blocking": [f for f in findings if f["severity"] == "block"],
        "events": list(draft.events.select_related("actor", "revision")),
        "images": list(draft.images.all()),
        "chain_steps": chains.chain_state(draft, steps=chain[1], latest=latest),
        "chain_name": chain[0],
        "diff": diff,
        "diff_too_long": TOO_LONG if previous and latest and diff is None else "",
        "departure": departure_from(standard.body, draft.text) if standard else None,
        "standard_diff": word_diff(standard.body, draft.text) if standard else None,
        "too_long": TOO_LONG,
        "image_form": ImageForm(),
        "comment_form": CommentForm(),
        "decision_form": DecisionForm(warnings=_warnings(findings), initial={"revision": latest.number})
        if "decide" in actions and latest
        else None,
        "form": None,
    }
    context.update(forms)
    context["form"] = next(iter(forms.values()), None)  # the one whose errors the summary lists
    return context


@require_GET
def draft_detail(request, pk: int):
    draft = _draft_for(request.user, pk, prefetch=("images",))
    return render(request, "content_review/draft_detail.html", _detail_page(request, draft))


def _on_draft_page(request, draft: Draft, form, action, *, name: str, success: str):
    """A form posted from the draft's page: done, back to the page; refused, the page again with why."""
    return form_page(
        request,
        form,
        action,
        template="content_review/draft_detail.html",
        context=_detail_page(request, draft, **{name: form}),
        success=success,
        redirect_to=_detail(draft),
    )


@require_POST
def draft_submit(request, pk: int):
    draft = _draft_for(request.user, pk, "submit", prefetch=("images",))
    return _on_draft_page(
        request,
        draft,
        SubmitForm(request.POST),
        lambda data: services.draft_submit(draft=draft, by=request.user),
        name="submit_form",
        success="Sent for review. The reviewers have been told.",
    )


@require_http_methods(["GET", "POST"])
def draft_decide(request, pk: int):
    """The review decision: on the draft's page, or this page of its own (where errors come back)."""
    draft = _draft_for(request.user, pk, "decide")
    latest = draft.latest_revision
    form = DecisionForm(
        request.POST or None,
        warnings=_warnings(latest.findings if latest else []),
        initial={"revision": latest.number if latest else None},
    )

    def act(data):
        common = {"draft": draft, "by": request.user, "revision_number": data["revision"]}
        if data["decision"] == "approve":
            return services.draft_approve(**common, acknowledged=data.get("acknowledged", []))
        if data["decision"] == "changes":
            return services.draft_request_changes(**common, comment=data["comment"])
        return services.draft_reject(**common, comment=data["comment"])

    return form_page(
        request,
        form,
        act,
        template="includes/simple_form.html",
        context={
            **_about(draft, latest.text if latest else None),
            "heading": "Review this draft",
            "intro": f"Revision {latest.number if latest else 1}, sent by {draft.author}.",
        },
        success=lambda event: (
            "Step approved. The next step's group has been told."
            if event.action == DraftEvent.Action.STEP_APPROVED
            else "Decision saved. The author has been told."
        ),
        redirect_to=_detail(draft),
    )


@require_http_methods(["GET", "POST"])
def draft_publish(request, pk: int):
    draft = _draft_for(request.user, pk, "publish")

    def act(data):
        return services.draft_publish(
            draft=draft,
            by=request.user,
            published_url=data["published_url"],
            published_at=data["published_at"],
        )

    return form_page(
        request,
        PublishForm(request.POST or None),
        act,
        template="includes/simple_form.html",
        context={**_about(draft), "heading": "Record the publication"},
        success="Publication recorded.",
        redirect_to=_detail(draft),
    )


@require_http_methods(["GET", "POST"])
def draft_withdraw(request, pk: int):
    draft = _draft_for(request.user, pk, "withdraw")
    return form_page(
        request,
        ReasonForm(request.POST or None, submit="Withdraw the draft", label="Why (optional)", required=False),
        lambda data: services.draft_withdraw(draft=draft, by=request.user, comment=data["reason"]),
        template="includes/simple_form.html",
        context={**_about(draft), "heading": "Withdraw this draft"},
        success="Draft withdrawn.",
        redirect_to=_detail(draft),
    )


@require_POST
def draft_comment(request, pk: int):
    draft = _draft_for(request.user, pk, "comment", prefetch=("images",))
    return _on_draft_page(
        request,
        draft,
        CommentForm(request.POST),
        lambda data: services.draft_comment(draft=draft, by=request.user, comment=data["comment"]),
        name="comment_form",
        success="Comment added.",
    )


@require_POST
def draft_add_image(request, pk: int):
    draft = _draft_for(request.user, pk, "image", prefetch=("images",))

    def act(data):
        return services.draft_add_image(
            draft=draft, by=request.user, image=data["image"], alt_text=data["alt_text"]
        )

    return _on_draft_page(
        request, draft, ImageForm(request.POST, request.FILES), act, name="image_form", success="Image added."
    )


@require_POST
def draft_remove_image(request, pk: int, image_pk: int):
    draft = _draft_for(request.user, pk, "image", prefetch=("images",))
    return _on_draft_page(
        request,
        draft,
        SubmitForm(request.POST),
        lambda data: services.draft_remove_image(draft=draft, by=request.user, image_pk=image_pk),
        name="remove_form",
        success="Image removed.",
    )


IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


@require_GET
def draft_image(request, pk: int, image_pk: int):
    """A draft's image, for those who may see the draft (uploads are not public files)."""
    draft = _draft_for(request.user, pk)
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
    draft = _draft_for(request.user, pk, "post_review", prefetch=("images",))
    return _on_draft_page(
        request,
        draft,
        SubmitForm(request.POST),
        lambda data: services.draft_post_review(draft=draft, by=request.user),
        name="post_review_form",
        success="Review after publication recorded.",
    )


@require_http_methods(["GET", "POST"])
def urgent_new(request):
    if not request.user.has_perm("content_review.urgent_publish"):
        raise Refused("Only the Communications team records urgent posts.")
    form = UrgentForm(request.POST or None, accounts=accounts_drafted_by(request.user))

    def act(data):
        return services.draft_publish_urgent(
            by=request.user,
            account=data["account"],
            text=data["text"],
            reason=data["reason"],
            published_url=data["published_url"],
            published_at=data["published_at"],
            token=data.get("token"),
        )

    return form_page(
        request,
        form,
        act,
        template="content_review/urgent_form.html",
        context={},
        success="Urgent publication recorded. Another member of the team must now review it.",
        redirect_to=_detail,
    )


# Messages from the public


# Like the review queue: each row checks three actions for the person, so 25 rows keep the page quick
# (bench/RESULTS.md: its queries take under a millisecond; drawing 50 rows was the cost).
INBOX_PAGE_SIZE = 25


@require_GET
def inbox(request):
    messages_ = InboundMessage.objects.visible_to(request.user).select_related("account", "hidden_by")
    found = InboxFilter(request.GET, queryset=messages_.order_by("due_at", "pk"))
    page, query = paginate(request, found.qs, per_page=INBOX_PAGE_SIZE)
    links = Links()
    rows = list(page.object_list)
    for message, actions in zip(
        rows, MESSAGE_ACTIONS.for_records(rows, request.user, links=links), strict=True
    ):
        message.actions = actions
        message.url = links("content:message", [message.pk])
    return render(
        request,
        "content_review/inbox.html",
        {
            "filter": found,
            "page": page,
            "query": query,
            "can_record": accounts_drafted_by(request.user).exists(),
        },
    )


@require_GET
def message_detail(request, pk: int):
    message = _message_for(request.user, pk)
    replies = Draft.objects.visible_to(request.user).filter(inbound_message=message).select_related("author")
    return render(
        request,
        "content_review/message_detail.html",
        {
            "message": message,
            "actions": MESSAGE_ACTIONS.for_record(message, request.user),
            "events": list(message.events.select_related("actor")),
            "replies": list(replies),
        },
    )


def _about_message(message: InboundMessage) -> dict:
    return {
        "message": message,
        "caption": f"Message from {message.sender_handle} to {message.account.display_name}",
        "back_url": reverse("content:message", args=[message.pk]),
        "quote": message.text,
    }


@require_http_methods(["GET", "POST"])
def message_no_reply(request, pk: int):
    message = _message_for(request.user, pk, "no_reply")

    def act(data):
        return services.inbound_no_reply_needed(
            message=message, by=request.user, reason_code=data["reason_code"], details=data["details"]
        )

    return form_page(
        request,
        NoReplyForm(request.POST or None),
        act,
        template="includes/simple_form.html",
        context={
            **_about_message(message),
            "heading": "No reply needed",
            "intro": "The reply clock stops, and the message is reported as needing no reply.",
        },
        success="Recorded: this message needs no reply.",
        redirect_to=reverse("content:message", args=[message.pk]),
    )


@require_http_methods(["GET", "POST"])
def message_hide(request, pk: int):
    message = _message_for(request.user, pk, "hide")
    return form_page(
        request,
        ReasonForm(
            request.POST or None,
            submit="Record that it was hidden",
            label="Why was it hidden?",
            missing="Say why it was hidden",
        ),
        lambda data: services.inbound_hide(message=message, by=request.user, reason=data["reason"]),
        template="includes/simple_form.html",
        context={
            **_about_message(message),
            "heading": "Record that the message was hidden",
            "intro": "Hide it on the platform first. It stays listed here, marked Hidden, and still needs "
            "a reply or “No reply needed”.",
        },
        success="Recorded: the message is hidden.",
        redirect_to=reverse("content:message", args=[message.pk]),
    )


@require_http_methods(["GET", "POST"])
def inbound_new(request):
    accounts = accounts_drafted_by(request.user)
    if not accounts.exists():
        raise Refused(NO_ACCOUNT)

    def act(data):
        return services.inbound_record(
            by=request.user,
            account=data["account"],
            sender_handle=data["sender_handle"],
            text=data["text"],
            received_at=data["received_at"],
            link=data["link"],
            token=data.get("token"),
        )

    return form_page(
        request,
        InboundForm(request.POST or None, accounts=accounts),
        act,
        template="content_review/inbound_form.html",
        context={},
        success=lambda m: f"Message recorded. A reply is due by {m.due_at:%-d %B %Y at %H:%M}.",
        redirect_to=lambda m: reverse("content:reply", args=[m.pk]),
    )


# Standard responses


@require_GET
def responses(request):
    found = StandardResponse.objects.select_related("owner")
    if not request.user.has_perm("content_review.manage_standard_responses"):
        found = found.filter(is_active=True)
    chosen = ResponseFilter(request.GET, queryset=found)
    page, query = paginate(request, chosen.qs)
    return render(request, "content_review/responses.html", {"filter": chosen, "page": page, "query": query})


@require_http_methods(["GET", "POST"])
def response_edit(request, pk: int | None = None):
    if not request.user.has_perm("content_review.manage_standard_responses"):
        raise Refused("Only the Communications team manages standard responses.")
    response = get_object_or_404(StandardResponse, pk=pk) if pk else None
    form = StandardResponseForm(request.POST or None, instance=response)

    def act(data):
        return services.standard_response_save(
            by=request.user,
            response=response,
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            platforms=data["platforms"],
            owner=data["owner"],
            review_by=data["review_by"],
            is_active=data["is_active"],
        )

    return form_page(
        request,
        form,
        act,
        template="content_review/response_form.html",
        context={"response": response},
        success="Standard response saved.",
        redirect_to=reverse("content:responses"),
    )


# ---------------------------------------------------------------------------------------------------
# Personal data removed on request (Comms only: the "redact" actions)


def _redact_page(request, redact, *, context: dict, redirect_to: str):
    """Comms remove one piece of personal data through `redact(secret=, kind=, reason=, by=)`, one of
    content_review.privacy's redactions."""

    def act(data):
        done = redact(secret=data["removed_text"], kind=data["kind"], reason=data["reason"], by=request.user)
        if done is None:
            missing = "That text is not in it, nor in its history: check it is exactly as written."
            raise ValidationError({"removed_text": missing})
        return done

    return form_page(
        request,
        RedactForm(request.POST or None),
        act,
        template="includes/simple_form.html",
        context=context,
        success=lambda done: f"Personal data removed: {done.rows} records changed.",
        redirect_to=redirect_to,
    )


@require_http_methods(["GET", "POST"])
def draft_redact(request, pk: int):
    draft = _draft_for(request.user, pk, "redact")
    return _redact_page(
        request,
        partial(privacy.draft_redact, draft=draft),
        context={
            **_about(draft),
            "heading": "Remove personal data from this draft",
            "intro": "It goes from the draft, every earlier version, its comments, its audit trail and "
            "emails not yet sent. The removal itself is recorded, with your reason, but not the data.",
        },
        redirect_to=_detail(draft),
    )


# Approval chains


def _chains_user(request):
    if not request.user.has_perm("content_review.manage_chains"):
        raise Refused(
            "Only the Communications team sets approval chains; a head of service sets them for the accounts "
            "of their own service area."
        )


@require_GET
def chain_list(request):
    _chains_user(request)
    found = ApprovalChain.objects.select_related("account", "service_area", "campaign").prefetch_related(
        Prefetch("steps", queryset=ApprovalStep.objects.prefetch_related("members__person"))
    )
    if not request.user.has_role(Role.COMMS):
        found = found.filter(account__in=chains_settable_by(request.user).values("pk"))
    page, query = paginate(request, found.order_by("name"))
    rows = [
        (chain, [step_label(s.roles, [str(m.person) for m in s.members.all()]) for s in chain.steps.all()])
        for chain in page
    ]
    return render(
        request,
        "content_review/chains.html",
        {"page": page, "query": query, "rows": rows, "is_comms": request.user.has_role(Role.COMMS)},
    )


@require_http_methods(["GET", "POST"])
def chain_edit(request, pk: int | None = None):
    _chains_user(request)
    user = request.user
    chain = (
        get_object_or_404(ApprovalChain.objects.select_related("account__service_area"), pk=pk)
        if pk
        else None
    )
    if chain is not None and (
        reason := chain_setter_refusal(
            user, account=chain.account, service_area=chain.service_area, campaign=chain.campaign
        )
    ):
        raise Refused(reason)
    comms = user.has_role(Role.COMMS)
    form = ChainForm(
        request.POST or None,
        chain=chain,
        accounts=chains_settable_by(user).filter(chain__isnull=True).order_by("display_name"),
        service_areas=ServiceArea.objects.filter(chain__isnull=True).order_by("name")
        if comms
        else ServiceArea.objects.none(),
        campaigns=Campaign.objects.filter(chain__isnull=True) if comms else Campaign.objects.none(),
    )

    def act(data):
        return services.chain_save(
            by=user,
            chain=chain,
            name=data["name"],
            steps=data["steps"],
            account=data.get("account"),
            service_area=data.get("service_area"),
            campaign=data.get("campaign"),
        )

    return form_page(
        request,
        form,
        act,
        template="includes/simple_form.html",
        context={
            "heading": f"Change the chain “{chain.name}”" if chain else "Set an approval chain",
            "caption": f"For the {chain.scope_kind} {chain.scope}" if chain else "Approval chains",
            "intro": "Each step is approved by any one of the roles ticked or the people listed, in order. "
            "Nobody approves two steps of one draft, nor their own. Drafts already sent for review keep "
            "the chain they were sent under.",
            "back_url": reverse("content:chains"),
        },
        success="Approval chain saved.",
        redirect_to=reverse("content:chains"),
    )


@require_POST
def chain_delete(request, pk: int):
    _chains_user(request)
    chain = get_object_or_404(ApprovalChain.objects.select_related("account__service_area"), pk=pk)
    services.chain_delete(by=request.user, chain=chain)
    messages.success(request, f"The chain “{chain.name}” was removed: its drafts go back to a single review.")
    return redirect("content:chains")


# The pre-election period


def _comms_only(request):
    if not request.user.has_perm("content_review.manage_pre_election"):
        raise Refused("Only the Communications team sets the pre-election period.")


@require_http_methods(["GET", "POST"])
def pre_election(request):
    """The periods, and the lists the checks look for."""
    _comms_only(request)
    form = PreElectionListsForm(
        request.POST or None,
        initial={
            "parties": "\n".join(PoliticalParty.objects.values_list("name", flat=True)),
            "candidates": "\n".join(Candidate.objects.values_list("name", flat=True)),
        },
    )
    periods = PreElectionPeriod.objects.select_related("created_by").prefetch_related("wards")[:50]
    return form_page(
        request,
        form,
        lambda data: services.pre_election_names_save(
            by=request.user, parties=data["parties"], candidates=data["candidates"]
        ),
        template="content_review/pre_election.html",
        context={
            "periods": periods,
            "approved_during": Draft.objects.approved_during_pre_election().count(),
            "today": timezone.localdate(),
        },
        success="The lists are saved.",
        redirect_to=reverse("content:pre_election"),
    )


@require_http_methods(["GET", "POST"])
def message_redact(request, pk: int):
    message = _message_for(request.user, pk, "redact")
    return _redact_page(
        request,
        partial(privacy.message_redact, message=message),
        context={
            **_about_message(message),
            "heading": "Remove personal data from this message",
            "intro": "It goes from the message, its history and its audit trail. The removal itself is "
            "recorded, with your reason, but not the data.",
        },
        redirect_to=reverse("content:message", args=[message.pk]),
    )


@require_http_methods(["GET", "POST"])
def pre_election_edit(request, pk: int | None = None):
    _comms_only(request)
    period = get_object_or_404(PreElectionPeriod, pk=pk) if pk else None
    form = PreElectionForm(request.POST or None, period=period)

    def act(data):
        return services.pre_election_save(
            by=request.user,
            period=period,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            whole_council=data["whole_council"],
            wards=data["wards"],
            note=data["note"],
        )

    return form_page(
        request,
        form,
        act,
        template="includes/simple_form.html",
        context={
            "heading": "Change the pre-election period" if period else "Set a pre-election period",
            "intro": "While it is on, every draft for a council account needs the Communications team's "
            "approval as its last step, and drafts naming a councillor, a candidate or a party get a "
            "warning. Councillors' own accounts are outside it.",
            "back_url": reverse("content:pre_election"),
        },
        success="Pre-election period saved.",
        redirect_to=reverse("content:pre_election"),
    )
