"""Every change to questionnaires, invitations and responses goes through these functions: the web
pages, the admin actions, the management commands, the demo data and the scheduled tasks.

by=None is the service itself (a scheduled sweep, the demo data, a command run on the server): the
record's state is still checked, the person is not."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from core.actions import Policy
from core.csvfile import decode
from core.templatetags.dates import govuk_date
from core.workflow import move, moving
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
from surveys.figures import figures_changed
from surveys.models import (
    Invitation,
    Option,
    Question,
    Questionnaire,
    QuestionnaireStatusChange,
    Response,
    ResponseStatus,
    ResponseStatusChange,
    status_from_dates,
)
from surveys.models import QuestionnaireStatus as QS
from surveys.permissions import INVITATION_ACTIONS, QUESTIONNAIRE_ACTIONS, RESPONSE_ACTIONS
from surveys.resources import ImportRejected, read_responses
from surveys.selectors import questionnaire_spec

MAX_REASON = 1000


def _require(by: User | None, perm: str, message: str) -> None:
    if by is not None and not by.has_perm(perm):
        raise PermissionDenied(message)


def _recheck(policy: Policy, name: str, locked: Model, by: User | None) -> None:
    """The policy's answer on the locked record; for the service itself (by=None) only its state."""
    if by is not None:
        policy.recheck(name, locked, by)
    elif reason := policy.rules[name].when(locked):
        raise ValidationError(reason)


def _reason(text: str, missing: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"reason": missing})
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": f"The reason must be {MAX_REASON} characters or fewer."})
    return text


def _check_dates(opens_on: date | None, closes_on: date | None) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError(
            {"closes_on": "The closing date must be the same as or after the opening date."}
        )


def questionnaire_load(*, spec: QuestionnaireSpec, by: User | None = None) -> tuple[Questionnaire, bool]:
    """Create a questionnaire from a definition, or replace the structure of one nobody has answered
    yet. Returns (questionnaire, created). Once responses exist the structure is frozen: load the
    next run under a new slug (or copy it)."""
    _require(by, "surveys.manage_questionnaire", "Only the Communications team builds questionnaires.")
    today = timezone.localdate()
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().filter(slug=spec.slug).first()
        created = questionnaire is None
        if created:
            questionnaire = Questionnaire(
                slug=spec.slug, created_by=by, status=status_from_dates(spec.opens_on, spec.closes_on, today)
            )
        elif questionnaire.is_frozen:
            raise ValidationError(
                f"“{questionnaire.title}” ({spec.slug}) already has responses, so its questions can no "
                "longer change. Load the new version under a new slug: a new run."
            )
        _check_new_dates(questionnaire, spec.opens_on, spec.closes_on, today)
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
            questionnaire = _follow_dates(questionnaire, by=by, today=today)
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
            minimum=q.minimum,
            maximum=q.maximum,
            decimals=q.decimals,
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
    """Change the title, introduction or dates. These may change at any time (the questions may not);
    new dates move the status the way the scheduled sweep would, so the two never disagree."""
    problems: dict[str, list[str]] = {"title": [], "description": []}
    no_template_code(title, "The title", problems["title"])
    no_template_code(description, "The description", problems["description"])
    if any(problems.values()):
        raise ValidationError({name: found for name, found in problems.items() if found})
    today = timezone.localdate()
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        _recheck(QUESTIONNAIRE_ACTIONS, "edit", locked, by)
        _check_new_dates(locked, opens_on, closes_on, today)
        locked.title, locked.description = title.strip(), description.strip()
        locked.opens_on, locked.closes_on = opens_on, closes_on
        locked.save(update_fields=["title", "description", "opens_on", "closes_on"])
        return _follow_dates(locked, by=by, today=today)


def _check_new_dates(
    questionnaire: Questionnaire, opens_on: date | None, closes_on: date | None, today: date
):
    """New dates must agree with where the questionnaire stands: an open one cannot move its opening
    into the future, nor a closed one its closing to today or later (that is what reopening is for)."""
    _check_dates(opens_on, closes_on)
    if questionnaire.pk is None:
        return
    if (
        questionnaire.status == QS.OPEN
        and opens_on != questionnaire.opens_on
        and opens_on
        and opens_on > today
    ):
        raise ValidationError(
            {
                "opens_on": "This questionnaire is open already, so its opening date cannot be in the "
                "future. Close it instead if it should not take answers now."
            }
        )
    if (
        questionnaire.status == QS.CLOSED
        and closes_on != questionnaire.closes_on
        and (closes_on is None or closes_on >= today)
    ):
        raise ValidationError(
            {
                "closes_on": "This questionnaire is closed. To take answers again, reopen it: "
                "reopening sets its new closing date."
            }
        )


