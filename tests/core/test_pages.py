import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_role_gets_a_home_page_saying_what_needs_attention(assert_statuses, clients):
    assert_statuses(
        reverse("home"),
        dict.fromkeys(
            ["comms", "officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"], 200
        ),
    )
    page = clients["officer"].get(reverse("home")).content.decode()
    assert "What needs your attention" in page
    assert "Northfield Borough Council" in page


def test_navigation_follows_the_role(clients):
    assert 'href="/people/"' in clients["comms"].get("/").content.decode()
    assert 'href="/people/"' in clients["auditor"].get("/").content.decode()
    assert 'href="/people/"' not in clients["officer"].get("/").content.decode()
    assert 'href="/admin/"' in clients["comms"].get("/").content.decode()
    assert 'href="/admin/"' not in clients["auditor"].get("/").content.decode()


def test_a_person_with_no_role_is_told_how_to_get_one(clients):
    assert "You have not been given a role" in clients["outsider"].get("/").content.decode()


def test_the_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Accessibility statement" in response.content.decode()


def test_a_wrong_role_gets_a_styled_403(clients):
    response = clients["officer"].get(reverse("people:list"))
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
    assert "govuk-template" in response.content.decode()


def test_an_unknown_page_gets_a_styled_404(clients):
    response = clients["comms"].get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_pages_forbid_framing_and_carry_a_strict_content_security_policy(clients):
    response = clients["comms"].get("/")
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_admin_is_for_the_communications_team_only(clients):
    got = {name: client.get("/admin/", follow=True) for name, client in clients.items()}
    assert got["comms"].status_code == 200
    assert got["anonymous"].redirect_chain[-1][0].startswith("/accounts/login/")
    for name in ["officer", "reviewer", "head_of_service", "councillor", "auditor", "outsider"]:
        assert got[name].status_code == 403, name


def test_admin_lets_comms_search_and_filter_people(clients):
    response = clients["comms"].get("/admin/organisation/user/", {"q": "officer", "groups__id__exact": "2"})
    assert response.status_code == 200


def test_admin_never_deletes_people(clients, people):
    response = clients["comms"].get(f"/admin/organisation/user/{people['officer'].pk}/delete/")
    assert response.status_code == 403


def test_the_admin_index_lists_what_comms_manage(clients):
    page = clients["comms"].get("/admin/").content.decode()
    for section in ["People", "Service areas", "Accounts", "Drafts", "Reviewer assignments", "Email outbox"]:
        assert section in page, section


def test_the_accessibility_statement_names_only_the_parts_the_service_has(client):
    from core.contributions import nav_items

    page = client.get(reverse("accessibility")).content.decode()
    assert f"Its parts are: {', '.join(item.label for item in nav_items())}." in page
    assert "blocking" not in page.lower() or any("block" in i.label.lower() for i in nav_items())
    assert "has not yet been audited" in page  # it does not claim more checking than was done
