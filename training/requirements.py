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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BooleanField, CharField, Count, Expression, ExpressionWrapper, F, Q, QuerySet
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
# SQL building blocks. The required (person, course) pairs are one set: each Source's rows joined to
# the rules for its responsibility, UNION ALL over the sources, joined to the active courses. Every
# answer below is a small query over that set for one person (`person`, an expression naming the
# person's id where the answer is used: F("pk") on people, F("responsible_officer") on accounts).
#
# Why raw SQL around compiled querysets: the set is a UNION, which the ORM cannot put in a subquery's
# FROM. The sources stay querysets (compiled here with sql_with_params), so what counts as holding a
# responsibility is still said once, in `sources()`. Written as one relation rather than one EXISTS
# per source per course, the query is cheap both ways PostgreSQL may run it: for one person (the
# person is written into each arm of the UNION: index lookups), or for everyone at once (an EXISTS
# becomes a hashed subplan: the set is computed once per query). _OfPerson says which, and why.
# Only our table names and the compiled querysets go into the text (S608); every value is a parameter.


def _table(model, field: str) -> str:
    return f"{model._meta.db_table}.{model._meta.get_field(field).column}"


def _compiled(rows: QuerySet, *fields: str) -> tuple[str, tuple]:
    return rows.order_by().values_list(*fields).query.sql_with_params()


def _required_pairs(day: date, person: tuple[str, tuple] | None = None) -> tuple[str, tuple]:
    """_written_pairs() for the sources there are now (see _sources_key)."""
    return _written_pairs(day, person, _sources_key())


def _sources_key() -> tuple:
    """What the sources' compiled text depends on besides the day, never the rows: which sources there
    are (content_review's only when it is installed), the authors' window (training.content) and the
    time zone their dates are made in. Part of the key of every text kept below."""
    return (
        tuple(source.responsibility for source in sources()),
        settings.TRAINING_AUTHOR_MONTHS,
        timezone.get_current_timezone_name(),
    )


# The text depends only on the day, the person's expression and _sources_key() (never on the data),
# and compiling the sources' querysets is most of the Python time of a page that asks about pairs
# four times (10 ms at scale 1): written once per key, per process.
@lru_cache(maxsize=32)
def _written_pairs(day: date, person: tuple[str, tuple] | None, sources_key: tuple):
    """SELECT person_id, course_id, code: one row per responsibility a person holds and per active
    course a rule says it needs (a person holding two such responsibilities appears twice).

    For everyone (no `person`), each arm runs over people, asking of each whether the source has a
    row for them, so the work follows the number of people, not the number of rows (a year's drafts
    are tens of thousands). For one person (`person`: the compiled expression naming them), each arm
    asks the source once about that person: a smaller query for the planner, used row by row."""
    arms, params = [], []
    rule, who = Requirement._meta.db_table, User._meta.db_table
    for source in sources():
        sql, arm_params = _compiled(source.rows(day), source.person_field)
        holds = f"EXISTS (SELECT 1 FROM ({sql}) AS held(person_id) WHERE held.person_id = "  # noqa: S608  # nosec B608
        responsible = f"{_table(Requirement, 'responsibility')} = %s"
        if person:
            arms.append(
                f"SELECT {rule}.course_id FROM {rule}"  # noqa: S608  # nosec B608
                f" WHERE {responsible} AND {holds}{person[0]})"
            )
            params += [source.responsibility, *arm_params, *person[1]]
        else:
            arms.append(
                f"SELECT {who}.id AS person_id, {rule}.course_id FROM {who}"  # noqa: S608  # nosec B608
                f" JOIN {rule} ON {responsible} WHERE {holds}{who}.id)"
            )
            params += [source.responsibility, *arm_params]
    course = Course._meta.db_table
    whose = "pair.person_id" if person is None else person[0]
    return (
        f"SELECT {whose} AS person_id, pair.course_id, {course}.code"  # noqa: S608  # nosec B608
        f" FROM ({' UNION ALL '.join(arms)}) AS pair"
        f" JOIN {course} ON {course}.id = pair.course_id WHERE {course}.is_active",
        (*(person[1] if person else ()), *params),
    )


