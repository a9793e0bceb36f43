import json

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors, form_page
from core.templatetags.dates import govuk_date
from surveys import answers as A
from surveys import services
from surveys.charts import bars_for
from surveys.definition import DefinitionError, parse_definition, spec_to_dict
from surveys.forms import (
    AnswerForm,
    CompareForm,
    CopyForm,
    DatesForm,
    DefinitionUploadForm,
    ImportForm,
    InviteForm,
)
from surveys.models import Invitation, Questionnaire, Response
from surveys.report import (
    ALL,
    EXPORT_HEADERS,
    WEIGHTED_AVERAGE_ALL_LABEL,
    WEIGHTED_AVERAGE_LABEL,
    Report,
    compare_reports,
    export_rows,
    hide_small_groups,
)
from surveys.resources import ImportRejected, export_csv
from surveys.selectors import (
    invitation_progress,
    invitations_of,
    questionnaire_report,
    questionnaire_spec,
    questionnaires_with_counts,
    submitted_responses,
)

PAGE_SIZE = 50


def _questionnaire(user, slug: str, perm: str) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire, slug=slug)
    if not user.has_perm(perm, questionnaire):
        raise PermissionDenied
    return questionnaire


def _invitation(user, pk: int) -> Invitation:
    """An invitation is private to its invitee: anyone else, Comms included, gets 404."""
    invitation = Invitation.objects.select_related("questionnaire").filter(pk=pk, person=user).first()
    if invitation is None or not user.has_perm("surveys.answer_invitation", invitation):
        raise Http404("No such invitation")
    invitation.current_response = Response.objects.filter(invitation=invitation).first()
    return invitation


def _report_for(user, questionnaire: Questionnaire) -> Report:
    report = questionnaire_report(questionnaire)
    if user.has_perm("surveys.view_small_groups"):
        return report
    return hide_small_groups(report, settings.SURVEY_MIN_GROUP_SIZE)


def _stamp() -> str:
    return timezone.localdate().isoformat()


# Lists and questionnaire pages (Comms; auditors read)


@require_GET
def questionnaire_list(request):
    can_read = request.user.has_perm("surveys.view_questionnaires")
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "invitations": invitations_of(request.user),
            "questionnaires": questionnaires_with_counts() if can_read else None,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("surveys.manage_questionnaire", raise_exception=True)
def questionnaire_new(request):
    def act(data):
        try:
            spec = parse_definition(data["definition"])
        except DefinitionError as exc:
            raise ValidationError({"definition": exc.errors}) from None
        return services.questionnaire_load(spec=spec, by=request.user)

    return form_page(
        request,
        DefinitionUploadForm(request.POST if request.method == "POST" else None, request.FILES or None),
        act,
        template="surveys/questionnaire_new.html",
        context={},
        success=lambda result: f"“{result[0].title}” is {'loaded' if result[1] else 'updated'}.",
        redirect_to=lambda result: reverse("surveys:detail", args=[result[0].slug]),
    )


@require_GET
@permission_required("surveys.view_questionnaires", raise_exception=True)
def questionnaire_detail(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.view_questionnaires")
    spec = questionnaire_spec(questionnaire)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "spec": spec,
            "progress": invitation_progress(questionnaire),
            "frozen": questionnaire.is_frozen,
            "submitted": submitted_responses(questionnaire).count(),
        },
    )


