"""The 2018 questionnaire with answers that reproduce the audit report's figures, and this year's run
of it, part-way through, to compare with. Safe to run twice: nothing is added once it exists.

The invitees are the demo council's 52 heads of service (the officer audience: the audit sent the
questionnaire to heads of service, answering for their service area) and its 47 councillors, so the
response rates come out as the audit's: 34 of 52 officers, 19 of 47 councillors.

The rankings below were found by a search for sets of rankings (each respondent ranks their top k,
1…k, with no gaps) whose weighted averages round to the audit's figures; see the README for which
figures match exactly and why one cannot."""

import datetime
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from organisation.demo import DEMO_LOGINS
from organisation.models import Role, ServiceArea, User
from surveys import answers as A
from surveys.definition import parse_definition
from surveys.figures import figures_changed
from surveys.models import Audience, Invitation, Questionnaire, Response, ResponseStatus
from surveys.selectors import questionnaire_spec
from surveys.services import invitations_create, questionnaire_copy, questionnaire_load

DEFINITION = Path(__file__).parent / "definitions" / "social-media-2018.json"
SLUG_2018 = "social-media-2018"
SLUG_NOW = "social-media-2026"

BENEFITS = ["engage_new_audiences", "promote_work", "listen_to_residents", "timely_updates", "reduce_costs"]
RISKS = ["spread_of_content", "public_posts", "staff_posts", "productivity"]

# Each string is one respondent's ranking: option indexes in rank order ("120" = BENEFITS[1] first,
# BENEFITS[2] second, BENEFITS[0] third, the rest not ranked).
OFFICER_BENEFITS = [
    "12043",
    "0243",
    "14320",
    "14302",
    "10243",
    "01432",
    "01234",
    "03214",
    "10324",
    "204",
    "12043",
    "10234",
    "34021",
    "32104",
    "03214",
    "02134",
    "10243",
    "10342",
    "03124",
    "03241",
    "02341",
    "30241",
    "10324",
    "21034",
    "21403",
    "10234",
    "20134",
    "23014",
]  # 28 officers: engage new audiences 3.82, promoting the council's work 3.58
COUNCILLOR_BENEFITS = [
    "20134",
    "01234",
    "02314",
    "13042",
    "02143",
    "02431",
    "30214",
    "02134",
    "01423",
    "24013",
    "1",
]
# 11 councillors: engage new audiences 4.40, listening to residents 3.50
OFFICER_RISKS = [
    "2103",
    "0213",
    "1023",
    "0132",
    "012",
    "1023",
    "0",
    "1023",
    "0213",
    "0132",
    "2013",
    "1032",
    "102",
    "0123",
    "0213",
    "1230",
    "1203",
    "0132",
    "20",
    "0321",
    "2013",
    "0132",
    "1203",
    "02",
]  # 24 officers: spread of content 3.29, public posts 3.05, productivity 1.42
COUNCILLOR_RISKS = ["2031", "0213", "0312", "0123", "3012", "2013", "1032", "2013", "0123", "0312"]
# 10 councillors: spread of content 3.50, public posts 2.30, staff posts 2.30, productivity 1.90 (audit: 1.89)


def _ranks(order: str, options: list[str]) -> dict[str, int]:
    return {options[int(index)]: rank for rank, index in enumerate(order, start=1)}


def _choose(i: int, **groups: range | set) -> list[str]:
    return [code for code, members in groups.items() if i in members]


def officer_answers(i: int) -> dict:
    """The i-th of the 34 officers who answered in 2018 (the first 15 use social media)."""
    answers: dict = {"uses_social_media": "yes" if i < 15 else "no"}
    if i < 15:
        answers["platforms"] = _choose(
            i, twitter=range(13), facebook={0, 1, 2, 3, 4, 13, 14}, linkedin={5, 13}
        )
        answers["frequency"] = (
            "daily" if i < 3 else "weekly" if i < 9 else "monthly" if i < 11 else "less_than_monthly"
        )
        answers["posted_by_comms"] = "yes" if i in (11, 12, 13) else "no"
        answers["objectives"] = _choose(
            i, raise_awareness=range(11), service_updates=range(6, 15), engage_residents={0, 2, 5, 8, 13}
        )
        answers["target_audiences"] = _choose(i, service_users=range(8), residents=range(6, 15))
        answers["reviews_posts"] = "yes" if i < 7 else "no"
        answers["responds_to_public"] = "yes" if i < 12 else "no"
        if i < 12:
            answers["standard_responses"] = "yes" if i == 3 else "no"
            answers["responses_reviewed"] = "yes" if i < 7 else "no"
            if i < 7:
                answers["agreed_response_times"] = "yes" if i < 4 else "no"
        answers["blocked_anyone"] = "yes" if i == 9 else "no"
        answers["accounts_run"] = 1 + i % 3
    if i < len(OFFICER_BENEFITS):
        answers["benefits"] = _ranks(OFFICER_BENEFITS[i], BENEFITS)
    if 6 <= i < 6 + len(OFFICER_RISKS):
        answers["risks"] = _ranks(OFFICER_RISKS[i - 6], RISKS)
    if i < 20:
        answers["support_wanted"] = _choose(
            i,
            unacceptable_behaviour=range(13),
            building_audiences=range(7, 18),
            prepared_content=range(11, 20),
        )
    comments = {
        2: "We would like a clearer route for getting posts onto the corporate accounts.",
        16: "Our service does not use social media, but residents ask us about it.",
        21: "Guidance on what we can say during elections would help.",
    }
    if i in comments:
        answers["comments"] = comments[i]
    return answers


