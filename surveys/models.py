"""Questionnaires, who is invited to answer them, and the answers.

A questionnaire's structure (questions and options, each with a stable code) is frozen once any
response exists: reports and comparisons between runs rely on the codes meaning the same thing.
A new run is a copy with a new slug."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


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


class QuestionnaireQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(
            Q(opens_on__isnull=True) | Q(opens_on__lte=day), Q(closes_on__isnull=True) | Q(closes_on__gte=day)
        )


@pghistory.track()
class Questionnaire(models.Model):
    slug = models.SlugField(
        max_length=80, unique=True, help_text="A short stable name, e.g. social-media-2026."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Shown to people before they start answering.")
    audiences = _audiences_field(help_text="Who it is for: officers, councillors or both.")
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True, help_text="The last day answers are accepted.")
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = QuestionnaireQuerySet.as_manager()

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

    def is_open_on(self, day) -> bool:
        return (self.opens_on is None or self.opens_on <= day) and (
            self.closes_on is None or day <= self.closes_on
        )

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.opens_on and today < self.opens_on:
            return "Not open yet"
        if self.closes_on and today > self.closes_on:
            return "Closed"
        return "Open"

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
    def unanswered(self):
        return self.filter(Q(response__isnull=True) | Q(response__submitted_at__isnull=True))


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


class Response(models.Model):
    """One respondent's answers: {question code: value}, where the value is "yes"/"no", an option code,
    a list of option codes, {option code: rank}, a number or text. A response without submitted_at is
    in progress ("save and come back later") and is not counted.

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
    answers = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "submitted_at", "pk"]
        constraints = [
            # One response per respondent; respondents are stored lower-cased, so this is case-insensitive.
            models.UniqueConstraint(
                fields=["questionnaire", "respondent"], name="response_one_per_respondent"
            )
        ]
        indexes = [
            # The report reads the submitted responses of one questionnaire.
            models.Index(
                fields=["questionnaire", "audience"],
                condition=Q(submitted_at__isnull=False),
                name="response_submitted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent} ({self.questionnaire.slug})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