@require_GET
@permission_required("surveys.view_questionnaires", raise_exception=True)
def questionnaire_definition(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.view_questionnaires")
    body = json.dumps(spec_to_dict(questionnaire_spec(questionnaire)), indent=2, ensure_ascii=False)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required("surveys.manage_questionnaire", raise_exception=True)
def questionnaire_edit(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.manage_questionnaire")
    return form_page(
        request,
        DatesForm(
            request.POST if request.method == "POST" else None,
            instance=Questionnaire.objects.get(pk=questionnaire.pk),
        ),
        lambda data: services.questionnaire_update(questionnaire=questionnaire, by=request.user, **data),
        template="surveys/simple_form.html",
        context={"questionnaire": questionnaire, "heading": "Change the title or dates"},
        success="Your changes are saved.",
        redirect_to=reverse("surveys:detail", args=[slug]),
    )


@require_http_methods(["GET", "POST"])
@permission_required("surveys.manage_questionnaire", raise_exception=True)
def questionnaire_copy(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.manage_questionnaire")
    return form_page(
        request,
        CopyForm(request.POST if request.method == "POST" else None, initial={"title": questionnaire.title}),
        lambda data: services.questionnaire_copy(questionnaire=questionnaire, by=request.user, **data),
        template="surveys/simple_form.html",
        context={
            "questionnaire": questionnaire,
            "heading": "Copy for a new run",
            "intro": "The new run has the same questions and codes, so its report can be compared with "
            "this one. Nobody is invited to it yet.",
        },
        success=lambda copy: f"“{copy.title}” is ready. Invite people when you are ready.",
        redirect_to=lambda copy: reverse("surveys:detail", args=[copy.slug]),
    )


@require_http_methods(["GET", "POST"])
@permission_required("surveys.invite", raise_exception=True)
def questionnaire_invite(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.invite")

    def success(result) -> str:
        made = len(result.invited)
        text = f"{made} {'person' if made == 1 else 'people'} invited and emailed."
        if result.already:
            text += f" {result.already} of those you chose had already been invited."
        return text

    return form_page(
        request,
        InviteForm(request.POST if request.method == "POST" else None, questionnaire=questionnaire),
        lambda data: services.invitations_create(questionnaire=questionnaire, by=request.user, **data),
        template="surveys/invite.html",
        context={"questionnaire": questionnaire, "progress": invitation_progress(questionnaire)},
        success=success,
        redirect_to=reverse("surveys:invite", args=[slug]),
    )


# Responses: import, export and individual answers (Comms only)


@require_http_methods(["GET", "POST"])
@permission_required("surveys.import_responses", raise_exception=True)
def responses_import(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.import_responses")
    problems: list[tuple[int, str]] = []

    def act(data):
        try:
            return services.responses_import(
                questionnaire=questionnaire, by=request.user, data=data["responses"]
            )
        except ImportRejected as exc:
            problems.extend(exc.problems)
            raise

    return form_page(
        request,
        ImportForm(request.POST if request.method == "POST" else None, request.FILES or None),
        act,
        template="surveys/import.html",
        context={
            "questionnaire": questionnaire,
            "problems": problems,
            "columns": A.columns(questionnaire_spec(questionnaire)),
        },
        success=lambda made: f"{len(made)} response{'s' if len(made) != 1 else ''} imported.",
        redirect_to=reverse("surveys:detail", args=[slug]),
    )


@require_GET
@permission_required("surveys.export_responses", raise_exception=True)
def responses_export(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.export_responses")
    rows = submitted_responses(questionnaire).order_by("submitted_at", "pk")
    body = export_csv(
        questionnaire_spec(questionnaire),
        rows.values_list("respondent", "audience", "submitted_at", "answers").iterator(),
    )
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")  # BOM: Excel reads UTF-8
    response["Content-Disposition"] = f'attachment; filename="{slug}-responses-{_stamp()}.csv"'
    return response


@require_GET
@permission_required("surveys.view_individual_answers", raise_exception=True)
def response_list(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.view_individual_answers")
    responses = questionnaire.responses.order_by("submitted_at", "respondent")
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/response_list.html", {"questionnaire": questionnaire, "page": page})


@require_GET
@permission_required("surveys.view_individual_answers", raise_exception=True)
def response_detail(request, slug: str, pk: int):
    questionnaire = _questionnaire(request.user, slug, "surveys.view_individual_answers")
    response = get_object_or_404(Response, pk=pk, questionnaire=questionnaire)
    spec = questionnaire_spec(questionnaire)
    rows = [
        (q, A.display(q, response.answers.get(q.code)))
        for q in A.asked_questions(spec, response.audience, response.answers)
    ]
    return render(
        request,
        "surveys/response_detail.html",
        {"questionnaire": questionnaire, "response": response, "rows": rows},
    )


# Reports (Comms; auditors with small groups withheld)


def _group_key(request, report: Report) -> str:
    key = request.GET.get("group", ALL)
    return key if report.group(key) else ALL


@require_GET
@permission_required("surveys.view_report", raise_exception=True)
def report(request, slug: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.view_report")
    full = _report_for(request.user, questionnaire)
    group = full.group(_group_key(request, full))
    for question in group.questions:
        question.chart = bars_for(question)
    return render(
        request,
        "surveys/report.html",
        {
            "questionnaire": questionnaire,
            "report": full,
            "group": group,
            "nav_groups": sorted(full.groups, key=lambda g: g.key != ALL),
            "minimum": full.minimum,
            "weighted_average_label": WEIGHTED_AVERAGE_LABEL,
            "weighted_average_all_label": WEIGHTED_AVERAGE_ALL_LABEL,
        },
    )


@require_GET
@permission_required("surveys.view_report", raise_exception=True)
def report_export(request, slug: str, file_format: str):
    questionnaire = _questionnaire(request.user, slug, "surveys.view_report")
    dataset = tablib.Dataset(*export_rows(_report_for(request.user, questionnaire)), headers=EXPORT_HEADERS)
    if file_format == "xlsx":
        dataset.title = "Report"
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = dataset.export("xlsx")
    else:
        content_type, body = "text/csv; charset=utf-8", "\ufeff" + dataset.export("csv")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-report-{_stamp()}.{file_format}"'
    return response


@require_GET
@permission_required("surveys.view_report", raise_exception=True)
def compare(request):
    form = CompareForm(request.GET or None)
    groups, group, first, second = [], None, None, None
    if form.is_bound and form.is_valid():
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        if first == second:
            form.add_error("second", "Choose two different runs")
        else:
            groups = compare_reports(_report_for(request.user, first), _report_for(request.user, second))
            keys = [g.key for g in groups]
            group = next((g for g in groups if g.key == request.GET.get("group")), None) or next(
                (g for g in groups if g.key == ALL), None
            )
            if not keys:
                form.add_error("second", "These runs have no audience in common")
    return render(
        request,
        "surveys/compare.html",
        {
            "form": form,
            "groups": sorted(groups, key=lambda g: g.key != ALL),
            "group": group,
            "first": first,
            "second": second,
            "query": f"first={first.slug}&second={second.slug}" if first and second else "",
            "minimum": None
            if request.user.has_perm("surveys.view_small_groups")
            else settings.SURVEY_MIN_GROUP_SIZE,
        },
    )


# Answering (the invitee only)


def _next_code(
    spec, invitation, answers: dict, after: str | None, *, only: set[str] | None = None
) -> str | None:
    """The next question asked after `after` (from the start if None); with `only`, the next among those."""
    asked = A.asked_questions(spec, invitation.audience, answers)
    codes = [q.code for q in asked]
    start = codes.index(after) + 1 if after in codes else 0
    for question in asked[start:]:
        if only is None or question.code in only:
            return question.code
    return None


def _previous_code(spec, invitation, answers: dict, code: str) -> str | None:
    codes = [q.code for q in A.asked_questions(spec, invitation.audience, answers)]
    index = codes.index(code) if code in codes else 0
    return codes[index - 1] if index > 0 else None


def _answering_state(invitation: Invitation) -> str:
    questionnaire, response = invitation.questionnaire, invitation.current_response
    if response is not None and response.is_submitted:
        return "submitted"
    today = timezone.localdate()
    if questionnaire.opens_on and today < questionnaire.opens_on:
        return "not_open"
    if questionnaire.closes_on and today > questionnaire.closes_on:
        return "closed"
    return "in_progress" if response is not None else "not_started"


@require_GET
def answer_start(request, pk: int):
    invitation = _invitation(request.user, pk)
    spec = questionnaire_spec(invitation.questionnaire)
    answers = invitation.current_response.answers if invitation.current_response else {}
    unanswered = {q.code for q in spec.questions if q.code not in answers}
    next_code = _next_code(spec, invitation, answers, None, only=unanswered)
    return render(
        request,
        "surveys/answer_start.html",
        {
            "invitation": invitation,
            "questionnaire": invitation.questionnaire,
            "response": invitation.current_response,
            "state": _answering_state(invitation),
            "next_url": reverse("surveys:question", args=[pk, next_code])
            if next_code
            else reverse("surveys:check", args=[pk]),
            "answered": len(answers),
        },
    )


@require_http_methods(["GET", "POST"])
def answer_question(request, pk: int, code: str):
    invitation = _invitation(request.user, pk)
    if _answering_state(invitation) not in ("not_started", "in_progress"):
        return redirect("surveys:start", pk=pk)
    spec = questionnaire_spec(invitation.questionnaire)
    question = spec.question(code)
    answers = invitation.current_response.answers if invitation.current_response else {}
    if question is None:
        raise Http404("No such question")
    if not A.is_asked(spec, question, invitation.audience, answers):
        return redirect("surveys:start", pk=pk)
    changing = request.GET.get("change") == "1"
    saving = "save" in request.POST
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        question=question,
        must_answer=not saving,
        initial=AnswerForm.initial_for(question, answers.get(code)),
    )
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"]
        asked_before = {q.code for q in A.asked_questions(spec, invitation.audience, answers)}
        try:
            if value is not None or code in answers:
                response = services.response_save_answer(
                    invitation=invitation, by=request.user, question_code=code, value=value, spec=spec
                )
                answers = response.answers
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saving:
                closes = invitation.questionnaire.closes_on
                messages.success(
                    request,
                    "Your answers are saved. You can come back and finish"
                    + (f" until {govuk_date(closes)}." if closes else " at any time."),
                )
                return redirect("surveys:start", pk=pk)
            # Changing an answer from the check page returns there, unless it leads to new questions.
            newly_asked = {
                q.code for q in A.asked_questions(spec, invitation.audience, answers)
            } - asked_before
            next_code = _next_code(spec, invitation, answers, code, only=newly_asked if changing else None)
            if next_code:
                url = reverse("surveys:question", args=[pk, next_code])
                return redirect(url + ("?change=1" if changing else ""))
            return redirect("surveys:check", pk=pk)
    previous = _previous_code(spec, invitation, answers, code)
    back = (
        reverse("surveys:check", args=[pk])
        if changing
        else reverse("surveys:question", args=[pk, previous])
        if previous
        else reverse("surveys:start", args=[pk])
    )
    return render(
        request,
        "surveys/answer_question.html",
        {
            "invitation": invitation,
            "questionnaire": invitation.questionnaire,
            "question": question,
            "form": form,
            "back": back,
        },
    )


@require_http_methods(["GET", "POST"])
def answer_check(request, pk: int):
    invitation = _invitation(request.user, pk)
    if _answering_state(invitation) not in ("not_started", "in_progress"):
        return redirect("surveys:start", pk=pk)
    spec = questionnaire_spec(invitation.questionnaire)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            services.response_submit(invitation=invitation, by=request.user, spec=spec)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = [
                    (reverse("surveys:question", args=[pk, code]) + "?change=1", message)
                    for code, messages_ in exc.message_dict.items()
                    for message in messages_
                ]
            else:
                errors = [("#main-content", message) for message in exc.messages]
        else:
            return redirect("surveys:done", pk=pk)
    answers = invitation.current_response.answers if invitation.current_response else {}
    rows = [
        (q, A.display(q, answers.get(q.code)), q.code in answers)
        for q in A.asked_questions(spec, invitation.audience, answers)
    ]
    return render(
        request,
        "surveys/answer_check.html",
        {"invitation": invitation, "questionnaire": invitation.questionnaire, "rows": rows, "errors": errors},
    )


@require_GET
def answer_done(request, pk: int):
    invitation = _invitation(request.user, pk)
    if _answering_state(invitation) != "submitted":
        return redirect("surveys:start", pk=pk)
    return render(
        request,
        "surveys/answer_done.html",
        {
            "invitation": invitation,
            "questionnaire": invitation.questionnaire,
            "response": invitation.current_response,
        },
    )