def _completed(completions: QuerySet) -> tuple[str, tuple]:
    """EXISTS: the pair's person has one of these completions of the pair's course."""
    sql, params = _compiled(completions, "person_id", "course_id")
    return (
        f"EXISTS (SELECT 1 FROM ({sql}) AS done(person_id, course_id)"  # noqa: S608  # nosec B608
        " WHERE done.person_id = pair.person_id AND done.course_id = pair.course_id)",
        params,
    )


def _pairs(day: date, state: str, person: tuple[str, tuple] | None = None) -> tuple[str, tuple]:
    """SELECT person_id, code of the required pairs in a state: required, valid, expiring (valid but
    not lasting beyond EXPIRING_DAYS) or missing (no valid completion); everyone's, or one person's."""
    sql, params = _required_pairs(day, person)
    select = f"SELECT pair.person_id, pair.code FROM ({sql}) AS pair"  # noqa: S608  # nosec B608
    if state == "required":
        return select, params
    valid, valid_params = _completed(Completion.objects.valid_on(day))
    if state == "valid":
        return f"{select} WHERE {valid}", (*params, *valid_params)
    if state == "missing":
        return f"{select} WHERE NOT {valid}", (*params, *valid_params)
    horizon = day + timedelta(days=EXPIRING_DAYS)
    lasting, lasting_params = _completed(Completion.objects.lasting_beyond(day, horizon))
    return f"{select} WHERE {valid} AND NOT {lasting}", (*params, *valid_params, *lasting_params)


_STAND_IN = "__training_person__"


@lru_cache(maxsize=16)
def _pairs_of_column(day: date, state: str, sources_key: tuple) -> tuple[str, tuple]:
    """_pairs for one person named by a column, with a stand-in for the column, kept like
    _written_pairs: the register's flag asks it of the officer and of the deputy (4 ms at scale 1)."""
    return _pairs(day, state, (_STAND_IN, ()))


class _OfPerson(Expression):
    """An answer about the person's pairs in a state: `any` (EXISTS), `none` (NOT EXISTS) or `codes`
    (the course codes, sorted, as an array).

    Two ways to ask, measured at scale 1 (bench/generate.py: 2,000 accounts, 590 people):
    - row by row: the person is written into each arm of the UNION (a few index lookups a person),
      with OFFSET 0 so that PostgreSQL keeps it so. The arrays always (a page's rows are drawn by
      training_of instead: one query for the page, not five arrays a row); anything in a sliced query (a
      page, `.get()`: the register sorts every account and then draws 25); and `row_by_row` answers,
      the people counted and listed in the compliance report (faster than the set: 3 ms against 10);
    - the whole set, once per query: PostgreSQL turns the EXISTS into a hashed subplan when it
      expects many rows. The register's flag over every account (its filter, its export) and the
      reminders' sweep (41 ms against 60 row by row).
    """

    TEMPLATES = {
        "any": "EXISTS (SELECT 1 FROM ({pairs}) AS mine WHERE mine.person_id = {person}{fence})",
        "none": "NOT EXISTS (SELECT 1 FROM ({pairs}) AS mine WHERE mine.person_id = {person}{fence})",
        "codes": (
            "ARRAY(SELECT DISTINCT mine.code FROM ({pairs}) AS mine"
            " WHERE mine.person_id = {person} ORDER BY mine.code)"
        ),
    }

    def __init__(self, person, day: date, state: str, answer: str, row_by_row: bool = False):
        output = ArrayField(CharField()) if answer == "codes" else BooleanField()
        super().__init__(output_field=output)
        self.person, self.day, self.state, self.answer = person, day, state, answer
        self.row_by_row = row_by_row

    def get_source_expressions(self):
        return [self.person]

    def set_source_expressions(self, exprs):
        (self.person,) = exprs

    def as_sql(self, compiler, connection):
        person, person_params = compiler.compile(self.person)
        if self.answer == "codes" or self.row_by_row or compiler.query.is_sliced:
            # Row by row: the person is written into each arm (see _required_pairs).
            if person_params:
                pairs, pairs_params = _pairs(self.day, self.state, (person, tuple(person_params)))
            else:
                # A column (the register's flag asks of the responsible officer and of the deputy):
                # the sources compiled once, with a stand-in for the column (_pairs_of_column).
                pairs, pairs_params = _pairs_of_column(self.day, self.state, _sources_key())
                pairs = pairs.replace(_STAND_IN, person)
            fence = " OFFSET 0"
        else:
            # A query may hold several of these; the sources are compiled once per query.
            made = compiler.__dict__.setdefault("_training_pairs", {})
            if (self.day, self.state) not in made:
                made[self.day, self.state] = _pairs(self.day, self.state)
            pairs, pairs_params = made[self.day, self.state]
            fence = ""
        sql = self.TEMPLATES[self.answer].format(pairs=pairs, person=person, fence=fence)
        # The person comes after the pairs in the text, so after them in the parameters.
        return sql, (*pairs_params, *person_params)