def _follow_dates(questionnaire: Questionnaire, *, by: User | None, today: date) -> Questionnaire:
    """Open a questionnaire whose opening date has come, then close one whose closing date has
    passed: the moves the scheduled sweep makes, made at once when someone changes the dates."""
    if questionnaire.status == QS.SCHEDULED and (
        questionnaire.opens_on is None or questionnaire.opens_on <= today
    ):
        when = f", {govuk_date(questionnaire.opens_on)}," if questionnaire.opens_on else ""
        questionnaire = _move(questionnaire, "open", by=by, comment=f"Its opening date{when} has come.")
    if questionnaire.status == QS.OPEN and questionnaire.closes_on and questionnaire.closes_on < today:
        comment = f"Its closing date, {govuk_date(questionnaire.closes_on)}, has passed."
        questionnaire = _move(questionnaire, "close", by=by, comment=comment)
    return questionnaire


def _move(questionnaire: Questionnaire, transition: str, *, by: User | None, comment: str) -> Questionnaire:
    return move(
        questionnaire,
        transition,
        by=by,
        policy=QUESTIONNAIRE_ACTIONS,
        log=QuestionnaireStatusChange,
        comment=comment,
    ).record


def questionnaire_open(*, questionnaire: Questionnaire, by: User, reason: str) -> Questionnaire:
    """Comms opens a questionnaire before its opening date, which becomes today."""
    reason = _reason(reason, "Say why it opens early: the reason is kept in its history.")
    with moving(
        questionnaire,
        "open",
        by=by,
        policy=QUESTIONNAIRE_ACTIONS,
        log=QuestionnaireStatusChange,
        comment=reason,
    ) as step:
        step.record.opens_on = timezone.localdate()
    return step.record


def questionnaire_close(*, questionnaire: Questionnaire, by: User, reason: str) -> Questionnaire:
    """Comms closes a questionnaire before its closing date, which becomes today: nobody can answer
    from now on, and the report is final."""
    reason = _reason(reason, "Say why it closes early: the reason is kept in its history.")
    today = timezone.localdate()
    with moving(
        questionnaire,
        "close",
        by=by,
        policy=QUESTIONNAIRE_ACTIONS,
        log=QuestionnaireStatusChange,
        comment=reason,
    ) as step:
        step.record.closes_on = min(step.record.closes_on or today, today)
    return step.record


def questionnaire_reopen(
    *, questionnaire: Questionnaire, by: User, reason: str, closes_on: date | None
) -> Questionnaire:
    """Comms takes answers again until a new closing date (or with none). Those who had not sent
    their answers can carry on; nobody is reminded twice."""
    reason = _reason(reason, "Say why it reopens: the reason is kept in its history.")
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": "The new closing date must be today or later."})
    with moving(
        questionnaire,
        "reopen",
        by=by,
        policy=QUESTIONNAIRE_ACTIONS,
        log=QuestionnaireStatusChange,
        comment=reason,
    ) as step:
        step.record.closes_on = closes_on
    return step.record


@dataclass
class DatesSweep:
    opened: list[Questionnaire] = field(default_factory=list)
    closed: list[Questionnaire] = field(default_factory=list)


def questionnaires_follow_dates(*, now: datetime | None = None) -> DatesSweep:
    """The scheduled sweep: questionnaires whose opening date has come open, those whose closing date
    has passed close (days in the council's time zone). Each is claimed under a row lock with SKIP
    LOCKED and checked again, so two workers running at once never move one twice."""
    today = timezone.localdate(now)
    sweep = DatesSweep()
    due = {
        "open": Q(status=QS.SCHEDULED) & (Q(opens_on__isnull=True) | Q(opens_on__lte=today)),
        "close": Q(status=QS.OPEN, closes_on__lt=today),
    }
    for transition, condition in due.items():
        for pk in list(Questionnaire.objects.filter(condition).values_list("pk", flat=True)):
            with transaction.atomic():
                claimed = (
                    Questionnaire.objects.select_for_update(skip_locked=True).filter(condition, pk=pk).first()
                )
                if claimed is None:
                    continue  # another worker has it, or it has moved on
                moved = _follow_dates(claimed, by=None, today=today)
                (sweep.opened if transition == "open" else sweep.closed).append(moved)
    return sweep


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
    _recheck(QUESTIONNAIRE_ACTIONS, "copy", questionnaire, by)
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
    service_areas = list(service_areas)
    if audience not in questionnaire.audiences:
        raise ValidationError(
            {"audience": f"This questionnaire is for {questionnaire.get_audiences_display()}."}
        )
    if not role and not service_areas:
        raise ValidationError("Choose a role, one or more service areas, or both.")
    people = User.objects.current().filter(is_active=True)
    if role:
        people = people.with_role(role)
    if service_areas:
        people = people.filter(service_area__in=service_areas)
    with transaction.atomic():
        # One invitation per person: concurrent invites for the same questionnaire take turns.
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        _recheck(QUESTIONNAIRE_ACTIONS, "invite", locked, by)
        already = set(questionnaire.invitations.values_list("person_id", flat=True))
        wanted = list(people.exclude(pk__in=already).distinct().order_by("pk"))
        invitations = Invitation.objects.bulk_create(
            Invitation(questionnaire=questionnaire, person=person, audience=audience, invited_by=by)
            for person in wanted
        )
        if invitations:
            figures_changed(questionnaire.pk)  # the numbers invited, and so the response rates
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
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("questionnaire", "response")
        .get(pk=invitation.pk)
    )
    INVITATION_ACTIONS.recheck("answer", locked, by)
    response = Response.objects.select_for_update().filter(invitation=locked).first()
    if response is not None and response.is_submitted:  # sent from another tab a moment ago
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
                respondent=A.respondent_key(by.email),
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
        answers = A.prune(spec, invitation.audience, response.answers)
        missing = A.missing_required(spec, invitation.audience, answers)
        if missing:
            raise ValidationError({q.code: f"Answer “{q.text}”" for q in missing})
        with moving(response, "submit", by=by) as step:
            step.record.answers = answers
        figures_changed(response.questionnaire_id)
    return step.record


