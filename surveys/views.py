import json
from urllib.parse import urlencode

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors, form_page
from core.pages import object_for, paginate
from core.spreadsheet import download
from core.templatetags.dates import govuk_date
from surveys import answers as A
from surveys import services
from surveys.definition import DefinitionError, parse_definition, spec_to_dict
from surveys.figures import CACHE_SECONDS
from surveys.forms import (
    AnswerForm,
    CompareForm,
    CopyForm,
    DatesForm,
    DefinitionUploadForm,
    ImportForm,
    InviteForm,
    ReasonForm,
)
from surveys.models import Invitation, Questionnaire, QuestionType, Response, ResponseStatus
from surveys.permissions import INVITATION_ACTIONS, QUESTIONNAIRE_ACTIONS, RESPONSE_ACTIONS
from surveys.report import (
    ALL,
    EXPORT_HEADERS,
    WEIGHTED_AVERAGE_ALL_LABEL,
    WEIGHTED_AVERAGE_LABEL,
    GroupResult,
    QuestionResult,
    Report,
    compare_reports,
    export_rows,
    hide_small_groups,
)
from surveys.resources import ImportRejected, responses_dataset
from surveys.selectors import (
    counted_responses,
    free_text_answers,
    invitation_progress,
    invitations_of,
    questionnaire_report,
    questionnaire_spec,
    questionnaires_with_counts,
)


def _questionnaire_for(user, slug: str, action: str | None = None) -> Questionnaire:
    """The questionnaire if the person may see it (else 404), and may take `action` on it (else a
    403 saying why)."""
    questionnaire = Questionnaire.objects.visible_to(user).filter(slug=slug).first()
    if questionnaire is None:
        raise Http404("No such questionnaire")
    if action:
        QUESTIONNAIRE_ACTIONS.require(action, questionnaire, user)
    return questionnaire


def _invitation_for(user, pk: int) -> Invitation:
    """An invitation is private to its invitee: anyone else, Comms included, gets 404."""
    visible = Invitation.objects.visible_to(user).select_related("questionnaire", "response")
    return object_for(user, visible, pk)


def _response_for(user, questionnaire: Questionnaire, pk: int, action: str | None = None) -> Response:
    visible = Response.objects.visible_to(user).filter(questionnaire=questionnaire)
    response = object_for(user, visible.select_related("questionnaire"), pk)
    if action:
        RESPONSE_ACTIONS.require(action, response, user)
    return response


def _back(questionnaire: Questionnaire) -> str:
    return reverse("surveys:detail", args=[questionnaire.slug])


def _page(questionnaire: Questionnaire, heading: str, intro: str = "") -> dict:
    """What a one-question page about a questionnaire shows above its form."""
    return {
        "questionnaire": questionnaire,
        "caption": questionnaire.title,
        "heading": heading,
        "intro": intro,
        "back_url": _back(questionnaire),
    }


def _report_for(user, questionnaire: Questionnaire) -> Report:
    """The figures only: free-text answers are read on their own page (comments), so a report costs
    the cached counts whatever the number of answers."""
    report = questionnaire_report(questionnaire, texts=False)
    if user.has_perm("surveys.view_small_groups"):
        return report
    return hide_small_groups(report, settings.SURVEY_MIN_GROUP_SIZE)


# Lists and questionnaire pages (Comms; auditors read)


@require_GET
def questionnaire_list(request):
    can_read = request.user.has_perm("surveys.view_questionnaires")
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "invitations": invitations_of(request.user),
            "questionnaires": questionnaires_with_counts(request.user) if can_read else None,
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
        redirect_to=lambda result: _back(result[0]),
    )


@require_GET
def questionnaire_detail(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug)
    counted = counted_responses(questionnaire).count()
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "spec": questionnaire_spec(questionnaire),
            "progress": invitation_progress(questionnaire),
            "actions": QUESTIONNAIRE_ACTIONS.for_record(questionnaire, request.user),
            "frozen": questionnaire.is_frozen,
            "submitted": counted,
            "voided": questionnaire.responses.filter(status=ResponseStatus.VOIDED).count(),
            "status_changes": questionnaire.status_changes.select_related("actor").order_by(
                "-created_at", "-pk"
            )[:20],
        },
    )


@require_GET
def questionnaire_definition(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "definition")
    body = json.dumps(spec_to_dict(questionnaire_spec(questionnaire)), indent=2, ensure_ascii=False)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response


