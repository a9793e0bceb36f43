"""The blocking process's pages. Each fetches its record through visible_to (404 for anyone who may not
know it exists), requires the action from the app's policy (a 403 that says why), validates a form and
calls one service."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts_registry.platforms import Platform, identify
from blocking import imports, services
from blocking.forms import (
    MORE_INFORMATION,
    AnswerForm,
    AppealForm,
    BlockRecordForm,
    ConfirmForm,
    ConfirmImportForm,
    DecideForm,
    ImportForm,
    InformationForm,
    PeriodForm,
    ReasonForm,
    ReferralForm,
    ReviewForm,
    SubmitForm,
)
from blocking.models import (
    Appeal,
    Block,
    BlockStatus,
    Category,
    Evidence,
    Referral,
    ReferralStatus,
)
from blocking.permissions import APPEAL_ACTIONS, BLOCK_ACTIONS, REFERRAL_ACTIONS
from blocking.report import blocking_report, report_dataset
from blocking.selectors import elsewhere, person_history, source_message
from blocking.selectors import register as register_rows
from core.csvfile import ImportRejected, decode
from core.forms import SearchField, form_page
from core.pages import object_for, paginate
from core.spreadsheet import download
from core.templatetags.dates import govuk_date
from core.uploads import CONTENT_TYPES


def _referral_for(user, pk: int, action: str | None = None) -> Referral:
    visible = Referral.objects.visible_to(user).select_related("account", "referred_by", "decided_by")
    referral = object_for(user, visible, pk)
    if action:
        REFERRAL_ACTIONS.require(action, referral, user)
    return referral


def _block_for(user, pk: int, action: str | None = None) -> Block:
    visible = Block.objects.visible_to(user).select_related(
        "account", "recorded_by", "decided_by", "referral__referred_by"
    )
    block = object_for(user, visible, pk)
    if action:
        BLOCK_ACTIONS.require(action, block, user)
    return block


def _appeal_for(user, pk: int, action: str | None = None) -> Appeal:
    visible = Appeal.objects.visible_to(user).select_related("block__account", "logged_by", "answered_by")
    appeal = object_for(user, visible, pk)
    if action:
        APPEAL_ACTIONS.require(action, appeal, user)
    return appeal


def _referral_url(referral: Referral) -> str:
    return reverse("blocking:referral", args=[referral.pk])


def _block_url(block: Block) -> str:
    return reverse("blocking:block", args=[block.pk])


# ---------------------------------------------------------------------------------------------------
# Referrals


REFERRAL_TABS = [
    (ReferralStatus.SUBMITTED, "Waiting for a decision"),
    (ReferralStatus.MORE_INFORMATION, "More information needed"),
    (ReferralStatus.DECIDED, "Decided"),
    (ReferralStatus.WITHDRAWN, "Withdrawn"),
    ("all", "All"),
]


@require_GET
@permission_required("blocking.view_area", raise_exception=True)
def home(request):
    """Comms: the referrals to decide. Officers and councillors: their referrals and the blocks they
    recorded. Auditors: the register (they see no referrals)."""
    user = request.user
    if not user.has_perm("blocking.refer"):
        return redirect("blocking:register")
    comms = user.has_perm("blocking.decide")
    status = request.GET.get("status") or (ReferralStatus.SUBMITTED if comms else "all")
    referrals = Referral.objects.visible_to(user).select_related("account", "referred_by")
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    page, query = paginate(request, referrals.order_by("-created_at", "-pk"))
    recorded = []
    if not comms:
        recorded = Block.objects.visible_to(user).filter(recorded_by=user).select_related("account")[:50]
    return render(
        request,
        "blocking/home.html",
        {
            "page": page,
            "query": query,
            "tabs": REFERRAL_TABS,
            "status": status,
            "comms": comms,
            "recorded": recorded,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("blocking.refer", raise_exception=True)
def referral_new(request):
    source = None
    if request.GET.get("message"):
        source = source_message(request.user, request.GET["message"])
        if source is None:
            raise Http404("No such message")
    initial = {"warning_given": "no"}
    if source:
        initial.update(
            account=source.account_id,
            person_handle=source.sender_handle,
            quoted_text=source.text,
            evidence_links=source.link,
            source_message_id=source.id,
        )
    form = ReferralForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=initial,
        initial_account=source.account_id if source else None,
    )

    def act(data):
        files = data.pop("files")
        message = source_message(request.user, data.get("source_message_id"))
        data["source_message_id"] = message.id if message else None
        return services.referral_create(by=request.user, fields=data, files=files)

    return form_page(
        request,
        form,
        act,
        template="blocking/referral_form.html",
        context={"source": source},
        success="Referral sent. The Communications team will decide what to do and tell you.",
        redirect_to=_referral_url,
    )


@require_GET
def referral_detail(request, pk: int):
    referral = _referral_for(request.user, pk)
    comms = request.user.has_perm("blocking.view_personal_data")
    return render(
        request,
        "blocking/referral_detail.html",
        {
            "referral": referral,
            "actions": REFERRAL_ACTIONS.for_record(referral, request.user),
            "events": referral.events.select_related("actor"),
            "evidence": referral.evidence.select_related("uploaded_by"),
            "the_block": Block.objects.filter(referral=referral).first(),
            "elsewhere": elsewhere(referral) if comms else None,
            "block_basis": services.block_basis(referral) if referral.is_open else None,
        },
    )


@require_http_methods(["GET", "POST"])
def referral_decide(request, pk: int):
    referral = _referral_for(request.user, pk, "decide")
    months = services.review_months(referral.categories)
    form = DecideForm(
        request.POST or None,
        asking_allowed=referral.status == ReferralStatus.SUBMITTED,
        review_help=f"{months} months from today unless you choose another date, up to "
        f"{services.LONGEST_REVIEW} months.",
        initial={"review_on": services.default_review_on(referral.categories)},
    )

    def act(data):
        if data["outcome"] == MORE_INFORMATION:
            return services.referral_ask_for_information(
                referral=referral, by=request.user, request=data["reason"]
            )
        return services.referral_decide(
            referral=referral,
            by=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            review_on=data["review_on"],
        )

    return form_page(
        request,
        form,
        act,
        template="blocking/decide.html",
        context={
            "referral": referral,
            "evidence": referral.evidence.select_related("uploaded_by"),
            "elsewhere": elsewhere(referral),
            "block_basis": services.block_basis(referral),
        },
        success=lambda done: (
            "The referrer has been asked for more information."
            if done.status == ReferralStatus.MORE_INFORMATION
            else "Decision saved. The referrer has been told."
        ),
        redirect_to=_referral_url(referral),
    )


@require_http_methods(["GET", "POST"])
def referral_add_information(request, pk: int):
    referral = _referral_for(request.user, pk, "add_information")
    return form_page(
        request,
        InformationForm(request.POST or None, request.FILES or None),
        lambda data: services.referral_add_information(
            referral=referral, by=request.user, information=data["information"], files=data["files"]
        ),
        template="includes/simple_form.html",
        context={
            "heading": "Add the information asked for",
            "caption": f"Referral {referral.pk} · {referral.account.display_name}",
            "intro": "The Communications team asked:",
            "quote": referral.information_request,
            "back_url": _referral_url(referral),
            "multipart": True,
        },
        success="Information sent. The referral is waiting for a decision again.",
        redirect_to=_referral_url(referral),
    )


@require_POST
def referral_withdraw(request, pk: int):
    referral = _referral_for(request.user, pk, "withdraw")
    return form_page(
        request,
        SubmitForm(request.POST),
        lambda data: services.referral_withdraw(referral=referral, by=request.user),
        template="includes/simple_form.html",
        context={"heading": "Withdraw the referral", "back_url": _referral_url(referral)},
        success="Referral withdrawn.",
        redirect_to=_referral_url(referral),
    )


# ---------------------------------------------------------------------------------------------------
# The register and blocks


class RegisterFilter(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *BlockStatus.choices]
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *Category.choices]
    )
    due = forms.ChoiceField(
        label="Review", required=False, choices=[("", "Any"), ("1", "Due for review now")]
    )
    q = SearchField(label="Handle or profile link", required=False, max_length=200, word_length=200)

    def __init__(self, *args, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not personal:
            del self.fields["q"]


# 25 rows a page: the register's one query takes a few milliseconds; drawing the rows is the page's cost
# (bench/RESULTS.md).
REGISTER_PAGE_SIZE = 25


@require_GET
@permission_required("blocking.view_register", raise_exception=True)
def register(request):
    personal = request.user.has_perm("blocking.view_personal_data")
    filters = RegisterFilter(request.GET, personal=personal)
    data = filters.cleaned_data if filters.is_valid() else {}
    blocks = register_rows(
        request.user,
        status=data.get("status", ""),
        category=data.get("category", ""),
        search=data.get("q", ""),
    )
    if data.get("due"):
        blocks = blocks.due_for_review(timezone.localdate())
    page, query = paginate(request, blocks, per_page=REGISTER_PAGE_SIZE)
    return render(
        request,
        "blocking/register.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "personal": personal,
            "filtered": bool(query),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("blocking.record_block", raise_exception=True)
def block_record(request):
    form = BlockRecordForm(request.POST or None, request.FILES or None, user=request.user)

    def act(data):
        files = data.pop("files")
        return services.block_record(by=request.user, fields=data, files=files)

    return form_page(
        request,
        form,
        act,
        template="blocking/block_form.html",
        context={"comms": request.user.has_perm("blocking.decide")},
        success=lambda block: (
            "Block recorded."
            if block.status == BlockStatus.ACTIVE
            else "Block recorded. The Communications team will confirm or reverse it and tell you."
        ),
        redirect_to=_block_url,
    )


@require_GET
def block_detail(request, pk: int):
    block = _block_for(request.user, pk)
    comms = request.user.has_perm("blocking.view_personal_data")
    history = person_history(block.platform, block.person_key) if comms else None
    if history:
        history.blocks = [b for b in history.blocks if b.pk != block.pk]
    return render(
        request,
        "blocking/block_detail.html",
        {
            # Not "block": inside {% block %} tags, Django's templates give that name to the block.
            "the_block": block,
            "actions": BLOCK_ACTIONS.for_record(block, request.user),
            "events": block.events.select_related("actor"),
            "evidence": _evidence_of(block),
            "appeals": block.appeals.all(),
            "history": history,
        },
    )


def _evidence_of(block: Block):
    """The block's own evidence, and its referral's when it was decided on one."""
    about = Q(block=block) | Q(referral_id=block.referral_id) if block.referral_id else Q(block=block)
    return Evidence.objects.filter(about).select_related("uploaded_by")


def _block_page(block: Block, heading: str, **extra) -> dict:
    return {
        "heading": heading,
        "caption": f"{block.person_handle or block.person_profile_url} · {block.account.display_name}",
        "back_url": _block_url(block),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def block_confirm(request, pk: int):
    block = _block_for(request.user, pk, "confirm")
    return form_page(
        request,
        ConfirmForm(
            request.POST or None, initial={"review_on": services.default_review_on(block.categories)}
        ),
        lambda data: services.block_confirm(block=block, by=request.user, review_on=data["review_on"]),
        template="includes/simple_form.html",
        context=_block_page(
            block,
            "Confirm the block",
            intro=f"{block.recorded_by} recorded this block on {govuk_date(block.blocked_on)}. Their reason:",
            quote=block.reason,
        ),
        success="Block confirmed. The officer who recorded it has been told.",
        redirect_to=_block_url(block),
    )


@require_http_methods(["GET", "POST"])
def block_reverse(request, pk: int):
    block = _block_for(request.user, pk, "reverse")
    return form_page(
        request,
        ReasonForm(request.POST or None, submit="Reverse the block"),
        lambda data: services.block_reverse(block=block, by=request.user, reason=data["reason"]),
        template="includes/simple_form.html",
        context=_block_page(
            block,
            "Reverse the block",
            intro="The officer who recorded it will be told to unblock the person. Their reason was:",
            quote=block.reason,
        ),
        success="Block reversed. The officer who recorded it has been told to unblock the person.",
        redirect_to=_block_url(block),
    )


@require_http_methods(["GET", "POST"])
def block_review(request, pk: int):
    block = _block_for(request.user, pk, "review")
    next_review = services.default_review_on(block.categories)
    return form_page(
        request,
        ReviewForm(request.POST or None, initial={"next_review_on": next_review}),
        lambda data: services.block_review(
            block=block,
            by=request.user,
            decision=data["decision"],
            reason=data["reason"],
            next_review_on=data["next_review_on"],
        ),
        template="includes/simple_form.html",
        context=_block_page(block, "Review the block", intro="The reason it was made:", quote=block.reason),
        success=lambda done: "Block lifted." if done.status == BlockStatus.LIFTED else "Block kept.",
        redirect_to=_block_url(block),
    )


# ---------------------------------------------------------------------------------------------------
# Appeals


@require_http_methods(["GET", "POST"])
def appeal_new(request, pk: int):
    block = _block_for(request.user, pk, "appeal")
    return form_page(
        request,
        AppealForm(request.POST or None, initial={"received_on": timezone.localdate()}),
        lambda data: services.appeal_log(block=block, by=request.user, **data),
        template="includes/simple_form.html",
        context=_block_page(
            block,
            "Log an appeal",
            intro="Someone says they were blocked in error, or asks to be unblocked.",
        ),
        success="Appeal logged. Answer it once you have decided.",
        redirect_to=lambda appeal: reverse("blocking:appeal", args=[appeal.pk]),
    )


@require_GET
@permission_required("blocking.view_appeals", raise_exception=True)
def appeal_list(request):
    # Waiting first ("waiting" sorts after "answered"), newest first.
    appeals = Appeal.objects.visible_to(request.user).select_related("block__account")
    page, query = paginate(request, appeals.order_by("-status", "-received_on", "-pk"))
    return render(request, "blocking/appeal_list.html", {"page": page, "query": query})


@require_GET
def appeal_detail(request, pk: int):
    appeal = _appeal_for(request.user, pk)
    return render(
        request,
        "blocking/appeal_detail.html",
        {
            "appeal": appeal,
            "the_block": appeal.block,
            "actions": APPEAL_ACTIONS.for_record(appeal, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def appeal_answer(request, pk: int):
    appeal = _appeal_for(request.user, pk, "answer")
    return form_page(
        request,
        AnswerForm(request.POST or None),
        lambda data: services.appeal_answer(appeal=appeal, by=request.user, **data),
        template="includes/simple_form.html",
        context={
            "heading": "Answer the appeal",
            "caption": f"Appeal {appeal.pk} · {appeal.block.account.display_name}",
            "intro": "What they said:",
            "quote": appeal.message,
            "back_url": reverse("blocking:appeal", args=[appeal.pk]),
        },
        success=lambda done: (
            "Appeal answered." + (" The block is lifted." if done.outcome == "upheld" else "")
        ),
        redirect_to=reverse("blocking:appeal", args=[appeal.pk]),
    )


# ---------------------------------------------------------------------------------------------------
# One person's history, evidence files


@require_GET
@permission_required("blocking.view_personal_data", raise_exception=True)
def person(request):
    """One member of the public across every council account: by platform and canonical key, or by
    platform and a handle or link (canonicalised by the register's platform rules)."""
    platform = request.GET.get("platform", "")
    if platform not in Platform.values:
        raise Http404("Choose a platform")
    key = request.GET.get("key", "").strip()
    if not key:
        try:
            key = identify(platform, request.GET.get("handle", ""), "").key
        except (ValidationError, ValueError):
            raise Http404("No such handle") from None
    history = person_history(platform, key[:200])
    return render(
        request,
        "blocking/person.html",
        {"history": history, "platform_label": Platform(platform).label, "key": key},
    )


@require_GET
def evidence_file(request, pk: int):
    """An evidence file, for those who may see its referral or block; never for auditors or anyone
    else. PDFs are downloaded, never shown inline; nothing is sniffed or cached."""
    user = request.user
    evidence = (
        Evidence.objects.filter(pk=pk)
        .filter(
            Q(referral__in=Referral.objects.visible_to(user)) | Q(block__in=Block.objects.visible_to(user))
        )
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence")
    response = FileResponse(evidence.file.open("rb"), content_type=CONTENT_TYPES[evidence.kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    name = f"evidence-{evidence.pk}.{evidence.kind}"
    disposition = "attachment" if evidence.is_pdf else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------------------------
# Import and report


@require_http_methods(["GET", "POST"])
@permission_required("blocking.import_blocks", raise_exception=True)
def blocks_import(request):
    """Upload the file: it is checked and shown; nothing is saved until "Import these blocks"."""
    problems, preview, content = [], None, ""
    upload = ImportForm(request.POST if "file" in request.FILES else None, request.FILES or None)
    confirm = ConfirmImportForm(request.POST if "content" in request.POST else None)
    if request.method == "POST" and confirm.is_valid():
        try:
            made = imports.blocks_import(by=request.user, data=confirm.cleaned_data["content"].encode())
        except ImportRejected as exc:
            problems = exc.problems
        else:
            messages.success(request, f"{len(made)} block{'s' if len(made) != 1 else ''} imported.")
            return redirect("blocking:register")
    elif request.method == "POST" and upload.is_valid():
        data = upload.cleaned_data["file"].read(imports.MAX_BYTES + 1)
        try:
            if len(data) > imports.MAX_BYTES:
                raise ImportRejected(
                    [(1, f"The file is larger than {imports.MAX_BYTES // (1024 * 1024)} MB: split it.")]
                )
            content = decode(data)
            preview = imports.parse_blocks(content)
        except ImportRejected as exc:
            problems = exc.problems
    return render(
        request,
        "blocking/import.html",
        {
            "form": upload,
            "problems": problems,
            "preview": preview,
            "confirm": ConfirmImportForm(initial={"content": content}) if preview else None,
            "columns": imports.COLUMNS,
        },
    )


def _period(request) -> tuple[PeriodForm, dict]:
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, {}
    data = form.cleaned_data if request.GET else {}
    return form, {"date_from": data.get("date_from"), "date_to": data.get("date_to")}


@require_GET
@permission_required("blocking.view_report", raise_exception=True)
def report(request):
    form, period = _period(request)
    result = blocking_report(**period) if not form.errors else None
    return render(
        request,
        "blocking/report.html",
        {"form": form, "report": result, "query": request.GET.urlencode()},
    )


@require_GET
@permission_required("blocking.view_report", raise_exception=True)
def report_download(request, file_format: str):
    form, period = _period(request)
    if form.errors:
        raise Http404("Choose a valid period")
    return download(
        report_dataset(blocking_report(**period)),
        name="blocking-report",
        file_format=file_format,
        title="Blocking report",
    )
