from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import can_proceed

from accounts_registry import services
from accounts_registry.filters import AccountFilter
from accounts_registry.forms import (
    COMMS_FIELDS,
    REQUEST_FIELDS,
    AccountForm,
    ActivityCheckForm,
    DecisionForm,
    StatusForm,
    TransferForm,
)
from accounts_registry.models import OPEN_STATUSES, Account
from accounts_registry.permissions import ACCOUNT_ACTIONS
from accounts_registry.resources import AccountResource
from accounts_registry.selectors import flags_of, with_flags
from core.forms import form_page
from core.pages import object_for, paginate
from organisation.models import User


def _account_for(user, pk: int, action: str | None = None) -> Account:
    """The account if the person may see it (else 404), and may take `action` on it (else a 403
    saying why)."""
    visible = with_flags(Account.objects.visible_to(user)).select_related(
        "service_area", "ward", "responsible_officer", "deputy", "requested_by"
    )
    account = object_for(user, visible, pk)
    if action:
        ACCOUNT_ACTIONS.require(action, account, user)
    return account


def _back(account: Account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def _filtered(request):
    accounts = with_flags(Account.objects.visible_to(request.user)).select_related(
        "service_area", "ward", "responsible_officer"
    )
    return AccountFilter(request.GET or None, queryset=accounts.order_by("display_name", "pk"))


@require_GET
@permission_required("accounts_registry.view_register", raise_exception=True)
def account_list(request, mine: bool = False):
    account_filter = _filtered(request)
    accounts = account_filter.qs
    if mine:
        accounts = accounts.for_person(request.user)
    page, query = paginate(request, accounts)
    for account in page.object_list:
        account.flags = flags_of(account)
    return render(
        request,
        "accounts_registry/account_list.html",
        {"filter": account_filter, "page": page, "query": query, "mine": mine},
    )


@require_GET
@permission_required("accounts_registry.export_accounts", raise_exception=True)
def account_export(request, file_format: str):
    accounts = _filtered(request).qs.select_related("deputy").order_by("platform", "handle_key")
    dataset = AccountResource().export(accounts)
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = dataset.export("xlsx")
    else:
        content_type, body = (
            "text/csv; charset=utf-8",
            "\ufeff" + dataset.export("csv"),
        )  # BOM: Excel reads UTF-8
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="social-media-accounts-{stamp}.{file_format}"'
    return response


@require_GET
def account_detail(request, pk: int):
    account = _account_for(request.user, pk)
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
    initial = {
        "responsible_officer": request.user,
        "service_area": request.user.service_area,
        "ward": request.user.ward,
    }
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
        .annotate(open_accounts=Count("responsible_for_accounts", filter=_open_q()))
        .filter(open_accounts__gt=0)
        .order_by("-left_on")
    )
    return render(request, "accounts_registry/handover_list.html", {"people": people})


def _open_q() -> Q:
    return Q(responsible_for_accounts__status__in=OPEN_STATUSES)


@require_http_methods(["GET", "POST"])
@permission_required("accounts_registry.transfer_accounts", raise_exception=True)
def handover_transfer(request, person_pk: int):
    person = get_object_or_404(User, pk=person_pk)
    accounts = Account.objects.open().filter(responsible_officer=person).select_related("service_area")
    deputy_of = Account.objects.open().filter(deputy=person)
    return form_page(
        request,
        TransferForm(request.POST or None),
        lambda data: services.accounts_transfer(
            from_person=person, to_person=data["to_person"], by=request.user
        ),
        template="accounts_registry/handover_transfer.html",
        context={"person": person, "accounts": accounts, "deputy_of": deputy_of},
        success=lambda moved: f"{moved} account{'s' if moved != 1 else ''} handed over.",
        redirect_to=reverse("accounts:handover"),
    )