BLOCKING_REASONS = {
    0: "Abusive or offensive content.",
    2: "The account was used to heavily advertise a company.",
    4: "I did not recognise the account and it kept tagging me.",
    6: "Offensive language aimed at other residents.",
}


def councillor_answers(i: int) -> dict:
    """The i-th of the 19 councillors who answered in 2018 (the first 13 use social media)."""
    answers: dict = {"uses_social_media": "yes" if i < 13 else "no"}
    if i < 13:
        answers["platforms"] = _choose(i, twitter=range(10), facebook=range(3, 13), youtube={0, 4, 8})
        answers["frequency"] = (
            "daily" if i < 5 else "weekly" if i < 10 else "monthly" if i < 12 else "less_than_monthly"
        )
        answers["objectives"] = _choose(
            i,
            share_information=range(10),
            engage_residents=range(4, 13),
            political_issues={0, 2, 4, 6, 8, 10},
        )
        answers["target_audiences"] = _choose(i, ward_residents=range(12), public=range(5, 13))
        answers["responds_to_public"] = "yes" if i < 9 else "no"
        if i < 9:
            answers["standard_responses"] = "yes" if i < 2 else "no"
        answers["blocked_anyone"] = "yes" if i in (0, 2, 4, 6, 8) else "no"
        if i in BLOCKING_REASONS:
            answers["blocking_reasons"] = BLOCKING_REASONS[i]
        answers["accounts_run"] = 1 + i % 2
    if i < len(COUNCILLOR_BENEFITS):
        answers["benefits"] = _ranks(COUNCILLOR_BENEFITS[i], BENEFITS)
    if 2 <= i < 2 + len(COUNCILLOR_RISKS):
        answers["risks"] = _ranks(COUNCILLOR_RISKS[i - 2], RISKS)
    if i < 5:
        answers["support_wanted"] = _choose(
            i, unacceptable_behaviour={3, 4}, building_audiences=range(4), prepared_content={1, 4}
        )
    return answers


def _audiences() -> dict[str, list[User]]:
    heads = list(
        User.objects.filter(pk__in=ServiceArea.objects.values("head_of_service")).order_by(
            "service_area__name"
        )
    )
    councillors = list(User.objects.with_role(Role.COUNCILLOR).order_by("ward__name", "email"))
    return {Audience.OFFICER: heads, Audience.COUNCILLOR: councillors}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def create_demo_surveys() -> int:
    """Returns how many responses were added."""
    people = _audiences()
    comms = User.objects.filter(email=DEMO_LOGINS[Role.COMMS]).first()
    made = 0

    questionnaire = Questionnaire.objects.filter(slug=SLUG_2018).first()
    if questionnaire is None or not questionnaire.is_frozen:
        questionnaire, _ = questionnaire_load(spec=parse_definition(DEFINITION.read_bytes()))
    made += _answers_2018(questionnaire, people, comms)

    current = Questionnaire.objects.filter(slug=SLUG_NOW).first()
    if current is None:
        today = timezone.localdate()
        current = questionnaire_copy(
            questionnaire=questionnaire,
            by=None,
            slug=SLUG_NOW,
            title="Social media use by officers and councillors (2026)",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=18),
        )
        current.description = (
            "The 2018 audit's questionnaire again, with the same questions, so the Communications team and "
            "Internal Audit can see what has changed since the social media policy came in. Heads of service "
            "answer for their service area; councillors for their own use."
        )
        current.save(update_fields=["description"])
    made += _answers_now(current, comms)
    return made


