"""Ways into matching and imports: the navigation per role, and an account's merge/split link."""

import re

import pytest
from django.urls import reverse

from core.access import Role
from tests import factories

ROLE_FIXTURES = {
    Role.REP: "rep_user",
    Role.LEADER: "leader_user",
    Role.EXECUTIVE: "executive_user",
    Role.OPS: "ops_user",
}
NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.DOTALL)


def nav_of(response) -> str:
    found = NAV.search(response.content.decode())
    return found.group(0) if found else ""


@pytest.mark.parametrize(
    ("role", "sees_matching", "sees_imports"),
    [
        (Role.REP, False, False),
        (Role.LEADER, False, False),
        (Role.EXECUTIVE, True, False),
        (Role.OPS, True, True),
    ],
)
def test_matching_is_in_the_navigation_of_ops_and_executives_and_imports_of_ops_only(
    client, request, role, sees_matching, sees_imports
):
    client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))

    nav = nav_of(client.get(reverse("accounts:home")))

    assert nav
    assert (f'href="{reverse("accounts:match_review")}"' in nav) is sees_matching
    assert (f'href="{reverse("accounts:imports")}"' in nav) is sees_imports


def test_the_review_queue_marks_matching_as_the_current_section(client, ops_user):
    client.force_login(ops_user)

    nav = nav_of(client.get(reverse("accounts:match_review")))

    assert f'href="{reverse("accounts:match_review")}" aria-current="page"' in nav


def test_ops_find_merge_and_split_on_the_account_page(client, ops_user, merger):
    account = factories.UnifiedAccountFactory(merger=merger)
    client.force_login(ops_user)

    body = client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()

    assert f'href="{reverse("accounts:match_account", args=[account.pk])}"' in body


@pytest.mark.parametrize("fixture", ["rep_user", "leader_user", "executive_user"])
def test_people_who_cannot_change_matching_see_no_merge_and_split_link(
    client, request, fixture, merger
):
    account = factories.UnifiedAccountFactory(merger=merger)
    client.force_login(request.getfixturevalue(fixture))

    response = client.get(reverse("accounts:account_detail", args=[account.pk]))

    assert response.status_code == 200
    assert reverse("accounts:match_account", args=[account.pk]) not in response.content.decode()
