import pytest
from django.core.management import call_command

from organisation.models import Role, ServiceArea, User, Ward

pytestmark = pytest.mark.django_db


def test_demo_council_is_realistic_and_safe_to_create_twice(capsys):
    call_command("demo_data")
    first = (ServiceArea.objects.count(), Ward.objects.count(), User.objects.count())
    call_command("demo_data")
    assert (ServiceArea.objects.count(), Ward.objects.count(), User.objects.count()) == first
    assert ServiceArea.objects.count() == 52
    assert not ServiceArea.objects.filter(head_of_service__isnull=True).exists()
    assert User.objects.with_role(Role.COUNCILLOR).count() == 47
    assert not User.objects.with_role(Role.COUNCILLOR).filter(ward__isnull=True).exists()
    for role in Role:
        assert User.objects.with_role(role).exists(), role
    out = capsys.readouterr().out
    for login in ["comms@", "officer@", "reviewer@", "head.of.service@", "councillor@", "auditor@"]:
        assert login in out
    assert User.objects.get(email="comms@northfield.gov.uk").check_password("demo-password-2026")
    assert User.objects.get(email="comms@northfield.gov.uk").is_staff


def test_the_first_comms_user_is_made_without_a_password(capsys):
    call_command("create_comms_user", "Head.Comms@northfield.gov.uk", "--first-name", "Sam")
    person = User.objects.get(email="head.comms@northfield.gov.uk")
    assert person.has_role(Role.COMMS) and person.is_staff and not person.is_superuser
    assert not person.has_usable_password()
    call_command("create_comms_user", "head.comms@northfield.gov.uk")  # twice: no duplicate
    assert User.objects.filter(email__iexact="head.comms@northfield.gov.uk").count() == 1
