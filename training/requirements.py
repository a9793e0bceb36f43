"""Who needs which course, derived whenever it is read, never typed in and never copied into a table.

A person holds a responsibility while a current record says so (each a `Source` below):
- responsible officer: of an open account in the register (approved, active, dormant, closing) that
  is not a councillor's own account;
- deputy: of an open account;
- councillor: the responsible officer of an open councillor's account, or a councillor running any;
- Communications: holds the Communications role;
- author and reviewer: from posts and replies (training.content, only when content_review is installed).
The requirement rules (training.Requirement, which Comms manage) say which courses each responsibility
needs. Everything below is a SQL expression built from those records, so a handover moves the
requirement to the new officer in the same moment, and a page or a report asks the database once
for everyone, never once per person.

A completion counts from the day it was completed until its course's validity period has passed
(`Completion.objects.valid_on`); "expiring" are valid ones that stop counting within EXPIRING_DAYS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts_registry.models import Account, AccountKind
from organisation.models import Role, User
from training.models import Completion, Course, Requirement
from training.models import Responsibility as R

EXPIRING_DAYS = 60


@dataclass(frozen=True)
class Source:
    """The records that give people a responsibility: `rows(day)` (a queryset) and the field naming
    the person; `reasons(rows)` says it in words that follow "Because you" (or "Because they"):
    "are the responsible officer of @NorthfieldLibs on X"."""

    responsibility: str
    rows: Callable[[date], QuerySet]
    person_field: str
    reasons: Callable[[QuerySet], list[str]]


def account_name(account: Account) -> str:
    return f"{account.handle or account.display_name} on {account.get_platform_display()}"


def _account_reasons(role: str) -> Callable[[QuerySet], list[str]]:
    def reasons(rows: QuerySet) -> list[str]:
        return [f"{role} {account_name(a)}" for a in rows.order_by("handle_key", "pk")]

    return reasons


def sources() -> list[Source]:
    from training.content import content_sources

    groups = User.groups.through.objects
    return [
        Source(
            R.RESPONSIBLE,
            lambda day: Account.objects.open().exclude(kind=AccountKind.COUNCILLOR),
            "responsible_officer",
            _account_reasons("are the responsible officer of"),
        ),
        Source(
            R.DEPUTY, lambda day: Account.objects.open(), "deputy", _account_reasons("are the deputy for")
        ),
        Source(
            R.COUNCILLOR,
            lambda day: (
                Account.objects.open()
                .filter(Q(kind=AccountKind.COUNCILLOR) | Q(responsible_officer__groups__name=Role.COUNCILLOR))
                .distinct()
            ),
            "responsible_officer",
            _account_reasons("are a councillor with the registered account"),
        ),
        Source(
            R.COMMS,
            lambda day: groups.filter(group__name=Role.COMMS),
            "user",
            lambda rows: ["are in the Communications team"] if rows.exists() else [],
        ),
        *content_sources(),
    ]


# ---------------------------------------------------------------------------------------------------
# SQL building blocks. `person` is an expression naming the person's id where the result is used:
# F("responsible_officer") on an account, OuterRef("pk") inside a subquery of people.


def _out(person: F) -> OuterRef:
    """The same person, seen from inside a subquery one level down."""
    return OuterRef(person) if isinstance(person, OuterRef) else OuterRef(person.name)


def holds(source: Source, person: F, day: date) -> Exists:
    return Exists(source.rows(day).filter(**{source.person_field: _out(person)}))


def _required_courses(person: F, day: date) -> QuerySet[Course]:
    """The courses required of the person: those with a rule for a responsibility they hold. Used as
    a subquery, so `person` is seen from inside it."""
    inner = _out(person)
    by_rule = [
        Exists(Requirement.objects.filter(course=OuterRef("pk"), responsibility=source.responsibility))
        & holds(source, inner, day)
        for source in sources()
    ]
    return Course.objects.filter(is_active=True).filter(reduce(or_, by_rule))


def _valid(person: F, day: date) -> Exists:
    """Inside a query of courses: the person has a completion of this course valid on the day."""
    return Exists(Completion.objects.valid_on(day).filter(person=_out(person), course=OuterRef("pk")))


def _lasting(person: F, day: date) -> Exists:
    horizon = day + timedelta(days=EXPIRING_DAYS)
    return Exists(
        Completion.objects.lasting_beyond(day, horizon).filter(person=_out(person), course=OuterRef("pk"))
    )


def missing_courses(person: F, day: date) -> QuerySet[Course]:
    """Courses required of the person with no valid completion on the day (a subquery)."""
    inner = _out(person)
    return _required_courses(person, day).filter(~_valid(inner, day))


def _codes(courses: QuerySet[Course]) -> ArraySubquery:
    return ArraySubquery(courses.order_by("code").values("code"))


def with_training(people: QuerySet[User], day: date | None = None) -> QuerySet[User]:
    """People annotated with their training on the day, in one query for any number of them:
    required_codes, valid_codes, expiring_codes, missing_codes (course codes, sorted), has_requirement
    and fully_trained."""
    day = day or timezone.localdate()
    me = OuterRef("pk")
    required = _required_courses(F("pk"), day)
    valid = _valid(me, day)
    return people.annotate(
        required_codes=_codes(required),
        valid_codes=_codes(required.filter(valid)),
        expiring_codes=_codes(required.filter(valid).filter(~_lasting(me, day))),
        missing_codes=_codes(required.filter(~valid)),
        has_requirement=Exists(required),
        fully_trained=~Exists(required.filter(~valid)),
    )


def people_with_requirements(day: date | None = None, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """Current people (signed-in accounts not marked as left) with at least one requirement."""
    day = day or timezone.localdate()
    people = User.objects.all() if people is None else people
    current = people.filter(is_active=True, left_on__isnull=True)
    return with_training(current, day).filter(has_requirement=True)


def _counts(people: QuerySet[User], day: date) -> dict:
    """people and fully_trained as aggregates over current people with a requirement. Built from
    conditions, not from with_training's arrays, so grouping by service area stays a plain GROUP BY."""
    required = _required_courses(F("pk"), day)
    missing = required.filter(~_valid(OuterRef("pk"), day))
    return {
        "filtered": people.filter(is_active=True, left_on__isnull=True).filter(Exists(required)),
        "people": Count("pk"),
        "fully_trained": Count("pk", filter=~Q(Exists(missing))),
    }


