"""What may this person do next with this record: one answer per kind of record, used by the view to
decide, by the template to show, and rechecked by the service.

An app lists its actions once, in its permissions.py:

    DRAFT_ACTIONS = Policy(
        Rule("submit", "Send for review", "content:submit", when=can_move("submit"), who=author_only),
        Rule("approve", "Approve", "content:decide", when=can_move("approve"), who=reviewer_not_author),
    )

Each rule answers two questions, each with None (yes) or the reason why not, in plain words:
- `when(record)`: does the record's state allow it now? ("This draft is approved, so it cannot be
  sent for review.")
- `who(user, record)`: may this person do it? ("Authors never approve their own drafts.")

`DRAFT_ACTIONS.for_record(draft, user)` gives the actions a page shows (`.shown`) and a view's
`.require("approve")`, which refuses with the reason (a 403 page that says it); a list page's rows
take `MESSAGE_ACTIONS.for_records(messages, user)`, which makes each link once per page and asks a
rule's `who` once per `same_for` key (the account, say) rather than once per row. Services call
`DRAFT_ACTIONS.recheck("approve", locked, user)` under their row lock: a state that changed since
the page was drawn is a ValidationError ("someone may have just…"), a refused person a Refused.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.urls import reverse
from django_fsm import can_proceed

Reason = str | None  # None: allowed; otherwise why not, as a sentence a person understands


class Refused(PermissionDenied):
    """A refusal that says why; the 403 page shows the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    url: str
    allowed: bool
    reason: str = ""
    style: str = "secondary"  # primary, secondary, warning or link
    post: bool = False  # a button that acts at once (a form with no fields), not a link to a form page


def _anyone(user, record) -> Reason:
    return None


def _always(record) -> Reason:
    return None


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    url_name: str  # reversed with the record's primary key
    when: Callable[[Model], Reason] = _always
    who: Callable[[object, Model], Reason] = _anyone
    style: str = "secondary"
    post: bool = False
    # When `who`'s answer depends only on part of the record (its account, say), that part's key: a
    # page of many records then asks once per key. Never used by `require` or `recheck`.
    same_for: Callable[[Model], object] | None = None


def can_move(transition: str) -> Callable[[Model], Reason]:
    """A `when` for a django-fsm transition: possible from the record's current status. The model's
    `MOVE_WORDS` says how each move reads in "it cannot be … now" ("start_closing": "closed")."""

    def when(record: Model) -> Reason:
        if can_proceed(getattr(record, transition)):
            return None
        status = record.get_status_display().lower()
        done = getattr(record, "MOVE_WORDS", {}).get(transition, transition.replace("_", " "))
        return f"This {record._meta.verbose_name} is {status}, so it cannot be {done} now."

    return when


def in_states(states, message: str) -> Callable[[Model], Reason]:
    """A `when` for actions that are not transitions: allowed in these statuses."""

    def when(record: Model) -> Reason:
        if record.status in states:
            return None
        return message.format(status=record.get_status_display().lower())

    return when


class Actions:
    """The actions of one record for one person, in the policy's order."""

    def __init__(self, actions: list[Action]):
        self._actions = {a.name: a for a in actions}

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions.values())

    def __getitem__(self, name: str) -> Action:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions and self._actions[name].allowed

    @property
    def shown(self) -> list[Action]:
        return [a for a in self._actions.values() if a.allowed]

    def allowed(self, name: str) -> bool:
        return name in self

    def require(self, name: str) -> Action:
        """For a view: the action, or a 403 that says why not."""
        action = self._actions[name]
        if not action.allowed:
            raise Refused(action.reason)
        return action


def _by_pk(record: Model) -> list:
    return [record.pk]


class Links:
    """Links to many records' pages with one `reverse` per URL name: a page of 25 rows with four
    actions each otherwise reverses a hundred times (a quarter of the inbox's time). The URL is
    reversed once with a stand-in number and each record's number put in its place. Made per page,
    never kept: URL configuration and script prefix belong to the request."""

    STAND_IN = 9_876_543_210

    def __init__(self):
        self._halves: dict[str, list[str] | None] = {}

    def __call__(self, url_name: str, args: list) -> str:
        if len(args) == 1 and type(args[0]) is int and args[0] >= 0:
            if url_name not in self._halves:
                halves = reverse(url_name, args=[self.STAND_IN]).split(str(self.STAND_IN))
                self._halves[url_name] = halves if len(halves) == 2 else None
            if halves := self._halves[url_name]:
                return f"{halves[0]}{args[0]}{halves[1]}"
        return reverse(url_name, args=args)


class Policy:
    """`url_args(record)`: what the rules' URLs are reversed with, when a record's pages are not
    addressed by its primary key alone (a questionnaire by its slug)."""

    def __init__(self, *rules: Rule, url_args: Callable[[Model], list] = _by_pk):
        self.rules = {rule.name: rule for rule in rules}
        self.url_args = url_args

    def refusal(
        self, name: str, record: Model, user, *, answers: dict | None = None
    ) -> tuple[str, str] | None:
        """("when" or "who", reason) if the action is refused, else None. State first: there is no
        point telling someone they may not do what nobody can do now. `answers`: a page's memo of
        `who` answers by the rules' `same_for` keys (for_records)."""
        rule = self.rules[name]
        if reason := rule.when(record):
            return "when", reason
        if not (user and user.is_authenticated and user.is_active):
            return "who", "Sign in to do this."
        if answers is not None and rule.same_for is not None:
            key = (name, rule.same_for(record))
            if key not in answers:
                answers[key] = rule.who(user, record)
            reason = answers[key]
        else:
            reason = rule.who(user, record)
        if reason:
            return "who", reason
        return None

    def for_record(
        self, record: Model, user, *, links: Links | None = None, answers: dict | None = None
    ) -> Actions:
        links = links or Links()
        actions = []
        args = self.url_args(record)
        for name, rule in self.rules.items():
            refused = self.refusal(name, record, user, answers=answers)
            actions.append(
                Action(
                    name,
                    rule.label,
                    links(rule.url_name, args),
                    refused is None,
                    refused[1] if refused else "",
                    rule.style,
                    rule.post,
                )
            )
        return Actions(actions)

    def for_records(self, records, user, *, links: Links | None = None) -> list[Actions]:
        """The actions of each of a page's records, with the links made once and each `who` asked
        once per `same_for` key."""
        links, answers = links or Links(), {}
        return [self.for_record(record, user, links=links, answers=answers) for record in records]

    def require(self, name: str, record: Model, user) -> None:
        """For a view: a 403 that says why, whatever the reason."""
        if refused := self.refusal(name, record, user):
            raise Refused(refused[1])

    def recheck(self, name: str, record: Model, user) -> None:
        """For a service, on the locked record: a state that moved on is a ValidationError saying
        someone may have just acted; a person who may not is Refused."""
        refused = self.refusal(name, record, user)
        if refused is None:
            return
        kind, reason = refused
        if kind == "when":
            raise ValidationError(f"{reason} Someone may have just changed it: reload the page to see.")
        raise Refused(reason)
