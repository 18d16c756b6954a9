"""Scorecards pages: the scorecard and dashboard sections."""

import pytest
from django.urls import reverse

from core.access import RULES, Action, Role
from tests import factories

ROLE_FIXTURES = {
    Role.REP: "rep_user",
    Role.LEADER: "leader_user",
    Role.EXECUTIVE: "executive_user",
    Role.OPS: "ops_user",
}
PAGES = {"scorecards:scorecard": "scorecard", "scorecards:dashboard": "dashboard"}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", list(PAGES))
def test_each_role_gets_the_scorecard_pages_its_rules_allow(client, request, role, url_name):
    client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
    expected = 200 if role in RULES[(PAGES[url_name], Action.VIEW)] else 403
    assert client.get(reverse(url_name)).status_code == expected


@pytest.mark.parametrize("url_name", list(PAGES))
def test_anonymous_visitor_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", list(PAGES))
def test_member_without_a_role_is_refused(client, merger, url_name):
    user = factories.UserFactory(username="no_role")
    factories.MembershipFactory(merger=merger, user=user)
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == 403


def test_role_removed_from_the_rules_is_refused(client, rep_user, monkeypatch):
    monkeypatch.setitem(RULES, ("dashboard", Action.VIEW), frozenset({Role.EXECUTIVE}))
    client.force_login(rep_user)
    assert client.get(reverse("scorecards:dashboard")).status_code == 403


@pytest.mark.parametrize(
    ("url_name", "explanation"),
    [
        ("scorecards:scorecard", "This program has no segments yet"),
        ("scorecards:dashboard", "What this dashboard still needs"),
    ],
)
def test_empty_program_says_what_to_do_first(client, executive_user, url_name, explanation):
    client.force_login(executive_user)
    body = client.get(reverse(url_name)).content.decode()
    assert explanation in body
    assert 'aria-current="page"' in body


def test_outsider_sees_their_own_program_name_only(client, outsider_user, merger):
    client.force_login(outsider_user)
    body = client.get(reverse("scorecards:scorecard")).content.decode()
    assert merger.name not in body
    assert "Another deal" in body