def with_training(people: QuerySet[User], day: date | None = None, *, alias: bool = False) -> QuerySet[User]:
    """People annotated with their training on the day, in one query for any number of them:
    required_codes, valid_codes, expiring_codes, missing_codes (course codes, sorted) and fully_trained.
    Each is worked out for the rows fetched (a page, one person): to choose people
    among everyone, filter with `requires_training`. With `alias`, they are there to filter on and
    not fetched (a page draws its rows' courses with `training_of`, one query for them all)."""
    day = day or timezone.localdate()
    me = F("pk")
    return (people.alias if alias else people.annotate)(
        required_codes=_OfPerson(me, day, "required", "codes"),
        valid_codes=_OfPerson(me, day, "valid", "codes"),
        expiring_codes=_OfPerson(me, day, "expiring", "codes"),
        missing_codes=_OfPerson(me, day, "missing", "codes"),
        fully_trained=_OfPerson(me, day, "missing", "none"),
    )


@dataclass
class Training:
    """One person's courses on a day (codes, sorted), as with_training() annotates them."""

    required_codes: list[str] = field(default_factory=list)
    valid_codes: list[str] = field(default_factory=list)
    expiring_codes: list[str] = field(default_factory=list)
    missing_codes: list[str] = field(default_factory=list)

    @property
    def fully_trained(self) -> bool:
        return not self.missing_codes


def training_of(pks: Iterable[int], day: date | None = None) -> dict[int, Training]:
    """with_training()'s answers for the people given, in one query for them all: each person's
    required pairs (row by row, as _OfPerson: the person written into each arm of the UNION), each
    with whether a valid completion covers it and whether one lasts beyond EXPIRING_DAYS; the code
    lists are drawn from those rows here, rather than asked for as four arrays and a flag per person
    (five UNIONs a person). Everyone given is in the answer, with empty lists if nothing is required."""
    day = day or timezone.localdate()
    pks = list(pks)
    if not pks:  # an empty page: nothing to ask
        return {}
    pairs, pairs_params = _required_pairs(day, ("asked.id", ()))
    # Their completions only: PostgreSQL hashes the completions once per query, and everyone's are
    # 20,000 at scale 1 (14 ms), theirs a few hundred.
    theirs = Completion.objects.filter(person__in=pks)
    valid, valid_params = _completed(theirs.valid_on(day))
    horizon = day + timedelta(days=EXPIRING_DAYS)
    lasting, lasting_params = _completed(theirs.lasting_beyond(day, horizon))
    sql = (
        f"SELECT pair.person_id, pair.code, {valid}, {lasting}"  # noqa: S608  # nosec B608
        f" FROM unnest(%s::bigint[]) AS asked(id) CROSS JOIN LATERAL ({pairs} OFFSET 0) AS pair"
    )
    answers = {pk: Training() for pk in pks}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*valid_params, *lasting_params, pks, *pairs_params))
        rows = cursor.fetchall()
    codes: dict[int, dict[str, set[str]]] = {}
    for person, code, is_valid, is_lasting in rows:
        mine = codes.setdefault(person, {"required": set(), "valid": set(), "expiring": set()})
        mine["required"].add(code)
        if is_valid:
            mine["valid"].add(code)
            if not is_lasting:
                mine["expiring"].add(code)
    for person, mine in codes.items():
        answers[person] = Training(
            sorted(mine["required"]),
            sorted(mine["valid"]),
            sorted(mine["expiring"]),
            sorted(mine["required"] - mine["valid"]),
        )
    return answers


def add_training(people: list[User], day: date | None = None) -> list[User]:
    """Sets with_training()'s attributes on the people given (a page of them), from training_of()."""
    answers = training_of([person.pk for person in people], day)
    for person in people:
        training = answers[person.pk]
        person.required_codes, person.valid_codes = training.required_codes, training.valid_codes
        person.expiring_codes, person.missing_codes = training.expiring_codes, training.missing_codes
        person.fully_trained = training.fully_trained
    return people