@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "edit")
    return form_page(
        request,
        DatesForm(request.POST if request.method == "POST" else None, instance=questionnaire),
        lambda data: services.questionnaire_update(
            questionnaire=questionnaire,
            by=request.user,
            title=data["title"],
            description=data["description"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        ),
        template="includes/simple_form.html",
        context=_page(
            questionnaire,
            "Change the title or dates",
            "Answers are taken from the opening date to the closing date. Changing the dates opens or "
            "closes the questionnaire at once if they say it should be.",
        ),
        success="Your changes are saved.",
        redirect_to=_back(questionnaire),
    )


@require_http_methods(["GET", "POST"])
def questionnaire_copy(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "copy")
    return form_page(
        request,
        CopyForm(request.POST if request.method == "POST" else None, initial={"title": questionnaire.title}),
        lambda data: services.questionnaire_copy(
            questionnaire=questionnaire,
            by=request.user,
            slug=data["slug"],
            title=data["title"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        ),
        template="includes/simple_form.html",
        context=_page(
            questionnaire,
            "Copy for a new run",
            "The new run has the same questions and codes, so its report can be compared with this one. "
            "Nobody is invited to it yet.",
        ),
        success=lambda copy: f"“{copy.title}” is ready. Invite people when you are ready.",
        redirect_to=_back,
    )


# Opening and closing by hand (the dates do it by themselves: surveys.services.questionnaires_follow_dates)

MOVES = {
    "open": (
        services.questionnaire_open,
        "Open it now",
        "It opens today instead of on its opening date, and invitees can answer straight away.",
        "The questionnaire is open.",
    ),
    "close": (
        services.questionnaire_close,
        "Close it now",
        "Nobody can answer from now on, and answers not yet sent are not counted. You can reopen it later.",
        "The questionnaire is closed.",
    ),
    "reopen": (
        services.questionnaire_reopen,
        "Reopen it",
        "Invitees who have not sent their answers can answer again until the new closing date.",
        "The questionnaire is open again.",
    ),
}


@require_http_methods(["GET", "POST"])
def questionnaire_move(request, slug: str, transition: str):
    questionnaire = _questionnaire_for(request.user, slug, transition)
    service, heading, intro, done = MOVES[transition]
    reopening = transition == "reopen"

    def act(data):
        extra = {"closes_on": data["closes_on"]} if reopening else {}
        return service(questionnaire=questionnaire, by=request.user, reason=data["reason"], **extra)

    return form_page(
        request,
        ReasonForm(request.POST or None, submit=heading, closing_date=reopening),
        act,
        template="includes/simple_form.html",
        context=_page(questionnaire, heading, intro),
        success=done,
        redirect_to=_back(questionnaire),
    )


@require_http_methods(["GET", "POST"])
def questionnaire_invite(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "invite")

    def success(result) -> str:
        made = len(result.invited)
        text = f"{made} {'person' if made == 1 else 'people'} invited and emailed."
        if result.already:
            text += f" {result.already} of those you chose had already been invited."
        return text

    return form_page(
        request,
        InviteForm(request.POST if request.method == "POST" else None, questionnaire=questionnaire),
        lambda data: services.invitations_create(
            questionnaire=questionnaire,
            by=request.user,
            audience=data["audience"],
            role=data["role"],
            service_areas=data["service_areas"],
        ),
        template="surveys/invite.html",
        context={"questionnaire": questionnaire, "progress": invitation_progress(questionnaire)},
        success=success,
        redirect_to=reverse("surveys:invite", args=[slug]),
    )


# Responses: import, export and individual answers (Comms only)


@require_http_methods(["GET", "POST"])
def responses_import(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "import")
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
        success=lambda made: f"{made} response{'s' if made != 1 else ''} imported.",
        redirect_to=_back(questionnaire),
    )


@require_GET
def responses_export(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "export_responses")
    rows = counted_responses(questionnaire).order_by("submitted_at", "pk")
    dataset = responses_dataset(
        questionnaire_spec(questionnaire),
        rows.values_list("respondent", "audience", "submitted_at", "answers").iterator(),
    )
    return download(dataset, name=f"{slug}-responses", file_format="csv")


@require_GET
def response_list(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "responses")
    responses = Response.objects.visible_to(request.user).filter(questionnaire=questionnaire)
    page, query = paginate(request, responses.order_by("submitted_at", "respondent", "pk"))
    return render(
        request, "surveys/response_list.html", {"questionnaire": questionnaire, "page": page, "query": query}
    )


@require_GET
def response_detail(request, slug: str, pk: int):
    questionnaire = _questionnaire_for(request.user, slug)
    response = _response_for(request.user, questionnaire, pk)
    spec = questionnaire_spec(questionnaire)
    rows = [
        (q, A.display(q, response.answers.get(q.code)))
        for q in A.asked_questions(spec, response.audience, response.answers)
    ]
    return render(
        request,
        "surveys/response_detail.html",
        {
            "questionnaire": questionnaire,
            "response": response,
            "rows": rows,
            "actions": RESPONSE_ACTIONS.for_record(response, request.user),
            "status_changes": response.status_changes.select_related("actor").order_by("-created_at", "-pk"),
        },
    )


@require_http_methods(["GET", "POST"])
def response_void(request, slug: str, pk: int):
    questionnaire = _questionnaire_for(request.user, slug)
    response = _response_for(request.user, questionnaire, pk, "void")
    back = reverse("surveys:response", args=[slug, pk])
    return form_page(
        request,
        ReasonForm(request.POST or None, submit="Void this response"),
        lambda data: services.response_void(response=response, by=request.user, reason=data["reason"]),
        template="includes/simple_form.html",
        context={
            "caption": f"{questionnaire.title} · {response.respondent}",
            "heading": "Void this response",
            "intro": "A voided response is kept, with your reason, but left out of the report, its "
            "downloads and comparisons. It cannot be undone.",
            "back_url": back,
        },
        success="The response is voided: it is no longer counted.",
        redirect_to=back,
    )


# Reports (Comms; auditors with small groups withheld)


def _group_key(request, report: Report) -> str:
    key = request.GET.get("group", ALL)
    return key if report.group(key) else ALL


def _texts(group: GroupResult) -> list[QuestionResult]:
    return [q for q in group.questions if q.type == QuestionType.TEXT]


@require_GET
def report(request, slug: str):
    questionnaire = _questionnaire_for(request.user, slug, "report")
    full = _report_for(request.user, questionnaire)
    group = full.group(_group_key(request, full))
    texts = _texts(group)
    return render(
        request,
        "surveys/report.html",
        {
            "questionnaire": questionnaire,
            "report": full,
            "group": group,
            "asks_for_comments": bool(texts),
            "comments": sum(q.base for q in texts),  # from the cached counts: no free text is read
            "may_read_comments": QUESTIONNAIRE_ACTIONS.refusal("comments", questionnaire, request.user)
            is None,
            "nav_groups": sorted(full.groups, key=lambda g: g.key != ALL),
            "minimum": full.minimum,
            "weighted_average_label": WEIGHTED_AVERAGE_LABEL,
            "weighted_average_all_label": WEIGHTED_AVERAGE_ALL_LABEL,
            "cache_seconds": CACHE_SECONDS,
        },
    )


@require_GET
def comments(request, slug: str):
    """The free-text answers to one question, from one group or everyone, 50 a page (Comms only)."""
    questionnaire = _questionnaire_for(request.user, slug, "comments")
    full = _report_for(request.user, questionnaire)
    group = full.group(_group_key(request, full))
    questions = _texts(group)
    wanted = request.GET.get("question")
    question = next((q for q in questions if q.code == wanted), questions[0] if questions else None)
    page = query = None
    if question is not None:
        audience = None if group.key == ALL else group.key
        page, query = paginate(request, free_text_answers(questionnaire, question.code, audience))
    return render(
        request,
        "surveys/comments.html",
        {
            "questionnaire": questionnaire,
            "group": group,
            "nav_groups": sorted(full.groups, key=lambda g: g.key != ALL),
            "questions": questions,
            "question": question,
            "page": page,
            "query": query,
            "group_query": urlencode({"question": question.code}) if question else "",
        },
    )


@require_GET
def report_export(request, slug: str, file_format: str):
    questionnaire = _questionnaire_for(request.user, slug, "report")
    dataset = tablib.Dataset(*export_rows(_report_for(request.user, questionnaire)), headers=EXPORT_HEADERS)
    return download(dataset, name=f"{slug}-report", file_format=file_format, title="Report")


@require_GET
@permission_required("surveys.view_questionnaires", raise_exception=True)
def compare(request):
    form = CompareForm(request.GET or None, runs=Questionnaire.objects.visible_to(request.user))
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


def _response(invitation: Invitation) -> Response | None:
    return getattr(invitation, "response", None)  # a missing one-to-one is an AttributeError


def _answers(invitation: Invitation) -> dict:
    response = _response(invitation)
    return response.answers if response else {}


def _may_answer(invitation: Invitation, user) -> bool:
    return INVITATION_ACTIONS.refusal("answer", invitation, user) is None


@require_GET
def answer_start(request, pk: int):
    invitation = _invitation_for(request.user, pk)
    answers = _answers(invitation)
    return render(
        request,
        "surveys/answer_start.html",
        {
            "invitation": invitation,
            "questionnaire": invitation.questionnaire,
            "actions": INVITATION_ACTIONS.for_record(invitation, request.user),
            "answered": len(answers),
        },
    )


@require_GET
def answer_next(request, pk: int):
    """Where the invitee carries on: the first question asked that they have not answered, or the
    check page when there is none."""
    invitation = _invitation_for(request.user, pk)
    INVITATION_ACTIONS.require("answer", invitation, request.user)
    spec = questionnaire_spec(invitation.questionnaire)
    answers = _answers(invitation)
    unanswered = {q.code for q in spec.questions if q.code not in answers}
    next_code = _next_code(spec, invitation, answers, None, only=unanswered)
    if next_code:
        return redirect("surveys:question", pk=pk, code=next_code)
    return redirect("surveys:check", pk=pk)


@require_http_methods(["GET", "POST"])
def answer_question(request, pk: int, code: str):
    invitation = _invitation_for(request.user, pk)
    if not _may_answer(invitation, request.user):
        return redirect("surveys:start", pk=pk)  # it says why
    spec = questionnaire_spec(invitation.questionnaire)
    question = spec.question(code)
    answers = _answers(invitation)
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
    invitation = _invitation_for(request.user, pk)
    if not _may_answer(invitation, request.user):
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
    answers = _answers(invitation)
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
    invitation = _invitation_for(request.user, pk)
    response = _response(invitation)
    if response is None or not response.is_submitted:
        return redirect("surveys:start", pk=pk)
    return render(
        request,
        "surveys/answer_done.html",
        {"invitation": invitation, "questionnaire": invitation.questionnaire, "response": response},
    )
