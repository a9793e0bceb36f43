"""Questionnaires, who is invited to answer them, and the answers.

A questionnaire's structure (questions and options, each with a stable code) is frozen once any
response exists: reports and comparisons between runs rely on the codes meaning the same thing.
A new run is a copy with a new slug.

A questionnaire is not open yet, open or closed: `status`, moved by its dates (the scheduled sweep in
surveys.services) or by Comms, each move logged in QuestionnaireStatusChange. A response is in
progress, sent, or voided by Comms (left out of every figure), each void logged in
ResponseStatusChange."""

import json
from datetime import date
from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from core.history import append_only

MAX_DECIMALS = 6


class Audience(models.TextChoices):
    OFFICER = "officer", "Officers"
    COUNCILLOR = "councillor", "Councillors"


class QuestionType(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    SINGLE_CHOICE = "single_choice", "One choice"
    MULTIPLE_CHOICE = "multiple_choice", "Several choices"
    RANKING = "ranking", "Ranking"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"


def _audiences_field(**kwargs) -> ArrayField:
    return ArrayField(models.CharField(max_length=20, choices=Audience.choices), **kwargs)


class QuestionnaireStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Not open yet"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


QS = QuestionnaireStatus


def status_from_dates(opens_on: date | None, closes_on: date | None, today: date) -> str:
    """Where a questionnaire stands by its dates alone: its status when it is made."""
    if closes_on and closes_on < today:
        return QS.CLOSED
    if opens_on and opens_on > today:
        return QS.SCHEDULED
    return QS.OPEN


def _reads_everything(user) -> bool:
    from organisation.models import Role

    return bool(user and user.is_authenticated and user.is_active and user.has_role(Role.COMMS, Role.AUDITOR))


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who can see questionnaires (their pages, reports and comparisons), the one answer: Comms
        and auditors. Invitees see the one they are asked to answer through their invitation."""
        return self if _reads_everything(user) else self.none()


# figures_version moves with every sent, voided, imported or anonymised response: not a change to
# the questionnaire, so not in its history.
@pghistory.track(exclude=["figures_version"])
class Questionnaire(FSMModelMixin, models.Model):
    slug = models.SlugField(
        max_length=80, unique=True, help_text="A short stable name, e.g. social-media-2026."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Shown to people before they start answering.")
    audiences = _audiences_field(help_text="Who it is for: officers, councillors or both.")
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True, help_text="The last day answers are accepted.")
    # A questionnaire with no dates takes answers; the services set it from the dates it is made with.
    status = FSMField(max_length=20, choices=QuestionnaireStatus, default=QS.OPEN, protected=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Part of the report's cache key (surveys.figures): a new number each time its figures may change
    # (a response sent, voided, imported or anonymised; people invited or an invitation withdrawn), in
    # the transaction that changes them, so the page need not count the responses to know.
    figures_version = models.BigIntegerField(default=0, editable=False)

    objects = QuestionnaireQuerySet.as_manager()

    # How each move reads in a sentence: "it cannot be reopened now".
    MOVE_WORDS = {"open": "opened", "close": "closed", "reopen": "reopened"}

    class Meta:
        ordering = ["-opens_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="questionnaire_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    # The graph, in one place. Who may move it is in surveys.permissions; the dates in services.
    @transition(field=status, source=QS.SCHEDULED, target=QS.OPEN)
    def open(self):
        """Its opening date has come (the scheduled sweep), or Comms opens it early."""

    @transition(field=status, source=QS.OPEN, target=QS.CLOSED)
    def close(self):
        """Its closing date has passed (the scheduled sweep), or Comms closes it early."""

    @transition(field=status, source=QS.CLOSED, target=QS.OPEN)
    def reopen(self):
        """Comms takes answers again, with a reason and a new closing date."""

    @property
    def is_frozen(self) -> bool:
        """Its structure can no longer change: someone has started answering it or results were imported."""
        return self.responses.exists()

    def get_audiences_display(self) -> str:
        labels = dict(Audience.choices)
        return " and ".join(labels[a].lower() for a in self.audiences)

    def clean(self) -> None:
        """The admin's checks: like a definition file, no template code in the text."""
        _refuse_template_code(self, title="The title", description="The description")


@pghistory.track()
class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=50, help_text="Stable across runs: the CSV column and report key.")
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(default=False)
    audiences = _audiences_field(
        blank=True, default=list, help_text="Only asked of these audiences. Empty: everyone invited."
    )
    show_if_question = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="dependants"
    )
    show_if_equals = models.CharField(max_length=50, blank=True, help_text="The option code that shows it.")
    # Number questions: the range an answer must be in (empty: surveys.definition's default range) and
    # how many decimal places it may have (0: whole numbers only).
    minimum = models.DecimalField(max_digits=19, decimal_places=6, null=True, blank=True)
    maximum = models.DecimalField(max_digits=19, decimal_places=6, null=True, blank=True)
    decimals = models.PositiveSmallIntegerField("decimal places", default=0)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    def clean(self) -> None:
        """The admin's checks (definition files are checked by surveys.definition)."""
        if self.questionnaire_id and self.questionnaire.is_frozen:
            raise ValidationError("This questionnaire has responses: its questions can no longer change.")
        _refuse_template_code(self, text="The text", hint="The hint")
        errors = {}
        if (
            self.audiences
            and self.questionnaire_id
            and set(self.audiences) - set(self.questionnaire.audiences)
        ):
            errors["audiences"] = "Choose among the questionnaire's audiences."
        if self.type != QuestionType.NUMBER and (
            self.minimum is not None or self.maximum is not None or self.decimals
        ):
            errors["type"] = "Only number questions have a range or decimal places."
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = "The maximum must be the same as or more than the minimum."
        if self.decimals > MAX_DECIMALS:
            errors["decimals"] = f"At most {MAX_DECIMALS} decimal places."
        parent = self.show_if_question
        if parent is not None:
            if parent.questionnaire_id != self.questionnaire_id or parent.position >= (self.position or 0):
                errors["show_if_question"] = "Choose an earlier question of the same questionnaire."
            elif not parent.options.filter(code=self.show_if_equals).exists():
                errors["show_if_equals"] = f"Give one of the option codes of {parent.code}."
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=50)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_code_unique")]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        _refuse_template_code(self, label="The label")