def requires_training(day: date) -> _OfPerson:
    """A condition on people: at least one course is required of them on the day."""
    return _OfPerson(F("pk"), day, "required", "any", row_by_row=True)


def people_requiring(day: date | None = None, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """Current people (signed-in accounts not marked as left) with at least one requirement."""
    day = day or timezone.localdate()
    people = User.objects.all() if people is None else people
    return people.filter(is_active=True, left_on__isnull=True).filter(requires_training(day))


def people_with_requirements(day: date | None = None, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """people_requiring(), annotated by with_training()."""
    day = day or timezone.localdate()
    return with_training(people_requiring(day, people), day)


def _counts(people: QuerySet[User], day: date) -> dict:
    """people and fully_trained as aggregates over current people with a requirement. Built from
    conditions, not from with_training's arrays, so grouping by service area stays a plain GROUP BY."""
    me = F("pk")
    return {
        "filtered": people_requiring(day, people),
        "people": Count("pk"),
        "fully_trained": Count("pk", filter=_OfPerson(me, day, "missing", "none", row_by_row=True)),
    }


def overall(day: date | None = None, people: QuerySet[User] | None = None) -> dict[str, int]:
    """{"people", "fully_trained"} for the people given (default everyone), in one query."""
    day = day or timezone.localdate()
    parts = _counts(User.objects.all() if people is None else people, day)
    return parts["filtered"].aggregate(people=parts["people"], fully_trained=parts["fully_trained"])


def by_service_area(day: date | None = None, people: QuerySet[User] | None = None) -> list[dict]:
    """[{"service_area_id", "name", "people", "fully_trained"}] per service area, in one
    query. People with no service area (councillors, say) are counted in overall() only."""
    return figures(day, people)[1]


def figures(
    day: date | None = None, people: QuerySet[User] | None = None
) -> tuple[dict[str, int], list[dict]]:
    """overall() and by_service_area() together, from one query: the people with no service area are
    a group of their own, added into the overall figures only.

    The dearest part of the compliance page (17 ms of its ~50 at scale 1: two row-by-row conditions
    for each of ~570 current people). Asked in one pass instead (each person's pairs once, with a
    valid-completion check per pair) it took 35 ms: the conditions stop at the first pair that
    answers them. Not cached: a key that is exact (PostgreSQL's snapshot) changes with any write in
    the cluster, and one that is not would let the figures disagree with the rows under them."""
    day = day or timezone.localdate()
    parts = _counts(User.objects.all() if people is None else people, day)
    groups = list(
        parts["filtered"]
        .values("service_area_id", name=F("service_area__name"))
        .annotate(people=parts["people"], fully_trained=parts["fully_trained"])
        .order_by("name")
    )
    total = {key: sum(g[key] for g in groups) for key in ("people", "fully_trained")}
    return total, [g for g in groups if g["service_area_id"] is not None]


# ---------------------------------------------------------------------------------------------------
# The register's "nobody responsible is trained" flag (core.contributions.add_flag)


def _misses(field: str, day: date) -> Q:
    """The person in `field` of an account has left, or lacks a course required of them."""
    return (
        Q(**{f"{field}__left_on__isnull": False})
        | Q(**{f"{field}__is_active": False})
        | Q(_OfPerson(F(field), day, "missing", "any"))
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
    come from training_of(), as the compliance report's rows; the words from the sources."""
    day = day or timezone.localdate()
    training = training_of([person.pk], day)[person.pk]
    if not training.required_codes:
        return []
    held: dict[str, list[str]] = {}
    for source in sources():
        words = source.reasons(source.rows(day).filter(**{source.person_field: person}))
        if words:
            held.setdefault(source.responsibility, []).extend(words)
    rules = Requirement.objects.filter(course__code__in=training.required_codes).select_related("course")
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
    for code in training.required_codes:
        if code in training.expiring_codes:
            state = "expiring"
        elif code in training.valid_codes:
            state = "valid"
        else:
            state = "missing"
        needs.append(Need(courses[code], state, until.get(code), reasons[code]))
    order = {"missing": 0, "expiring": 1, "valid": 2}
    return sorted(needs, key=lambda n: (order[n.state], n.course.title))
