from django.urls import reverse

from accounts_registry.models import Account, AccountStatus
from accounts_registry.selectors import with_flags
from core.attention import AttentionItem, counts
from organisation.models import Role


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def account_items(user) -> list[AttentionItem]:
    url = reverse("accounts:list")
    if user.has_perm("accounts_registry.manage_account"):
        requests, left, dormant = counts(
            requests=Account.objects.filter(status=AccountStatus.REQUESTED),
            left=with_flags(Account.objects.open(), contributed=False).filter(flag_officer_left=True),
            dormant=Account.objects.filter(status=AccountStatus.DORMANT),
        ).values()
        return [
            AttentionItem(
                requests,
                _plural(requests, "account request to decide", "account requests to decide"),
                f"{url}?status=requested",
            ),
            AttentionItem(
                left,
                _plural(
                    left,
                    "account whose responsible officer has left",
                    "accounts whose responsible officer has left",
                ),
                reverse("accounts:handover"),
                "Transfer them to someone who works here now.",
            ),
            AttentionItem(
                dormant,
                _plural(dormant, "dormant account", "dormant accounts"),
                f"{url}?status=dormant",
                "Revive them or move their posting to the corporate accounts.",
            ),
        ]
    if not user.has_perm("accounts_registry.view_register"):
        return []
    visible = with_flags(Account.objects.visible_to(user).open(), contributed=False)
    oversees = user.has_role(Role.AUDITOR, Role.HEAD_OF_SERVICE)
    runs = not oversees or user.has_role(Role.OFFICER, Role.COUNCILLOR, Role.REVIEWER)
    mine, none = visible.for_person(user), Account.objects.none()
    quiet, left, flagged, no_deputy, no_2fa = counts(
        quiet=visible.filter(flag_no_activity=True) if oversees else none,
        left=visible.filter(flag_officer_left=True) if oversees else none,
        flagged=mine.filter(flag_no_activity=True) if runs else none,
        no_deputy=mine.filter(flag_no_deputy=True, responsible_officer=user) if runs else none,
        no_2fa=mine.filter(flag_no_two_factor=True, responsible_officer=user) if runs else none,
    ).values()
    if oversees:
        # Readers of the whole register (or of their service area): the state of what they oversee.
        where = "" if user.has_role(Role.AUDITOR) else " in your service area"
        items = [
            AttentionItem(
                quiet,
                _plural(
                    quiet,
                    f"account{where} has no recent activity",
                    f"accounts{where} have no recent activity",
                ),
                f"{url}?flag=no_activity",
            ),
            AttentionItem(
                left,
                _plural(
                    left,
                    f"account{where} is run by someone who has left",
                    f"accounts{where} are run by someone who has left",
                ),
                f"{url}?flag=officer_left",
            ),
        ]
        if not runs:
            return items
    else:
        items = []
    return [
        *items,
        AttentionItem(
            flagged,
            _plural(
                flagged, "of your accounts has no recent activity", "of your accounts have no recent activity"
            ),
            f"{url}?flag=no_activity",
        ),
        AttentionItem(
            no_deputy,
            _plural(no_deputy, "account you run has no deputy", "accounts you run have no deputy"),
            f"{url}?flag=no_deputy",
        ),
        AttentionItem(
            no_2fa,
            _plural(
                no_2fa,
                "account you run has no two-factor sign-in",
                "accounts you run have no two-factor sign-in",
            ),
            f"{url}?flag=no_two_factor",
        ),
    ]
