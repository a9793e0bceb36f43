"""The register's rules, through the services every page, import and task uses; and the risk flags."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from accounts_registry import selectors, services
from accounts_registry.filters import AccountFilter
from accounts_registry.models import Account, AccountStatus, ActivityCheck
from core import contributions
from notifications.models import Notification
from organisation.models import Role
from tests.factories import AccountFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = AccountStatus


def new_account(people, service_area, **overrides) -> dict:
    """What an officer types to request the Waste and Recycling X account."""
    return {
        "platform": "x",
        "handle": "@NorthfieldBins",
        "display_name": "Northfield Bins",
        "kind": "service",
        "service_area": service_area,
        "purpose": "Collection days and disruption.",
        "audience": "Residents of the borough",
        "responsible_officer": people["officer"],
        **overrides,
    }


def field_errors(caught) -> set[str]:
    return set(caught.value.message_dict)


def notified(person, containing: str = "") -> list[str]:
    return [
        subject
        for subject in Notification.objects.filter(recipient=person).values_list("subject", flat=True)
        if containing in subject
    ]


def reloaded(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)


# The lifecycle


def test_a_request_is_approved_and_the_requester_told(people, service_area):
    account = services.account_request(by=people["officer"], fields=new_account(people, service_area))
    assert (account.status, account.requested_by) == (S.REQUESTED, people["officer"])
    assert notified(people["comms"], "New social media account request")
    assert not notified(people["officer"])

    services.account_approve(account=account, by=people["comms"])

    assert reloaded(account).status == S.APPROVED
    assert notified(people["officer"], "approved")


def test_declining_needs_a_reason_which_the_requester_is_told(people, service_area):
    account = services.account_request(by=people["officer"], fields=new_account(people, service_area))
    with pytest.raises(ValidationError) as caught:
        services.account_reject(account=account, by=people["comms"], reason="  ")
    assert field_errors(caught) == {"reason"}
    assert reloaded(account).status == S.REQUESTED and not notified(people["officer"])

    services.account_reject(account=account, by=people["comms"], reason="Use the corporate account.")

    account = reloaded(account)
    assert (account.status, account.status_reason) == (S.REJECTED, "Use the corporate account.")
    [note] = Notification.objects.filter(recipient=people["officer"])
    assert "declined" in note.subject and "Use the corporate account." in note.body


@pytest.mark.parametrize("persona", ["officer", "head_of_service", "auditor"])
def test_only_comms_decide_requests(people, service_area, persona):
    account = services.account_request(by=people["officer"], fields=new_account(people, service_area))
    with pytest.raises(PermissionDenied):
        services.account_approve(account=account, by=people[persona])
    with pytest.raises(PermissionDenied):
        services.account_reject(account=account, by=people[persona], reason="No.")
    assert reloaded(account).status == S.REQUESTED


def test_comms_register_an_account_that_already_runs_as_active(people, service_area):
    account = services.account_register_existing(by=people["comms"], fields=new_account(people, service_area))
    assert reloaded(account).status == S.ACTIVE
    assert not Notification.objects.exists()


def test_only_comms_register_existing_accounts(people, service_area):
    with pytest.raises(PermissionDenied):
        services.account_register_existing(by=people["officer"], fields=new_account(people, service_area))


@pytest.mark.parametrize("persona", ["head_of_service", "auditor", "outsider"])
def test_people_who_may_not_request_cannot(people, service_area, persona):
    with pytest.raises(PermissionDenied):
        services.account_request(by=people[persona], fields=new_account(people, service_area))
    assert not Account.objects.exists()


def test_an_approved_account_goes_live_then_closes_keeping_its_record(people, service_area):
    account = AccountFactory(status=S.APPROVED, service_area=service_area)
    comms = people["comms"]

    assert services.account_activate(account=account, by=comms).status == S.ACTIVE
    with pytest.raises(ValidationError):
        services.account_start_closing(account=account, by=comms, reason="")
    closing = services.account_start_closing(account=account, by=comms, reason="Moving to @NorthfieldCC.")
    assert closing.status == S.CLOSING
    closed = services.account_close(account=closing, by=comms)

    assert (closed.status, closed.status_reason) == (S.CLOSED, "Moving to @NorthfieldCC.")
    assert Account.objects.filter(pk=account.pk).exists()


def test_closing_keeps_the_reason_whichever_copy_the_caller_holds(people):
    account = AccountFactory(status=S.ACTIVE)
    services.account_start_closing(account=account, by=people["comms"], reason="Moving to @NorthfieldCC.")
    services.account_close(account=account, by=people["comms"])  # loaded before closing started
    assert reloaded(account).status_reason == "Moving to @NorthfieldCC."


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.ACTIVE, "approve"),
        (S.REJECTED, "approve"),
        (S.APPROVED, "reject"),
        (S.REQUESTED, "activate"),
        (S.CLOSED, "activate"),
        (S.ACTIVE, "close"),
        (S.REQUESTED, "start_closing"),
        (S.CLOSED, "start_closing"),
    ],
)
def test_moves_the_lifecycle_does_not_allow_are_refused(people, status, move):
    account = AccountFactory(status=status)
    call = {
        "approve": lambda: services.account_approve(account=account, by=people["comms"]),
        "reject": lambda: services.account_reject(account=account, by=people["comms"], reason="No."),
        "activate": lambda: services.account_activate(account=account, by=people["comms"]),
        "close": lambda: services.account_close(account=account, by=people["comms"]),
        "start_closing": lambda: services.account_start_closing(
            account=account, by=people["comms"], reason="Tidying up."
        ),
    }[move]
    with pytest.raises(ValidationError):
        call()
    assert reloaded(account).status == status
    assert not Notification.objects.exists()


def test_a_refused_move_says_so_in_plain_english(people):
    messages = []
    for status, move in ((S.APPROVED, "reject"), (S.CLOSED, "start_closing")):
        account = AccountFactory(status=status)
        with pytest.raises(ValidationError) as caught:
            getattr(services, f"account_{move}")(account=account, by=people["comms"], reason="Because.")
        messages.append(caught.value.messages[0])
    assert messages[0].startswith("This request was already decided: the account is approved")
    assert messages[1].startswith("This account is closed: its status cannot change now.")


# What may be registered


@pytest.mark.parametrize(
    "second",
    [
        {"handle": "@NorthfieldCC"},
        {"handle": "northfieldcc"},
        {"handle": "", "profile_url": "https://twitter.com/northfieldcc/"},
        {"handle": "", "profile_url": "http://mobile.twitter.com/NORTHFIELDCC?ref=abc"},
        {"handle": "https://x.com/NorthfieldCC"},
    ],
)
def test_the_same_account_cannot_be_registered_twice_in_any_form(people, service_area, second):
    AccountFactory(handle="@NorthfieldCC", display_name="Northfield Council", service_area=service_area)
    with pytest.raises(ValidationError) as caught:
        services.account_request(by=people["officer"], fields=new_account(people, service_area, **second))
    assert "already in the register as “Northfield Council”" in caught.value.message_dict["handle"][0]
    assert Account.objects.count() == 1


def test_the_same_handle_on_another_platform_is_a_different_account(people, service_area):
    AccountFactory(handle="northfieldcc", service_area=service_area)
    account = services.account_request(
        by=people["officer"],
        fields=new_account(people, service_area, platform="instagram", handle="northfieldcc"),
    )
    assert account.pk and Account.objects.count() == 2


def test_a_link_from_another_platform_is_refused(people, service_area):
    with pytest.raises(ValidationError) as caught:
        services.account_request(
            by=people["officer"],
            fields=new_account(
                people,
                service_area,
                platform="instagram",
                handle="",
                profile_url="https://www.facebook.com/northfieldcouncil",
            ),
        )
    assert "This is a Facebook link, not an Instagram one" in caught.value.message_dict["profile_url"][0]
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    "location",
    ["password: Summer2024!", "Tr0ub4dor&3", "In the vault, pwd = hunter2", "The passcode is 1234"],
)
def test_a_password_is_refused_where_its_location_belongs(people, service_area, location):
    with pytest.raises(ValidationError) as caught:
        services.account_request(
            by=people["officer"], fields=new_account(people, service_area, credentials_location=location)
        )
    assert field_errors(caught) == {"credentials_location"}
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    "location",
    [
        "Council password manager, vault Social media",
        "Keeper shared folder “Comms - Social”, see https://intranet.northfield.gov.uk/Keeper",
        "",
    ],
)
def test_where_the_password_is_kept_is_accepted(people, service_area, location):
    account = services.account_request(
        by=people["officer"], fields=new_account(people, service_area, credentials_location=location)
    )
    assert reloaded(account).credentials_location == location


def test_the_responsible_officer_must_work_in_the_accounts_service_area(
    people, service_area, other_service_area
):
    with pytest.raises(ValidationError) as caught:
        services.account_request(by=people["officer"], fields=new_account(people, other_service_area))
    assert "not Libraries" in caught.value.message_dict["responsible_officer"][0]
    assert not Account.objects.exists()


def test_someone_from_comms_may_run_any_service_areas_account(people, other_service_area):
    assert people["comms"].service_area != other_service_area
    account = services.account_request(
        by=people["officer"],
        fields=new_account(people, other_service_area, responsible_officer=people["comms"]),
    )
    assert account.responsible_officer == people["comms"]


def test_a_deputy_from_another_service_area_is_refused(people, service_area, other_service_area):
    outsider = PersonFactory(service_area=other_service_area, roles=[Role.OFFICER])
    with pytest.raises(ValidationError) as caught:
        services.account_request(
            by=people["officer"], fields=new_account(people, service_area, deputy=outsider)
        )
    assert field_errors(caught) == {"deputy"}


def test_someone_who_has_left_cannot_be_made_responsible(people, service_area):
    leaver = PersonFactory(
        service_area=service_area, left_on=datetime.date(2025, 1, 31), roles=[Role.OFFICER]
    )
    with pytest.raises(ValidationError) as caught:
        services.account_request(
            by=people["officer"], fields=new_account(people, service_area, responsible_officer=leaver)
        )
    assert "has left the council" in caught.value.message_dict["responsible_officer"][0]
    assert not Account.objects.exists()


# Editing


def test_a_closed_account_cannot_be_edited(people, service_area):
    account = AccountFactory(status=S.CLOSED, display_name="Old bins", service_area=service_area)
    with pytest.raises(ValidationError) as caught:
        services.account_update(
            account=account, by=people["comms"], version=account.version, changes={"display_name": "New bins"}
        )
    assert caught.value.messages[0].startswith("This account is closed: it can no longer be edited.")
    assert reloaded(account).display_name == "Old bins"


def test_an_account_closed_while_someone_edits_it_is_not_changed(people, service_area):
    account = AccountFactory(status=S.CLOSING, display_name="Old bins", service_area=service_area)
    services.account_close(account=account, by=people["comms"])  # `account` is now out of date
    with pytest.raises(ValidationError) as caught:
        services.account_update(
            account=account,
            by=people["comms"],
            version=reloaded(account).version,
            changes={"display_name": "New bins"},
        )
    assert "can no longer be edited" in caught.value.messages[0]
    assert reloaded(account).display_name == "Old bins"


def test_a_save_based_on_an_out_of_date_copy_is_refused(people, service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    seen = account.version
    services.account_update(account=account, by=people["comms"], version=seen, changes={"purpose": "Theirs."})
    with pytest.raises(ValidationError) as caught:
        services.account_update(
            account=account,
            by=people["officer"],
            version=seen,
            changes={"purpose": "Mine.", "display_name": "Mine"},
        )
    assert "Someone else changed this account" in caught.value.messages[0]
    account = reloaded(account)
    assert (account.purpose, account.version) == ("Theirs.", seen + 1)
    assert account.display_name != "Mine"


def test_the_responsible_officer_edits_the_description_only(people, service_area):
    officer = people["officer"]
    account = AccountFactory(service_area=service_area, responsible_officer=officer, managed_by_comms=False)

    services.account_update(
        account=account,
        by=officer,
        version=account.version,
        changes={"purpose": "Bin days.", "two_factor_enabled": True},
    )
    for governance in ({"managed_by_comms": True}, {"responsible_officer": people["reviewer"]}):
        with pytest.raises(PermissionDenied):
            services.account_update(
                account=account, by=officer, version=reloaded(account).version, changes=governance
            )

    account = reloaded(account)
    assert (account.purpose, account.two_factor_enabled) == ("Bin days.", True)
    assert (account.managed_by_comms, account.responsible_officer) == (False, officer)


@pytest.mark.parametrize("persona", ["reviewer", "head_of_service", "auditor"])
def test_people_not_responsible_cannot_edit(people, service_area, persona):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    with pytest.raises(PermissionDenied):
        services.account_update(
            account=account, by=people[persona], version=account.version, changes={"purpose": "X"}
        )
    assert reloaded(account).purpose == account.purpose


def test_comms_edits_governance_under_the_same_rules(people, service_area, other_service_area):
    account = AccountFactory(service_area=service_area, responsible_officer=people["officer"])
    with pytest.raises(ValidationError) as caught:
        services.account_update(
            account=account,
            by=people["comms"],
            version=account.version,
            changes={"service_area": other_service_area},
        )
    assert field_errors(caught) == {"responsible_officer"}
    services.account_update(
        account=account, by=people["comms"], version=account.version, changes={"review_required": False}
    )
    assert (reloaded(account).service_area, reloaded(account).review_required) == (service_area, False)


# Activity


def test_an_activity_check_updates_the_accounts_activity(people):
    account = AccountFactory(last_activity_at=timezone.now() - datetime.timedelta(days=40))
    today = timezone.localdate()

    check = services.account_record_check(
        account=account,
        by=people["comms"],
        checked_on=today,
        posts_last_30_days=6,
        last_post_on=today - datetime.timedelta(days=2),
        followers=1500,
    )

    account = reloaded(account)
    assert account.last_activity_at.astimezone(timezone.get_current_timezone()).date() == check.last_post_on
    assert (account.posts_last_30_days, account.followers) == (6, 1500)
    assert ActivityCheck.objects.get().checked_by == people["comms"]


def test_an_older_check_does_not_move_last_activity_back(people):
    recent = timezone.now() - datetime.timedelta(hours=3)
    account = AccountFactory(last_activity_at=recent)
    services.account_record_check(
        account=account,
        by=people["comms"],
        checked_on=timezone.localdate(),
        posts_last_30_days=1,
        last_post_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    assert reloaded(account).last_activity_at == recent


def test_a_check_finding_recent_posts_revives_a_dormant_account(people):
    account = AccountFactory(status=S.DORMANT, last_activity_at=timezone.now() - datetime.timedelta(days=120))
    services.account_record_check(
        account=account, by=people["comms"], checked_on=timezone.localdate(), posts_last_30_days=3
    )
    assert reloaded(account).status == S.ACTIVE


def test_a_check_finding_nothing_leaves_a_dormant_account_dormant(people):
    account = AccountFactory(status=S.DORMANT, last_activity_at=timezone.now() - datetime.timedelta(days=120))
    services.account_record_check(
        account=account, by=people["comms"], checked_on=timezone.localdate(), posts_last_30_days=0
    )
    assert (reloaded(account).status, reloaded(account).posts_last_30_days) == (S.DORMANT, 0)


def test_only_comms_record_checks_and_never_in_the_future(people):
    account = AccountFactory(responsible_officer=people["officer"])
    with pytest.raises(PermissionDenied):
        services.account_record_check(
            account=account, by=people["officer"], checked_on=timezone.localdate(), posts_last_30_days=3
        )
    with pytest.raises(ValidationError):
        services.account_record_check(
            account=account,
            by=people["comms"],
            checked_on=timezone.localdate() + datetime.timedelta(days=1),
            posts_last_30_days=3,
        )
    assert not ActivityCheck.objects.exists() and reloaded(account).posts_last_30_days is None


# Handover


@pytest.fixture
def leaver(service_area):
    return PersonFactory(service_area=service_area, left_on=datetime.date(2025, 3, 31), roles=[Role.OFFICER])


def hand_over(people, leaver, to_person, accounts, **kwargs):
    return services.accounts_hand_over(
        from_person=leaver,
        to_person=to_person,
        accounts=[a.pk for a in accounts],
        by=people["comms"],
        **kwargs,
    )


def test_the_accounts_chosen_are_handed_over_and_the_others_stay(people, service_area, leaver):
    successor = PersonFactory(service_area=service_area, roles=[Role.OFFICER])
    chosen = [
        AccountFactory(status=status, service_area=service_area, responsible_officer=leaver)
        for status in (S.REQUESTED, S.APPROVED, S.ACTIVE, S.DORMANT, S.CLOSING)
    ]
    deputised = AccountFactory(
        service_area=service_area, responsible_officer=people["officer"], deputy=leaver
    )
    kept = AccountFactory(service_area=service_area, responsible_officer=leaver)

    moved = hand_over(people, leaver, successor, [*chosen, deputised])

    assert len(moved) == 6
    assert {reloaded(a).responsible_officer for a in chosen} == {successor}
    assert (reloaded(deputised).responsible_officer, reloaded(deputised).deputy) == (
        people["officer"],
        successor,
    )
    assert reloaded(kept).responsible_officer == leaver
    assert {reloaded(a).version for a in chosen} == {2}
    logged = deputised.status_changes.get()
    assert (logged.action, logged.actor, logged.from_status, logged.to_status) == (
        "handed_over",
        people["comms"],
        S.ACTIVE,
        S.ACTIVE,
    )
    assert logged.comment == f"Handed over from {leaver} to {successor} (deputy); deputy: {successor}."
    assert notified(successor, "handed over to you")


def test_handing_an_account_to_its_deputy_asks_who_deputises_now(people, service_area, leaver):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver, deputy=people["officer"])
    [plan] = services.handover_plan(from_person=leaver, to_person=people["officer"], accounts=[account])
    assert plan.needs_deputy and plan.deputy is None

    with pytest.raises(ValidationError, match="Choose who becomes the deputy"):
        hand_over(people, leaver, people["officer"], [account])
    hand_over(people, leaver, people["officer"], [account], new_deputies={account.pk: people["reviewer"]})
    account = reloaded(account)
    assert (account.responsible_officer, account.deputy) == (people["officer"], people["reviewer"])


def test_the_new_deputy_may_be_nobody_but_never_someone_elsewhere(
    people, service_area, other_service_area, leaver
):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver, deputy=people["officer"])
    librarian = PersonFactory(service_area=other_service_area, roles=[Role.OFFICER])
    with pytest.raises(ValidationError, match="cannot deputise"):
        hand_over(people, leaver, people["officer"], [account], new_deputies={account.pk: librarian})
    hand_over(people, leaver, people["officer"], [account], new_deputies={account.pk: None})
    assert (reloaded(account).responsible_officer, reloaded(account).deputy) == (people["officer"], None)


def test_only_comms_hand_over_and_never_to_someone_who_has_left(people, service_area, leaver):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver)
    with pytest.raises(PermissionDenied):
        services.accounts_hand_over(
            from_person=leaver,
            to_person=people["officer"],
            accounts=[account.pk],
            by=people["head_of_service"],
        )
    other_leaver = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        hand_over(people, leaver, other_leaver, [account])
    assert reloaded(account).responsible_officer == leaver


def test_a_handover_to_someone_from_another_service_area_is_refused(
    people, service_area, other_service_area, leaver
):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver)
    librarian = PersonFactory(service_area=other_service_area, roles=[Role.OFFICER])
    assert services.people_who_may_run([account], [librarian, people["officer"], people["comms"]]) == [
        people["officer"],
        people["comms"],
    ]
    with pytest.raises(ValidationError, match="cannot run"):
        hand_over(people, leaver, librarian, [account])
    assert reloaded(account).responsible_officer == leaver


def test_everything_a_leaver_runs_or_deputises_on_can_go_to_one_person(people, service_area, leaver):
    runs = AccountFactory(service_area=service_area, responsible_officer=leaver, deputy=people["officer"])
    deputises = AccountFactory(
        service_area=service_area, responsible_officer=people["reviewer"], deputy=leaver
    )
    closed = AccountFactory(service_area=service_area, responsible_officer=leaver, status=S.CLOSED)

    services.accounts_transfer(from_person=leaver, to_person=people["officer"], by=people["comms"])

    assert (reloaded(runs).responsible_officer, reloaded(runs).deputy) == (people["officer"], None)
    assert reloaded(deputises).deputy == people["officer"]
    assert reloaded(closed).responsible_officer == leaver


def test_an_account_handed_over_meanwhile_is_not_handed_over_again(people, service_area, leaver):
    account = AccountFactory(service_area=service_area, responsible_officer=leaver)
    hand_over(people, leaver, people["officer"], [account])
    with pytest.raises(ValidationError, match="no longer"):
        hand_over(people, leaver, people["comms"], [account])
    assert reloaded(account).responsible_officer == people["officer"]


# Risk flags


def flagged(code: str) -> set[str]:
    return set(
        selectors.filter_by_flag(selectors.with_flags(Account.objects.all()), code).values_list(
            "display_name", flat=True
        )
    )


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("code", "positive", "negative"),
    [
        ("no_activity", {"last_activity_at": days_ago(91)}, {"last_activity_at": days_ago(89)}),
        (
            "no_activity",
            {"status": S.DORMANT, "last_activity_at": days_ago(1)},
            {"status": S.CLOSED, "last_activity_at": days_ago(200)},
        ),
        (
            "no_activity",
            {"created_at": days_ago(100), "last_activity_at": None},
            {"created_at": days_ago(10), "last_activity_at": None},
        ),
        ("no_deputy", {"deputy": None}, {"deputy": "deputy"}),
        ("no_two_factor", {"two_factor_enabled": False}, {"two_factor_enabled": True}),
        (
            "posts_rarely",
            {"posting_frequency": "weekly", "posts_last_30_days": 3},
            {"posting_frequency": "weekly", "posts_last_30_days": 4},
        ),
        (
            "posts_rarely",
            {"posting_frequency": "daily", "posts_last_30_days": 20},
            {"posting_frequency": "daily", "posts_last_30_days": None},
        ),
        ("officer_left", {"responsible_officer": "leaver"}, {"responsible_officer": "current"}),
        ("no_two_factor", {"status": S.ACTIVE}, {"status": S.REJECTED}),
    ],
)
def test_each_flag_is_raised_when_it_applies_and_only_then(service_area, code, positive, negative):
    persons = {
        "deputy": PersonFactory(service_area=service_area),
        "leaver": PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1)),
        "current": PersonFactory(service_area=service_area),
    }

    def make(name, fields):
        fields = {k: persons.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
        fields.setdefault("last_activity_at", days_ago(1))
        return AccountFactory(display_name=name, service_area=service_area, **fields)

    make("positive", positive)
    make("negative", negative)
    assert flagged(code) == {"positive"}
    # The register's list computes only the flag it filters on, not with_flags' every one.
    alone = selectors.filter_by_flag(Account.objects.all(), code)
    assert set(alone.values_list("display_name", flat=True)) == {"positive"}
    shown = selectors.with_flags(Account.objects.all())
    assert [f.code for f in selectors.flags_of(shown.get(display_name="positive"))].count(code) == 1
    assert code not in [f.code for f in selectors.flags_of(shown.get(display_name="negative"))]


@pytest.mark.parametrize("status", [S.REQUESTED, S.CLOSING])
def test_a_departed_officer_is_flagged_on_every_account_not_yet_closed(service_area, status):
    leaver = PersonFactory(service_area=service_area, left_on=datetime.date(2025, 1, 1))
    AccountFactory(display_name="positive", status=status, responsible_officer=leaver)
    assert flagged("officer_left") == {"positive"}


def test_a_flag_no_app_contributes_is_not_offered(service_area, monkeypatch):
    monkeypatch.setattr(contributions, "_flags", {})
    AccountFactory(service_area=service_area)
    assert "untrained" not in [f.code for f in selectors.active_flags()]
    assert "untrained" not in dict(AccountFilter().form.fields["flag"].choices)
    assert flagged("untrained") == set()
    assert not hasattr(selectors.with_flags(Account.objects.all()).get(), "flag_untrained")


def test_a_flag_another_app_contributes_is_computed_and_offered(service_area, monkeypatch):
    monkeypatch.setattr(contributions, "_flags", {})
    AccountFactory(display_name="positive", service_area=service_area, followers=None)
    AccountFactory(display_name="negative", service_area=service_area, followers=10)
    untrained = ExpressionWrapper(Q(followers__isnull=True), output_field=BooleanField())  # any test rule
    contributions.add_flag(
        "accounts_registry.Account",
        contributions.Flag(
            "untrained",
            "Nobody responsible is trained",
            "Train them.",
            lambda qs: qs.annotate(flag_untrained=untrained),
        ),
    )
    assert "untrained" in [f.code for f in selectors.active_flags()]
    assert "untrained" in dict(AccountFilter().form.fields["flag"].choices)
    assert flagged("untrained") == {"positive"}
    alone = selectors.filter_by_flag(Account.objects.all(), "untrained")
    assert set(alone.values_list("display_name", flat=True)) == {"positive"}
    shown = selectors.with_contributed_flags(Account.objects.select_related("responsible_officer"))
    assert [f.code for f in selectors.flags_of(shown.get(display_name="positive"))].count("untrained") == 1
