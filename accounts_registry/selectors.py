"""Reading the register: who may see which accounts, and each account's risk flags."""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts_registry.models import Account, AccountStatus, PostingFrequency
from accounts_registry.services import dormancy_period
from core.contributions import flags_for


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    advice: str


FLAGS = [
    Flag("no_activity", "No recent activity", "Nothing posted or checked within the dormancy period."),
    Flag(
        "officer_left", "Responsible officer has left", "Transfer the account to someone who works here now."
    ),
    Flag("no_deputy", "No deputy", "Name a deputy so someone can cover absences."),
    Flag("no_two_factor", "No two-factor sign-in", "Turn on two-factor sign-in on the platform."),
    Flag(
        "posts_rarely",
        "Posts rarely",
        "Posts less than agreed: consider posting through the corporate accounts.",
    ),
]
# Other apps add flags of their own (core.contributions.add_flag): training adds "nobody responsible is
# trained". Without that app the flag is not computed, and not shown, rather than given a made-up value.
ACCOUNT = "accounts_registry.account"


def _expected_posts() -> Case:
    return Case(
        *[When(posting_frequency=f.value, then=Value(f.posts_per_30_days)) for f in PostingFrequency],
        output_field=IntegerField(),
    )


LIVE = [AccountStatus.ACTIVE, AccountStatus.DORMANT, AccountStatus.APPROVED]
# Every account not closed or rejected: a request or a closing account still needs someone.
UNFINISHED_EXCLUDED = [AccountStatus.CLOSED, AccountStatus.REJECTED]


def _own_flags() -> dict[str, ExpressionWrapper]:
    """The register's own flags as SQL, by code. `_raised` says the same in Python for rows already
    fetched (test_each_flag_is_raised_when_it_applies_and_only_then holds the two together)."""
    cutoff = timezone.now() - dormancy_period()
    live = Q(status__in=LIVE)

    def flag(condition: Q) -> ExpressionWrapper:
        return ExpressionWrapper(live & condition, output_field=BooleanField())

    return {
        "no_activity": flag(
            Q(status=AccountStatus.DORMANT)
            | Q(last_activity_at__lt=cutoff)
            | Q(last_activity_at__isnull=True, created_at__lt=cutoff)
        ),
        "officer_left": ExpressionWrapper(
            ~Q(status__in=UNFINISHED_EXCLUDED) & Q(responsible_officer__left_on__isnull=False),
            output_field=BooleanField(),
        ),
        "no_deputy": flag(Q(deputy__isnull=True)),
        "no_two_factor": flag(Q(two_factor_enabled=False)),
        "posts_rarely": flag(Q(posts_last_30_days__isnull=False, posts_last_30_days__lt=_expected_posts())),
    }


def _raised(account: Account, cutoff) -> dict[str, bool]:
    """The register's own flags of a fetched account (its responsible officer fetched with it), by the
    rules of `_own_flags`: a page draws them without building and compiling five expressions."""
    live = account.status in LIVE
    expected = {f.value: f.posts_per_30_days for f in PostingFrequency}.get(account.posting_frequency)
    last = account.last_activity_at
    return {
        "no_activity": live
        and (
            account.status == AccountStatus.DORMANT
            or (last is not None and last < cutoff)
            or (last is None and account.created_at < cutoff)
        ),
        "officer_left": account.status not in UNFINISHED_EXCLUDED
        and account.responsible_officer.left_on is not None,
        "no_deputy": live and account.deputy_id is None,
        "no_two_factor": live and not account.two_factor_enabled,
        "posts_rarely": live
        and account.posts_last_30_days is not None
        and expected is not None
        and account.posts_last_30_days < expected,
    }


def with_flags(accounts: QuerySet[Account], *, contributed: bool = True) -> QuerySet[Account]:
    """Annotate flag_<code> booleans, computed in the database so the register can filter on them.
    contributed=False: the register's own flags only, for a count that needs none of the others (the
    training app's flag alone takes longer to build in Python than the home page's queries take to run)."""
    accounts = accounts.annotate(**{f"flag_{code}": expression for code, expression in _own_flags().items()})
    return with_contributed_flags(accounts) if contributed else accounts


def with_contributed_flags(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate the flags other apps add (flag_<code>): a page's rows take these, and flags_of() works
    out the register's own from the fields."""
    for flag in flags_for(ACCOUNT):
        accounts = flag.annotate(accounts)
    return accounts


def active_flags() -> list:
    """The register's own flags and those other apps add, each with code, label and advice."""
    return [*FLAGS, *flags_for(ACCOUNT)]


def flag_choices() -> list[tuple[str, str]]:
    return [(f.code, f.label) for f in active_flags()]


def flags_of(account: Account, *, now=None) -> list[Flag]:
    """The flags raised on a fetched account: the register's own worked out from its fields (its
    responsible officer fetched with it), the others from with_contributed_flags()' annotations."""
    own = _raised(account, (now or timezone.now()) - dormancy_period())
    return [
        f
        for f in active_flags()
        if (own[f.code] if f.code in own else getattr(account, f"flag_{f.code}", False))
    ]


def filter_by_flag(accounts: QuerySet[Account], code: str) -> QuerySet[Account]:
    """The accounts with the flag raised; the flag is computed here unless already annotated, so a
    register filtered on one flag does not compute the others over every account."""
    if code not in {f.code for f in active_flags()}:
        return accounts.none()
    if f"flag_{code}" not in accounts.query.annotations:
        own = _own_flags()
        if code in own:
            accounts = accounts.alias(**{f"flag_{code}": own[code]})
        else:
            flag = next(f for f in flags_for(ACCOUNT) if f.code == code)
            accounts = flag.annotate(accounts)
    return accounts.filter(**{f"flag_{code}": True})