def _answers_2018(questionnaire: Questionnaire, people: dict[str, list[User]], comms: User | None) -> int:
    sent = _at(questionnaire.opens_on, 9)
    invited = set(questionnaire.invitations.values_list("person_id", flat=True))
    Invitation.objects.bulk_create(
        Invitation(
            questionnaire=questionnaire, person=person, audience=audience, invited_at=sent, invited_by=comms
        )
        for audience, members in people.items()
        for person in members
        if person.pk not in invited
    )
    figures_changed(questionnaire.pk)  # any invitations above
    if questionnaire.responses.exists():
        return 0
    spec = questionnaire_spec(questionnaire)
    invitations = {inv.person_id: inv for inv in questionnaire.invitations.all()}
    plans = [
        (Audience.OFFICER, people[Audience.OFFICER][:34], officer_answers),
        (Audience.COUNCILLOR, people[Audience.COUNCILLOR][:19], councillor_answers),
    ]
    responses = []
    for audience, respondents, answers_of in plans:
        for i, person in enumerate(respondents):
            when = _at(questionnaire.opens_on + datetime.timedelta(days=i % 18), 9 + i % 8)
            responses.append(
                Response(
                    questionnaire=questionnaire,
                    invitation=invitations[person.pk],
                    respondent=person.email.lower(),
                    audience=audience,
                    answers=A.prune(spec, audience, answers_of(i)),
                    source=Response.Source.WEB,
                    status=ResponseStatus.SUBMITTED,
                    started_at=when,
                    submitted_at=when,
                )
            )
    Response.objects.bulk_create(responses)
    figures_changed(questionnaire.pk)  # the invitations and responses above
    # The 2018 reminders went out three days before it closed to everyone who had not answered.
    questionnaire.invitations.unanswered().update(
        reminded_at=_at(questionnaire.closes_on - datetime.timedelta(days=3), 8)
    )
    return len(responses)


# This year's run: a part-way picture in which more services review their posts. Random but seeded,
# so every run of the demo gives the same answers.
LEANINGS = {
    "uses_social_media": {Audience.OFFICER: 0.55, Audience.COUNCILLOR: 0.8},
    "reviews_posts": 0.8,
    "responds_to_public": 0.85,
    "standard_responses": 0.6,
    "responses_reviewed": 0.75,
    "agreed_response_times": 0.7,
    "blocked_anyone": 0.3,
    "posted_by_comms": 0.3,
}


def _random_answers(spec, audience: str, rnd: random.Random) -> dict:
    answers: dict = {}
    for question in spec.questions:
        if not A.is_asked(spec, question, audience, answers):
            continue
        kind = question.type
        if kind == "yes_no":
            leaning = LEANINGS.get(question.code, 0.5)
            leaning = leaning[audience] if isinstance(leaning, dict) else leaning
            answers[question.code] = "yes" if rnd.random() < leaning else "no"
        elif kind == "single_choice":
            answers[question.code] = rnd.choice(question.option_codes[:-1] or question.option_codes)
        elif kind == "multiple_choice":
            if question.code == "support_wanted" and rnd.random() < 0.4:
                continue
            chosen = [
                code for i, code in enumerate(question.option_codes[:-1]) if rnd.random() < 0.75 - 0.12 * i
            ]
            answers[question.code] = chosen or [question.option_codes[0]]
        elif kind == "ranking":
            if rnd.random() < 0.15:
                continue
            noisy = sorted(
                question.option_codes, key=lambda c: question.option_codes.index(c) + rnd.gauss(0, 1.3)
            )
            answers[question.code] = {code: rank for rank, code in enumerate(noisy, start=1)}
        elif kind == "number":
            answers[question.code] = rnd.randint(1, 4)
    return answers


def _answers_now(questionnaire: Questionnaire, comms: User | None) -> int:
    for audience, role in ((Audience.OFFICER, Role.HEAD_OF_SERVICE), (Audience.COUNCILLOR, Role.COUNCILLOR)):
        invitations_create(questionnaire=questionnaire, by=None, audience=audience, role=role, notify=False)
    if questionnaire.responses.exists():
        return 0
    spec = questionnaire_spec(questionnaire)
    rnd = random.Random(2026)  # a repeatable demo, not a secret  # nosec B311
    # The demo sign-ins are left to answer it themselves.
    invitations = list(
        questionnaire.invitations.exclude(person__email__in=DEMO_LOGINS.values())
        .select_related("person")
        .order_by("pk")
    )
    wanted = {Audience.OFFICER: 24, Audience.COUNCILLOR: 12}
    responses = []
    for invitation in invitations:
        if wanted[invitation.audience] <= 0:
            continue
        wanted[invitation.audience] -= 1
        when = _at(
            questionnaire.opens_on + datetime.timedelta(days=len(responses) % 9), 10 + len(responses) % 7
        )
        in_progress = len(responses) % 11 == 5
        responses.append(
            Response(
                questionnaire=questionnaire,
                invitation=invitation,
                respondent=invitation.person.email.lower(),
                audience=invitation.audience,
                answers=_random_answers(spec, invitation.audience, rnd),
                source=Response.Source.WEB,
                status=ResponseStatus.IN_PROGRESS if in_progress else ResponseStatus.SUBMITTED,
                started_at=when,
                submitted_at=None if in_progress else when,
            )
        )
    Response.objects.bulk_create(responses)
    figures_changed(questionnaire.pk)
    return len(responses)
