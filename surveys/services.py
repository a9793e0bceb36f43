"""Every change to questionnaires, invitations and responses goes through these functions: the web
pages, the admin actions, the management commands, the demo data and the reminder task."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.csvfile import decode
from core.templatetags.dates import govuk_date
from notifications.services import notification_queue
from organisation.models import ServiceArea, User
from surveys import answers as A
from surveys.definition import (
    DefinitionError,
    QuestionnaireSpec,
    no_template_code,
    spec_from_dict,
    spec_to_dict,
)
from surveys.models import Invitation, Option, Question, Questionnaire, Response
from surveys.resources import ImportRejected, parse_responses
from surveys.selectors import questionnaire_spec


def _require(by: User | None, perm: str, obj=None, message: str = "You cannot do this.") -> None:
    if by is not None and not by.has_perm(perm, obj):
        raise PermissionDenied(message)


def _check_dates(opens_on: date | None, closes_on: date | None) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(
            {"closes_on": "The closing date must be the same as or after the opening date."}
        )


def questionnaire_load(*, spec: QuestionnaireSpec, by: User | None = None) -> tuple[Questionnaire, bool]:
    """Create a questionnaire from a definition, or replace the structure of one nobody has answered
    yet. Returns (questionnaire, created). Once responses exist the structure is frozen: load the
    next run under a new slug (or copy it)."""
    _require(
        by, "surveys.manage_questionnaire", message="Only the Communications team builds questionnaires."
    )
    _check_dates(spec.opens_on, spec.closes_on)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().filter(slug=spec.slug).first()
        created = questionnaire is None
        if created:
            questionnaire = Questionnaire(slug=spec.slug, created_by=by)
        elif questionnaire.is_frozen:
            raise ValidationError(
                f"“{questionnaire.title}” ({spec.slug}) already has responses, so its questions can no "
                "longer change. Load the new version under a new slug: a new run."
            )
        questionnaire.title = spec.title
        questionnaire.description = spec.description
        questionnaire.audiences = list(spec.audiences)
        questionnaire.opens_on = spec.opens_on
        questionnaire.closes_on = spec.closes_on
        questionnaire.save()
        if not created:
            # Conditions point between questions (PROTECT): clear them before the old questions go.
            questionnaire.questions.update(show_if_question=None)
            questionnaire.questions.all().delete()
        _create_questions(questionnaire, spec)
    return questionnaire, created


def _create_questions(questionnaire: Questionnaire, spec: QuestionnaireSpec) -> None:
    made: dict[str, Question] = {}
    for position, q in enumerate(spec.questions, start=1):
        question = Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            code=q.code,
            text=q.text,
            hint=q.hint,
            type=q.type,
            required=q.required,
            audiences=list(q.audiences),
            show_if_question=made[q.show_if[0]] if q.show_if else None,
            show_if_equals=q.show_if[1] if q.show_if else "",
        )
        Option.objects.bulk_create(
            Option(question=question, position=n, code=o.code, label=o.label)
            for n, o in enumerate(q.options, start=1)
        )
        made[q.code] = question


def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    by: User,
    title: str,
    description: str,
    opens_on: date | None,
    closes_on: date | None,
) -> Questionnaire:
    """Change the title, introduction or dates. These may change at any time; the questions may not."""
    _require(by, "surveys.manage_questionnaire", message="Only the Communications team edits questionnaires.")
    _check_dates(opens_on, closes_on)
    problems: dict[str, list[str]] = {"title": [], "description": []}
    no_template_code(title, "The title", problems["title"])
    no_template_code(description, "The description", problems["description"])
    if any(problems.values()):
        raise ValidationError({field: found for field, found in problems.items() if found})
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        locked.title, locked.description = title.strip(), description.strip()
        locked.opens_on, locked.closes_on = opens_on, closes_on
        locked.save(update_fields=["title", "description", "opens_on", "closes_on"])
    return locked


def questionnaire_copy(
    *,
    questionnaire: Questionnaire,
    by: User,
    slug: str,
    title: str,
    opens_on: date | None,
    closes_on: date | None,
) -> Questionnaire:
    """A new run: the same questions and codes under a new slug, so the two can be compared."""
    _require(
        by, "surveys.manage_questionnaire", message="Only the Communications team copies questionnaires."
    )
    if Questionnaire.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"There is already a questionnaire called {slug}. Choose another."})
    data = spec_to_dict(questionnaire_spec(questionnaire))
    data.update(
        slug=slug,
        title=title,
        opens_on=opens_on.isoformat() if opens_on else None,
        closes_on=closes_on.isoformat() if closes_on else None,
    )
    try:
        spec = spec_from_dict(data)
    except DefinitionError as exc:
        title_errors = [
            e
            for e in exc.errors
            if e.startswith(("The questionnaire's title", "The questionnaire needs a “title”"))
        ]
        other_errors = [e for e in exc.errors if e not in title_errors]
        raise ValidationError(
            {field: found for field, found in [("title", title_errors), ("slug", other_errors)] if found}
        ) from None
    try:
        with transaction.atomic():
            copy, _ = questionnaire_load(spec=spec, by=by)
            copy.copied_from = questionnaire
            copy.save(update_fields=["copied_from"])
    except IntegrityError:  # someone took the slug a moment ago
        raise ValidationError(
            {"slug": f"There is already a questionnaire called {slug}. Choose another."}
        ) from None
    return copy


@dataclass
class InviteResult:
    invited: list[Invitation]
    already: int


def invitations_create(
    *,
    questionnaire: Questionnaire,
    by: User | None,
    audience: str,
    role: str = "",
    service_areas: Iterable[ServiceArea] = (),
    notify: bool = True,
) -> InviteResult:
    """Invite everyone who works here now with the role and/or in the service areas chosen, as members
    of one audience. People already invited are left as they are. Each new invitee is emailed."""
    _require(by, "surveys.invite", message="Only the Communications team sends invitations.")
    service_areas = list(service_areas)
    if audience not in questionnaire.audiences:
        raise ValidationError(
            {"audience": f"This questionnaire is for {questionnaire.get_audiences_display()}."}
        )
    if not role and not service_areas:
        raise ValidationError("Choose a role, one or more service areas, or both.")
    today = timezone.localdate()
    if questionnaire.closes_on and questionnaire.closes_on < today:
        raise ValidationError(f"This questionnaire closed on {govuk_date(questionnaire.closes_on)}.")
    people = User.objects.current().filter(is_active=True)
    if role:
        people = people.with_role(role)
    if service_areas:
        people = people.filter(service_area__in=service_areas)
    with transaction.atomic():
        # One invitation per person: concurrent invites for the same questionnaire take turns.
        Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        already = set(questionnaire.invitations.values_list("person_id", flat=True))
        wanted = list(people.exclude(pk__in=already).distinct().order_by("pk"))
        invitations = Invitation.objects.bulk_create(
            Invitation(questionnaire=questionnaire, person=person, audience=audience, invited_by=by)
            for person in wanted
        )
        if notify and wanted:
            notification_queue(
                recipients=wanted,
                subject=f"Please answer: {questionnaire.title}",
                template="surveys/email/invited.txt",
                context={"questionnaire": questionnaire},
            )
    return InviteResult(invited=invitations, already=people.filter(pk__in=already).distinct().count())


def _answerable(invitation: Invitation, by: User) -> Response | None:
    """Lock the invitation (and its response, if started) for a change by its invitee."""
    _require(by, "surveys.answer_invitation", invitation, "This is not your invitation.")
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("questionnaire")
        .get(pk=invitation.pk)
    )
    questionnaire = locked.questionnaire
    today = timezone.localdate()
    if questionnaire.opens_on and today < questionnaire.opens_on:
        raise ValidationError(f"This questionnaire opens on {govuk_date(questionnaire.opens_on)}.")
    if questionnaire.closes_on and today > questionnaire.closes_on:
        raise ValidationError(
            f"This questionnaire closed on {govuk_date(questionnaire.closes_on)}: "
            "answers can no longer be changed."
        )
    response = Response.objects.select_for_update().filter(invitation=locked).first()
    if response is not None and response.is_submitted:
        raise ValidationError("You have already sent your answers: they can no longer be changed.")
    return response


def response_save_answer(
    *, invitation: Invitation, by: User, question_code: str, value, spec: QuestionnaireSpec | None = None
) -> Response:
    """Save (or clear) one answer of an invitee's response, starting the response if needed. Answers
    to questions an earlier answer no longer leads to are removed."""
    with transaction.atomic():
        response = _answerable(invitation, by)
        if response is None:
            # The first answer freezes the questions: wait for any load or import of this questionnaire
            # under way (they lock it), then read the questions as they are now.
            Questionnaire.objects.select_for_update(no_key=True).filter(
                pk=invitation.questionnaire_id
            ).first()
            spec = questionnaire_spec(invitation.questionnaire)
            response = Response(
                questionnaire_id=invitation.questionnaire_id,
                invitation=invitation,
                respondent=by.email.lower(),
                audience=invitation.audience,
                source=Response.Source.WEB,
            )
        spec = spec or questionnaire_spec(invitation.questionnaire)
        question = spec.question(question_code)
        answers = dict(response.answers)
        if question is None or not A.is_asked(spec, question, invitation.audience, answers):
            raise ValidationError("This question is not asked of you, given your earlier answers.")
        try:
            cleaned = A.clean(question, value)
        except ValueError as exc:
            raise ValidationError({"answer": str(exc)}) from None
        if cleaned is None:
            answers.pop(question.code, None)
        else:
            answers[question.code] = cleaned
        response.answers = A.prune(spec, invitation.audience, answers)
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError:
            # Their address already has a response (results imported from elsewhere).
            raise ValidationError("There is already a response from you to this questionnaire.") from None
    return response


def response_submit(*, invitation: Invitation, by: User, spec: QuestionnaireSpec | None = None) -> Response:
    """Send the answers. Every required question they were asked must be answered; after this the
    response counts in the report and can no longer change."""
    spec = spec or questionnaire_spec(invitation.questionnaire)
    with transaction.atomic():
        response = _answerable(invitation, by)
        if response is None:
            raise ValidationError("You have not answered any questions yet.")
        response.answers = A.prune(spec, invitation.audience, response.answers)
        missing = A.missing_required(spec, invitation.audience, response.answers)
        if missing:
            raise ValidationError({q.code: f"Answer “{q.text}”" for q in missing})
        response.submitted_at = timezone.now()
        response.save(update_fields=["answers", "submitted_at", "updated_at"])
    return response


def responses_import(*, questionnaire: Questionnaire, by: User | None, data: bytes) -> list[Response]:
    """Bring in responses gathered elsewhere (an online survey tool, paper), in the CSV layout of
    surveys.resources. All or nothing: any bad line rejects the file (ImportRejected lists every one).
    A respondent whose address matches an invitation is linked to it, so it counts as answered."""
    _require(by, "surveys.import_responses", message="Only the Communications team imports responses.")
    text = decode(data)
    with transaction.atomic():
        # Lock the questionnaire: two imports (or an import and someone answering) cannot both pass
        # the duplicate check for the same respondent.
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        spec = questionnaire_spec(questionnaire)
        invitations = {
            inv.person.email.lower(): inv for inv in questionnaire.invitations.select_related("person")
        }
        parsed = parse_responses(
            spec,
            text,
            answered=set(questionnaire.responses.values_list("respondent", flat=True)),
            invited={email: inv.audience for email, inv in invitations.items()},
        )
        if not parsed:
            raise ImportRejected([(2, "The file has a header but no responses.")])
        try:
            with transaction.atomic():
                return Response.objects.bulk_create(_imported(questionnaire, parsed, invitations))
        except IntegrityError:
            raise ImportRejected(
                [
                    (
                        1,
                        "Someone answered this questionnaire while the file was being imported. "
                        "Import it again.",
                    )
                ]
            ) from None


def _imported(questionnaire: Questionnaire, parsed, invitations: dict[str, Invitation]) -> list[Response]:
    return [
        Response(
            questionnaire=questionnaire,
            invitation=invitations.get(row.respondent),
            respondent=row.respondent,
            audience=row.audience,
            answers=row.answers,
            source=Response.Source.IMPORT,
            started_at=row.submitted_at,
            submitted_at=row.submitted_at,
        )
        for row in parsed
    ]


def reminder_due_from(closes_on: date) -> date:
    return closes_on - timedelta(days=settings.SURVEY_REMINDER_DAYS_BEFORE_CLOSE)


def invitations_remind(*, now: datetime | None = None) -> int:
    """The scheduled sweep: in the last days before a questionnaire closes, remind each invitee who
    has not sent their answers, once. Each invitation is claimed with a conditional update of
    reminded_at in the same transaction as its email, so two workers never remind anyone twice and a
    failure leaves it to the next run. Returns how many were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = [
        q
        for q in Questionnaire.objects.open_on(today).filter(closes_on__isnull=False)
        if reminder_due_from(q.closes_on) <= today
    ]
    reminded = 0
    for questionnaire in due:
        pending = (
            questionnaire.invitations.unanswered()
            .filter(reminded_at__isnull=True, person__is_active=True, person__left_on__isnull=True)
            .select_related("person")
        )
        for invitation in pending:
            with transaction.atomic():
                claimed = (
                    Invitation.objects.unanswered()
                    .filter(pk=invitation.pk, reminded_at__isnull=True)
                    .update(reminded_at=now)
                )
                if claimed != 1:
                    continue  # another worker got there first
                closes = govuk_date(questionnaire.closes_on)
                notification_queue(
                    recipients=[invitation.person],
                    subject=f"Reminder: please answer {questionnaire.title} by {closes}",
                    template="surveys/email/reminder.txt",
                    context={"questionnaire": questionnaire, "invitation": invitation},
                )
                reminded += 1
    return reminded