def _refuse_template_code(instance: models.Model, **fields: str) -> None:
    """fields: field name -> how the message names it. Raises ValidationError for each that holds
    template code, as surveys.definition does for definition files."""
    from surveys.definition import no_template_code  # it imports this module

    errors: dict[str, list[str]] = {}
    for name, what in fields.items():
        found: list[str] = []
        no_template_code(getattr(instance, name) or "", what, found)
        if found:
            errors[name] = found
    if errors:
        raise ValidationError(errors)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An invitation is private to its invitee: the answering pages are theirs alone (Comms see
        how many answered, never someone else's invitation page)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(person=user)

    def unanswered(self):
        return self.filter(Q(response__isnull=True) | Q(response__status=ResponseStatus.IN_PROGRESS))


@pghistory.track()
class Invitation(models.Model):
    """A person asked to answer a questionnaire, as a member of one audience. One per person."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set once by the reminder sweep's conditional update: the claim that makes a reminder go out once.
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "person"], name="invitation_one_per_person")
        ]
        indexes = [models.Index(fields=["questionnaire", "audience"], name="invitation_audience")]

    def __str__(self) -> str:
        return f"{self.person} to answer {self.questionnaire}"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Sent"
    VOIDED = "voided", "Voided"


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Individual answers, the one answer: the Communications team's alone."""
        from organisation.models import Role

        if user and user.is_authenticated and user.is_active and user.has_role(Role.COMMS):
            return self
        return self.none()

    def counted(self):
        """The responses every figure and export is made from: sent and not voided."""
        return self.filter(status=ResponseStatus.SUBMITTED)


class AnswersDecoder(json.JSONDecoder):
    """Reads stored answers whatever they hold: an integer too long for Python to read as an int (it
    refuses more than 4,300 digits) comes back as a Decimal, which the answer checks then find out of
    range, rather than a page failing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_int=_int_or_decimal, **kwargs)


def _int_or_decimal(text: str) -> int | Decimal:
    return int(text) if len(text) <= 30 else Decimal(text)


class Response(FSMModelMixin, models.Model):
    """One respondent's answers: {question code: value}, where the value is "yes"/"no", an option code,
    a list of option codes, {option code: rank}, a number or text. A response in progress ("save and
    come back later") is not counted; nor is one Comms voided.

    Not tracked by the audit trail: answers are personal data, and the audit trail keeps everything for
    ever; submission time and who answered are here."""

    class Source(models.TextChoices):
        WEB = "web", "Answered here"
        IMPORT = "import", "Imported"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    respondent = models.CharField(max_length=254, help_text="Email address, or an identifier from an import.")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    answers = models.JSONField(default=dict, blank=True, decoder=AnswersDecoder)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    status = FSMField(
        max_length=20, choices=ResponseStatus, default=ResponseStatus.IN_PROGRESS, protected=True
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    MOVE_WORDS = {"submit": "sent", "void": "voided"}

    class Meta:
        ordering = ["questionnaire", "submitted_at", "pk"]
        constraints = [
            # One response per respondent; respondents are stored normalised (surveys.answers.
            # respondent_key: lower case, invisible characters taken out), so this catches variants.
            models.UniqueConstraint(
                fields=["questionnaire", "respondent"], name="response_one_per_respondent"
            ),
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.IN_PROGRESS) | Q(submitted_at__isnull=False),
                name="response_sent_has_a_time",
            ),
        ]
        indexes = [
            # A questionnaire's responses by status: the questionnaire list counts its sent ones from
            # this index alone (an index-only scan), and the report's statement finds them here.
            models.Index(fields=["questionnaire", "status"], include=["id"], name="response_status"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} ({self.questionnaire.slug})"

    @property
    def is_submitted(self) -> bool:
        return self.status != ResponseStatus.IN_PROGRESS

    @transition(field=status, source=ResponseStatus.IN_PROGRESS, target=ResponseStatus.SUBMITTED)
    def submit(self):
        """The respondent sends their answers: they count from now on and can no longer change."""
        self.submitted_at = timezone.now()

    @transition(field=status, source=ResponseStatus.SUBMITTED, target=ResponseStatus.VOIDED)
    def void(self):
        """Comms sets the response aside, with a reason: it is kept, but left out of every figure."""


class StatusChange(models.Model):
    """A record's log of moves: who (nobody: the scheduled sweep), when, from what, to what and why.
    Append-only, like an account's."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


@append_only
class QuestionnaireStatusChange(StatusChange):
    # PROTECT: the log outlives nothing it records; a questionnaire that has moved is never deleted.
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=QuestionnaireStatus)
    to_status = models.CharField(max_length=20, choices=QuestionnaireStatus)

    class Meta(StatusChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


@append_only
class ResponseStatusChange(StatusChange):
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ResponseStatus)
    to_status = models.CharField(max_length=20, choices=ResponseStatus)

    class Meta(StatusChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