def response_void(*, response: Response, by: User, reason: str) -> Response:
    """Comms sets a sent response aside (nonsense answers, a test, someone answering twice under two
    names): it is kept, with the reason and who voided it, and left out of every figure and export."""
    reason = _reason(reason, "Say why the response is voided: the reason is kept with it.")
    with transaction.atomic():
        voided = move(
            response, "void", by=by, policy=RESPONSE_ACTIONS, log=ResponseStatusChange, comment=reason
        ).record
        figures_changed(voided.questionnaire_id)
    return voided


IMPORT_BATCH = 1_000  # responses read, checked and inserted at a time


def responses_import(*, questionnaire: Questionnaire, by: User | None, data: bytes) -> int:
    """Bring in responses gathered elsewhere (an online survey tool, paper), in the CSV layout of
    surveys.resources; returns how many. All or nothing: any bad line rejects the file
    (ImportRejected lists every problem of every line) and nothing is saved. The file is checked and
    inserted IMPORT_BATCH responses at a time, in the one transaction, so memory follows the batch,
    not the file: a bad line after some batches are in rolls them back with the rest.
    A respondent whose address matches an invitation is linked to it, so it counts as answered."""
    text = decode(data)
    with transaction.atomic():
        # Lock the questionnaire: two imports (or an import and someone answering) cannot both pass
        # the duplicate check for the same respondent.
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        _recheck(QUESTIONNAIRE_ACTIONS, "import", questionnaire, by)
        spec = questionnaire_spec(questionnaire)
        invitations = {
            _key(inv.person.email): inv for inv in questionnaire.invitations.select_related("person")
        }
        problems: list[tuple[int, str]] = []
        parsed = read_responses(
            spec,
            text,
            problems=problems,
            answered={_key(r) for r in questionnaire.responses.values_list("respondent", flat=True)},
            invited={email: inv.audience for email, inv in invitations.items()},
        )
        made = 0
        try:
            with transaction.atomic():
                for batch in _batches(parsed, IMPORT_BATCH):
                    # Once a line is bad nothing is kept: the rest is only read for its problems.
                    if not problems:
                        Response.objects.bulk_create(_imported(questionnaire, batch, invitations))
                    made += len(batch)
                if problems:
                    raise ImportRejected(problems)  # and the batches inserted are rolled back
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
        if not made:
            raise ImportRejected([(2, "The file has a header but no responses.")])
        figures_changed(questionnaire.pk)
        return made


def _batches(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def _key(respondent: str) -> str:
    """A stored respondent or invitee's address as the import compares it (one stored before
    respondents were normalised may not pass the checks: it is compared as it is)."""
    try:
        return A.respondent_key(respondent)
    except ValueError:
        return respondent


def _imported(questionnaire: Questionnaire, parsed, invitations: dict[str, Invitation]) -> list[Response]:
    return [
        Response(
            questionnaire=questionnaire,
            invitation=invitations.get(row.respondent),
            respondent=row.respondent,
            audience=row.audience,
            answers=row.answers,
            source=Response.Source.IMPORT,
            status=ResponseStatus.SUBMITTED,
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
    # Open, and in the reminder window: the closing date is near and has not passed (the sweep that
    # closes it may not have run yet today).
    due = [
        q
        for q in Questionnaire.objects.filter(status=QS.OPEN, closes_on__gte=today)
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
