"""Reading the register: who may see which accounts, and each account's risk flags."""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
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


def with_flags(accounts: QuerySet[Account], *, contributed: bool = True) -> QuerySet[Account]:
    """Annotate flag_<code> booleans, computed in the database so the register can filter on them.
    contributed=False: the register's own flags only, for a count that needs none of the others (the
    training app's flag alone takes longer to build in Python than the home page's queries take to run)."""
    cutoff = timezone.now() - dormancy_period()
    live = Q(status__in=[AccountStatus.ACTIVE, AccountStatus.DORMANT, AccountStatus.APPROVED])

    def flag(condition: Q) -> ExpressionWrapper:
        return ExpressionWrapper(live & condition, output_field=BooleanField())

    accounts = accounts.annotate(
        flag_no_activity=flag(
            Q(status=AccountStatus.DORMANT)
            | Q(last_activity_at__lt=cutoff)
            | Q(last_activity_at__isnull=True, created_at__lt=cutoff)
        ),
        # Every account not closed or rejected: a request or a closing account still needs someone.
        flag_officer_left=ExpressionWrapper(
            ~Q(status__in=[AccountStatus.CLOSED, AccountStatus.REJECTED])
            & Q(responsible_officer__left_on__isnull=False),
            output_field=BooleanField(),
        ),
        flag_no_deputy=flag(Q(deputy__isnull=True)),
        flag_no_two_factor=flag(Q(two_factor_enabled=False)),
        expected_posts=_expected_posts(),
    ).annotate(
        flag_posts_rarely=flag(
            Q(posts_last_30_days__isnull=False, posts_last_30_days__lt=F("expected_posts"))
        )
    )
    for flag in flags_for(ACCOUNT) if contributed else []:
        accounts = flag.annotate(accounts)
    return accounts


def active_flags() -> list:
    """The register's own flags and those other apps add, each with code, label and advice."""
    return [*FLAGS, *flags_for(ACCOUNT)]


def flag_choices() -> list[tuple[str, str]]:
    return [(f.code, f.label) for f in active_flags()]


def flags_of(account: Account) -> list[Flag]:
    """The flags raised on an account annotated by with_flags()."""
    return [f for f in active_flags() if getattr(account, f"flag_{f.code}", False)]


def filter_by_flag(accounts: QuerySet[Account], code: str) -> QuerySet[Account]:
    if code not in {f.code for f in active_flags()}:
        return accounts.none()
    return accounts.filter(**{f"flag_{code}": True})
