from urllib.parse import urlencode

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from accounts_registry import services, sheet
from accounts_registry.filters import AccountFilter
from accounts_registry.forms import (
    COMMS_FIELDS,
    REQUEST_FIELDS,
    AccountForm,
    ActivityCheckForm,
    ChooseAccountsForm,
    DecisionForm,
    ImportForm,
    NewDeputiesForm,
    StatusForm,
    TransferForm,
    people_choices,
)
from accounts_registry.models import Account, AccountImport, AccountStatus, ImportOutcome, ImportStatus
from accounts_registry.permissions import ACCOUNT_ACTIONS
from accounts_registry.platforms import Platform
from accounts_registry.selectors import active_flags, flags_of, with_contributed_flags, with_flags
from core.actions import Links
from core.forms import form_page
from core.pages import object_for, paginate
from core.spreadsheet import download, protect_row
from organisation.models import ServiceArea, User, Ward


def _account_for(user, pk: int, action: str | None = None, *, flags: bool = False) -> Account:
    """The account if the person may see it (else 404), and may take `action` on it (else a 403
    saying why). `flags`: with what flags_of() needs (other apps' flags; its own come from fields)."""
    visible = Account.objects.visible_to(user).select_related(
        "service_area", "ward", "responsible_officer", "deputy", "requested_by"
    )
    if flags:
        visible = with_contributed_flags(visible)
    account = object_for(user, visible, pk)
    if action:
        ACCOUNT_ACTIONS.require(action, account, user)
    return account