def overall(day: date | None = None, people: QuerySet[User] | None = None) -> dict[str, int]:
    """{"people", "fully_trained"} for the people given (default everyone), in one query."""
    day = day or timezone.localdate()
    parts = _counts(User.objects.all() if people is None else people, day)
    return parts["filtered"].aggregate(people=parts["people"], fully_trained=parts["fully_trained"])


def by_service_area(day: date | None = None, people: QuerySet[User] | None = None) -> list[dict]:
    """[{"service_area_id", "name", "people", "fully_trained"}] per service area, in one
    query. People with no service area (councillors, say) are counted in overall() only."""
    day = day or timezone.localdate()
    parts = _counts(User.objects.all() if people is None else people, day)
    return list(
        parts["filtered"]
        .filter(service_area__isnull=False)
        .values("service_area_id", name=F("service_area__name"))
        .annotate(people=parts["people"], fully_trained=parts["fully_trained"])
        .order_by("name")
    )


# ---------------------------------------------------------------------------------------------------
# The register's "nobody responsible is trained" flag (core.contributions.add_flag)


def _misses(field: str, day: date) -> Q:
    """The person in `field` of an account has left, or lacks a course required of them."""
    return (
        Q(**{f"{field}__left_on__isnull": False})
        | Q(**{f"{field}__is_active": False})
        | Q(Exists(missing_courses(F(field), day)))
    )


def annotate_untrained(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """flag_untrained: a live account (approved, active or dormant, as the register's other flags)
    whose responsible officer and deputy (if it has one) both miss a required course."""
    from accounts_registry.models import AccountStatus as S

    day = timezone.localdate()
    untrained = (
        Q(status__in=[S.APPROVED, S.ACTIVE, S.DORMANT])
        & _misses("responsible_officer", day)
        & (Q(deputy__isnull=True) | _misses("deputy", day))
    )
    return accounts.annotate(flag_untrained=ExpressionWrapper(untrained, output_field=BooleanField()))


# ---------------------------------------------------------------------------------------------------
# One person: what they need and why, in words


@dataclass
class Need:
    course: Course
    state: str  # valid, expiring or missing
    expires_on: date | None  # the first day the latest valid completion no longer counts (None: never)
    reasons: list[str]
    booked: object = None  # the next session of the course the person has a place on, if any


def needs_of(person: User, day: date | None = None) -> list[Need]:
    """The courses required of one person on the day, each with its state and the reasons it is
    required ("you are the responsible officer of @NorthfieldLibs"). The required set and the states
    come from with_training(), the same SQL as the compliance report; the words from the sources."""
    day = day or timezone.localdate()
    row = with_training(User.objects.filter(pk=person.pk), day).values(
        "required_codes", "valid_codes", "expiring_codes"
    )[0]
    if not row["required_codes"]:
        return []
    held: dict[str, list[str]] = {}
    for source in sources():
        words = source.reasons(source.rows(day).filter(**{source.person_field: person}))
        if words:
            held.setdefault(source.responsibility, []).extend(words)
    rules = Requirement.objects.filter(course__code__in=row["required_codes"]).select_related("course")
    courses: dict[str, Course] = {}
    needed_by: dict[str, set[str]] = {}
    for rule in rules:
        courses[rule.course.code] = rule.course
        needed_by.setdefault(rule.course.code, set()).add(rule.responsibility)
    # In the sources' order: the accounts someone runs first, then what else they do.
    reasons = {
        code: [words for resp, said in held.items() if resp in needed_by[code] for words in said]
        for code in courses
    }
    # The latest expiry wins (nulls last: one that never expires wins over all).
    until = dict(
        Completion.objects.valid_on(day)
        .filter(person=person)
        .order_by("course__code", F("expires_on").asc(nulls_last=True))
        .values_list("course__code", "expires_on")
    )
    needs = []
    for code in row["required_codes"]:
        if code in row["expiring_codes"]:
            state = "expiring"
        elif code in row["valid_codes"]:
            state = "valid"
        else:
            state = "missing"
        needs.append(Need(courses[code], state, until.get(code), reasons[code]))
    order = {"missing": 0, "expiring": 1, "valid": 2}
    return sorted(needs, key=lambda n: (order[n.state], n.course.title))