def _back(account: Account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def _filtered(request, *, flags: bool = False):
    """The register as filtered; `flags`: every flag annotated over every account (the export). The
    list computes only the flag it filters on, and the others for its page's rows (flags_of)."""
    accounts = Account.objects.visible_to(request.user).select_related(
        "service_area", "ward", "responsible_officer"
    )
    if flags:
        accounts = with_flags(accounts)
    return AccountFilter(request.GET or None, queryset=accounts.order_by("display_name", "pk"))


# 25 rows a page: drawing the rows (links, people, flags) was most of the page's time (bench/RESULTS.md),
# as in the block register and the review queue.
LIST_PAGE_SIZE = 25


@require_GET
@permission_required("accounts_registry.view_register", raise_exception=True)
def account_list(request, mine: bool = False):
    account_filter = _filtered(request)
    accounts = account_filter.qs
    if mine:
        accounts = accounts.for_person(request.user)
    # Other apps' flags are annotated on the page's query (25 rows) only, and counted without them.
    page, query = paginate(
        request, with_contributed_flags(accounts), per_page=LIST_PAGE_SIZE, counted=accounts
    )
    now, links = timezone.now(), Links()
    for account in page.object_list:
        account.flags = flags_of(account, now=now)
        account.url = links("accounts:detail", [account.pk])
    return render(
        request,
        "accounts_registry/account_list.html",
        {"filter": account_filter, "page": page, "query": query, "mine": mine},
    )


@require_GET
@permission_required("accounts_registry.export_accounts", raise_exception=True)
def account_export(request, file_format: str):
    """The accounts listed, as people read them (sheet.py): headings in words, people by name with
    their email beside, risk flags as Yes or No. It imports again unchanged."""
    accounts = _filtered(request, flags=True).qs.select_related("deputy").order_by("platform", "handle_key")
    flags = active_flags()
    dataset = tablib.Dataset(headers=[c.heading for c in sheet.all_columns([f.label for f in flags])])
    for account in accounts.iterator(chunk_size=2000):
        dataset.append(
            sheet.export_row(account, [(f.label, getattr(account, f"flag_{f.code}")) for f in flags])
        )
    return download(dataset, name="social-media-accounts", file_format=file_format, title="Account register")


@require_GET
@permission_required("accounts_registry.view_summary", raise_exception=True)
def account_summary(request):
    """How many accounts, by platform and status and by service area and status: counted by the
    database (GROUP BY), each figure a link to the register filtered to those accounts."""
    accounts = Account.objects.visible_to(request.user).order_by()
    by_platform = accounts.values_list("platform", "status").annotate(n=Count("pk"))
    by_area = accounts.values_list("service_area", "service_area__name", "status").annotate(n=Count("pk"))
    platform_names = dict(Platform.choices)
    return render(
        request,
        "accounts_registry/account_summary.html",
        {
            "statuses": AccountStatus.choices,
            "platforms": _summary(
                {(p, platform_names[p], s): n for p, s, n in by_platform}, "platform", Platform.values
            ),
            "areas": _summary(
                {
                    (a or "null", name or "No service area (corporate or councillor)", s): n
                    for a, name, s, n in by_area
                },
                "service_area",
            ),
        },
    )


def _summary(counts: dict[tuple, int], filter_name: str, order: list | None = None) -> dict:
    """Rows of figures, one per status, each with the register's address filtered to it; totals."""
    link = reverse("accounts:list")

    def cell(n: int, label: str, **query) -> dict:
        return {"n": n, "label": label, "url": f"{link}?{urlencode(query)}" if query else link}

    keys = sorted({(key, label) for key, label, _ in counts}, key=lambda k: (k[0] == "null", k[1]))
    if order is not None:
        keys.sort(key=lambda k: order.index(k[0]))
    rows = []
    for key, label in keys:
        cells = [
            cell(counts.get((key, label, status), 0), name, **{filter_name: key, "status": status})
            for status, name in AccountStatus.choices
        ]
        total = cell(sum(c["n"] for c in cells), "All", **{filter_name: key})
        rows.append({"label": label, "cells": cells, "total": total})
    totals = [
        cell(sum(n for (_, _, s), n in counts.items() if s == status), name, status=status)
        for status, name in AccountStatus.choices
    ]
    return {"rows": rows, "totals": totals, "total": cell(sum(counts.values()), "All")}


@require_GET
def account_detail(request, pk: int):
    account = _account_for(request.user, pk, flags=True)
    return render(
        request,
        "accounts_registry/account_detail.html",
        {
            "account": account,
            "flags": flags_of(account),
            "checks": account.activity_checks.select_related("checked_by")[:10],
            "actions": ACCOUNT_ACTIONS.for_record(account, request.user),
            "status_changes": account.status_changes.select_related("actor").order_by("-created_at", "-pk")[
                :20
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts_registry.request_account", raise_exception=True)
def account_request(request):
    comms = request.user.has_perm("accounts_registry.add_account")
    # Their own service area or ward to start with (Comms register anyone's); never a person: they choose.
    initial = {} if comms else {"service_area": request.user.service_area_id, "ward": request.user.ward_id}
    form = AccountForm(
        request.POST or None,
        allowed_fields=COMMS_FIELDS if comms else REQUEST_FIELDS,
        initial=initial,
        submit="Register the account" if comms else "Send the request",
    )

    def act(data):
        data.pop("version", None)
        if comms and request.POST.get("existing") == "yes":
            return services.account_register_existing(by=request.user, fields=data)
        return services.account_request(by=request.user, fields=data)

    return form_page(
        request,
        form,
        act,
        template="accounts_registry/account_form.html",
        context={"comms": comms, "account": None},
        success=lambda account: f"{account} is in the register as {account.get_status_display().lower()}.",
        redirect_to=lambda account: reverse("accounts:detail", args=[account.pk]),
    )


@require_http_methods(["GET", "POST"])
def account_edit(request, pk: int):
    account = _account_for(request.user, pk, "edit")
    comms = request.user.has_perm("accounts_registry.manage_account", account)
    fields = COMMS_FIELDS if comms else services.DESCRIPTIVE_FIELDS
    form = AccountForm(request.POST or None, instance=account, allowed_fields=fields, submit="Save changes")

    def act(data):
        version = data.pop("version")
        try:
            return services.account_update(account=account, by=request.user, version=version, changes=data)
        except services.StaleEdit:
            # Keep what they typed; the next save is a deliberate overwrite of the newer version.
            form.data = form.data.copy()
            form.data["version"] = Account.objects.get(pk=pk).version
            raise

    return form_page(
        request,
        form,
        act,
        template="accounts_registry/account_form.html",
        context={"comms": comms, "account": account},
        success="Your changes are saved.",
        redirect_to=_back(account),
    )


@require_http_methods(["GET", "POST"])
def account_decide(request, pk: int):
    account = _account_for(request.user, pk, "decide")

    def act(data):
        if data["decision"] == "approve":
            return services.account_approve(account=account, by=request.user)
        return services.account_reject(account=account, by=request.user, reason=data["reason"])

    return form_page(
        request,
        DecisionForm(request.POST or None),
        act,
        template="accounts_registry/account_decide.html",
        context={**_page(account), "heading": "Decide on this request"},
        success="Decision saved. The person who asked has been told.",
        redirect_to=_back(account),
    )


STATUS_ACTIONS = {
    "activate": ("Mark as active", services.account_activate),
    "start_closing": ("Start closing the account", services.account_start_closing),
    "close": ("Mark as closed (deleted or archived on the platform)", services.account_close),
}


def _status_moves(account: Account) -> list[tuple[str, str]]:
    return [
        (name, label) for name, (label, _) in STATUS_ACTIONS.items() if can_proceed(getattr(account, name))
    ]


@require_http_methods(["GET", "POST"])
def account_status(request, pk: int):
    account = _account_for(request.user, pk, "status")

    def act(data):
        kwargs = {"reason": data["reason"]} if data["action"] == "start_closing" else {}
        return STATUS_ACTIONS[data["action"]][1](account=account, by=request.user, **kwargs)

    return form_page(
        request,
        StatusForm(request.POST or None, actions=_status_moves(account)),
        act,
        template="includes/simple_form.html",
        context={
            **_page(account),
            "heading": "Change the account's status",
            "intro": f"The account is {account.get_status_display().lower()}. "
            "Closing keeps the record and its history.",
        },
        success="The account's status is updated.",
        redirect_to=_back(account),
    )


@require_http_methods(["GET", "POST"])
def account_check(request, pk: int):
    account = _account_for(request.user, pk, "check")
    return form_page(
        request,
        ActivityCheckForm(request.POST or None),
        lambda data: services.account_record_check(account=account, by=request.user, **data),
        template="includes/simple_form.html",
        context={
            **_page(account),
            "heading": "Record an activity check",
            "intro": "Record what you saw on the platform. It updates the account's last activity and "
            "whether it posts as often as agreed.",
        },
        success="Activity check recorded.",
        redirect_to=_back(account),
    )


def _page(account: Account) -> dict:
    """What a one-question page about an account shows above its form."""
    return {
        "account": account,
        "caption": f"{account.display_name} · {account.get_platform_display()}",
        "back_url": _back(account),
    }


@require_GET
@permission_required("accounts_registry.transfer_accounts", raise_exception=True)
def handover_list(request):
    people = (
        User.objects.filter(left_on__isnull=False)
        .annotate(
            open_accounts=Count(
                "responsible_for_accounts", filter=_not_closed("responsible_for_accounts"), distinct=True
            ),
            deputy_accounts=Count(
                "deputy_for_accounts", filter=_not_closed("deputy_for_accounts"), distinct=True
            ),
        )
        .filter(Q(open_accounts__gt=0) | Q(deputy_accounts__gt=0))
        .order_by("-left_on", "pk")
    )
    return render(request, "accounts_registry/handover_list.html", {"people": people})


NOT_CLOSED = [s for s in AccountStatus if s not in (AccountStatus.CLOSED, AccountStatus.REJECTED)]


def _not_closed(relation: str) -> Q:
    return Q(**{f"{relation}__status__in": NOT_CLOSED})


def _account_choice(account: Account, person: User) -> str:
    role = "responsible officer" if account.responsible_officer_id == person.pk else "deputy"
    where = account.service_area or account.ward or "Corporate"
    return f"{account.display_name} ({account.get_platform_display()} {account.handle}), {where}: {role}"


def _chosen(request, person: User) -> list[Account]:
    """The accounts chosen on the first page (?accounts=1&accounts=2), of those the person may hand over."""
    wanted = {int(pk) for pk in request.GET.getlist("accounts") if pk.isdigit()}
    return [a for a in services.handover_accounts(person) if a.pk in wanted]


def _handover_url(name: str, person: User, accounts: list[Account], **extra) -> str:
    query = urlencode({"accounts": [a.pk for a in accounts], **extra}, doseq=True)
    return f"{reverse(name, args=[person.pk])}?{query}"


@require_GET
@permission_required("accounts_registry.transfer_accounts", raise_exception=True)
def handover_choose(request, person_pk: int):
    """Which of the person's accounts to hand over (an account's page links here with it ticked)."""
    person = get_object_or_404(User, pk=person_pk)
    accounts = list(services.handover_accounts(person))
    choices = [(a.pk, _account_choice(a, person)) for a in accounts]
    submitted = "accounts" in request.GET or "continue" in request.GET
    form = ChooseAccountsForm(
        request.GET if submitted else None,
        choices=choices,
        initial={"accounts": request.GET.getlist("account")},
    )
    if submitted and form.is_valid():
        chosen = [a for a in accounts if a.pk in form.cleaned_data["accounts"]]
        return redirect(_handover_url("accounts:transfer_to", person, chosen))
    return render(
        request,
        "accounts_registry/handover_choose.html",
        {"person": person, "form": form, "accounts": accounts},
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts_registry.transfer_accounts", raise_exception=True)
def handover_transfer(request, person_pk: int):
    """Who takes the chosen accounts: only people who may run every one of them are offered."""
    person = get_object_or_404(User, pk=person_pk)
    accounts = _chosen(request, person)
    if not accounts:
        return redirect("accounts:transfer", person.pk)
    people = people_choices().exclude(pk=person.pk)
    may = services.people_who_may_run(accounts, people)
    form = TransferForm(request.POST or None, people=people.filter(pk__in=[p.pk for p in may]))
    if request.method == "POST" and form.is_valid():
        to_person = form.cleaned_data["to_person"]
        plans = services.handover_plan(from_person=person, to_person=to_person, accounts=accounts)
        if any(plan.needs_deputy for plan in plans):
            return redirect(_handover_url("accounts:transfer_deputies", person, accounts, to=to_person.pk))
    return form_page(
        request,
        form,
        lambda data: services.accounts_hand_over(
            from_person=person,
            to_person=data["to_person"],
            accounts=[a.pk for a in accounts],
            by=request.user,
        ),
        template="accounts_registry/handover_transfer.html",
        context={
            "person": person,
            "accounts": accounts,
            "back_url": _handover_url("accounts:transfer", person, []),
        },
        success=_handed_over,
        redirect_to=reverse("accounts:handover"),
    )


def _handed_over(accounts: list[Account]) -> str:
    return f"{len(accounts)} account{'s' if len(accounts) != 1 else ''} handed over."


@require_http_methods(["GET", "POST"])
@permission_required("accounts_registry.transfer_accounts", raise_exception=True)
def handover_deputies(request, person_pk: int):
    """The new person already held the other role on some accounts: who deputises on those now."""
    person = get_object_or_404(User, pk=person_pk)
    accounts = _chosen(request, person)
    to_pk = request.GET.get("to", "")
    to_person = User.objects.filter(pk=int(to_pk)).first() if to_pk.isdigit() else None
    if not accounts or to_person is None:
        return redirect("accounts:transfer", person.pk)
    plans = services.handover_plan(from_person=person, to_person=to_person, accounts=accounts)
    people = list(people_choices().exclude(pk__in=[person.pk, to_person.pk]))
    asked = [
        (plan.account, services.people_who_may_run([plan.account], people))
        for plan in plans
        if plan.needs_deputy
    ]
    form = NewDeputiesForm(request.POST or None, accounts=asked)
    return form_page(
        request,
        form,
        lambda data: services.accounts_hand_over(
            from_person=person,
            to_person=to_person,
            accounts=[a.pk for a in accounts],
            by=request.user,
            new_deputies=form.deputies(),
        ),
        template="accounts_registry/handover_deputies.html",
        context={
            "person": person,
            "to_person": to_person,
            "back_url": _handover_url("accounts:transfer_to", person, accounts),
        },
        success=_handed_over,
        redirect_to=reverse("accounts:handover"),
    )


# Importing a spreadsheet


def _import_for(user, pk: int) -> AccountImport:
    """An upload, to the person who made it (and may still import); 404 to everyone else."""
    return object_for(user, AccountImport.objects.filter(uploaded_by=user), pk)


def _import_page(request, form, problems=()) -> dict:
    areas = list(ServiceArea.objects.values_list("name", flat=True))
    wards = list(Ward.objects.values_list("name", flat=True))
    return {
        "form": form,
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problem_count": len(problems),
        "columns": sheet.TEMPLATE_COLUMNS,
        "allowed": sheet.allowed_values(areas, wards),
        "none_word": sheet.NONE_WORD,
        "max_rows": f"{sheet.MAX_ROWS:,}",
    }


MAX_PROBLEMS_SHOWN = 1000  # a wrong file can have tens of thousands: the first thousand say enough


@require_http_methods(["GET", "POST"])
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def account_import(request):
    """Upload a spreadsheet; nothing is saved until its preview is confirmed."""
    form = ImportForm(request.POST or None, request.FILES or None, max_bytes=sheet.MAX_BYTES)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        try:
            made = services.accounts_import_preview(
                by=request.user, file_name=upload.name, content=upload.read()
            )
        except services.ImportRejected as exc:
            problems = exc.problems
            form.add_error("spreadsheet", exc.message)
        else:
            return redirect("accounts:import_preview", made.pk)
    return render(request, "accounts_registry/account_import.html", _import_page(request, form, problems))


PREVIEW_PAGE_SIZE = 100


@require_GET
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def account_import_preview(request, pk: int):
    return _preview(request, _import_for(request.user, pk))


def _preview(request, upload: AccountImport, problems=()):
    """What each row of the file would do, a page at a time (AccountImportRow)."""
    show = request.GET.get("show", "")
    rows = upload.preview_rows.order_by("number")
    if show in ImportOutcome.values:
        rows = rows.filter(outcome=show)
    page, query = paginate(request, rows, per_page=PREVIEW_PAGE_SIZE)
    return render(
        request,
        "accounts_registry/account_import_preview.html",
        {
            "upload": upload,
            "page": page,
            "query": query,
            "show": show,
            "show_choices": [
                ("", f"All rows ({upload.row_count})"),
                (ImportOutcome.NEW, f"New ({upload.new})"),
                (ImportOutcome.CHANGED, f"Changes ({upload.changed})"),
                (ImportOutcome.UNCHANGED, f"Unchanged ({upload.unchanged})"),
            ],
            "problems": problems[:MAX_PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "pending": upload.status == ImportStatus.PENDING,
        },
    )


@require_POST
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def account_import_confirm(request, pk: int):
    upload = _import_for(request.user, pk)
    try:
        done = services.accounts_import_apply(upload=upload, by=request.user)
    except services.ImportRejected as exc:
        messages.error(request, exc.message)
        return _preview(request, upload, exc.problems)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:import_preview", pk)
    messages.success(
        request,
        f"The file is imported: {done.new} account{'s' if done.new != 1 else ''} added, "
        f"{done.changed} changed, {done.unchanged} unchanged.",
    )
    return redirect("accounts:list")


@require_POST
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def account_import_again(request, pk: int):
    upload = _import_for(request.user, pk)
    try:
        services.accounts_import_preview_again(upload=upload, by=request.user)
    except services.ImportRejected as exc:
        messages.error(request, exc.message)
        return _preview(request, upload, exc.problems)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:import_preview", pk)


@require_POST
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def account_import_discard(request, pk: int):
    upload = _import_for(request.user, pk)
    try:
        services.accounts_import_discard(upload=upload, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:import_preview", pk)
    messages.success(request, "The file is discarded: nothing was imported.")
    return redirect("accounts:import")


@require_GET
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def import_template(request, file_format: str):
    """The import's columns with a sample row; the workbook adds a sheet of the allowed values."""
    headings, sample = sheet.template_rows()
    accounts = tablib.Dataset(sample, headers=headings, title="Accounts")
    if file_format == "csv":
        return download(accounts, name="account-register-template", file_format="csv")
    allowed = _allowed_dataset()
    allowed.title = "Allowed values"
    return download(
        tablib.Databook([accounts, allowed]), name="account-register-template", file_format="xlsx"
    )


@require_GET
@permission_required("accounts_registry.import_accounts", raise_exception=True)
def import_allowed_values(request):
    return download(_allowed_dataset(), name="account-register-allowed-values", file_format="csv")


def _allowed_dataset() -> tablib.Dataset:
    allowed = sheet.allowed_values(
        list(ServiceArea.objects.values_list("name", flat=True)),
        list(Ward.objects.values_list("name", flat=True)),
    )
    longest = max(len(values) for values in allowed.values())
    columns = [values + [""] * (longest - len(values)) for values in allowed.values()]
    return tablib.Dataset(
        *[protect_row(list(row)) for row in zip(*columns, strict=True)], headers=list(allowed)
    )
