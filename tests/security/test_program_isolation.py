"""Objects of one merger program are never visible to the members of another.

Two programs hold the same kinds of objects; every one of program B's names
starts with "Bravo". Members of program A, in each role, read every list page
and list endpoint of the access matrix and must meet none of B's names or ids;
every detail URL (and every write on an object) with B's ids is a 404, even for
A's sales ops, who may open everything of their own program.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from core.access import Role
from tests import factories
from tests.security.probe import client_for, send
from tests.security.test_access_matrix import CHECKED, EXPECTED, url_of
from tests.security.world import World, world_build

MARK = "Bravo"
READERS = ("rep", "leader", "executive", "ops")
LISTS = sorted(
    name
    for name, rule in EXPECTED.items()
    if name in CHECKED and rule.method == "GET" and not rule.obj and rule.anonymous != "allowed"
)
OBJECTS = sorted(name for name, rule in EXPECTED.items() if name in CHECKED and rule.obj)


def bravo(kind: str) -> str:
    return f"{MARK} {kind}"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def program_a(settings, tmp_path, merger, acquirer, acquired, team, rep) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_build(merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep)


@pytest.fixture
def program_b(program_a) -> World:
    merger = factories.MergerFactory(name=f"{MARK} deal")
    acquirer = factories.CompanyFactory(
        merger=merger, name=f"{MARK} Instruments", short_name=MARK, role="acquirer"
    )
    acquired = factories.CompanyFactory(
        merger=merger, name=f"{MARK} Analytics", short_name=f"{MARK}2", role="acquired"
    )
    leader = factories.UserFactory(username="bravo_leader", first_name=MARK, role=Role.LEADER)
    seller = factories.UserFactory(
        username="bravo_rep", first_name=MARK, last_name=MARK, role=Role.REP
    )
    for user in (leader, seller):
        factories.MembershipFactory(merger=merger, user=user)
    team = factories.TeamFactory(merger=merger, name=f"{MARK} team", leader=leader)
    rep = factories.RepFactory(merger=merger, user=seller, team=team, company=acquirer)
    return world_build(
        merger=merger, acquirer=acquirer, acquired=acquired, team=team, rep=rep, name=bravo
    )


@pytest.fixture
def members_of_a(rep_user, leader_user, executive_user, ops_user) -> dict[str, Client]:
    users = {"rep": rep_user, "leader": leader_user, "executive": executive_user, "ops": ops_user}
    return {persona: client_for(user) for persona, user in users.items()}


def _result_ids(data) -> set[int]:
    """The ids of a list answer's own records (paged or not), not of records nested in them."""
    rows = data.get("results", []) if isinstance(data, dict) else data
    return {row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)}


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _detail_object(list_name: str) -> str:
    """The World attribute behind an API list, from its detail route's rule."""
    detail = EXPECTED.get(list_name.removesuffix("-list") + "-detail")
    return detail.obj if detail else ""


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_members_nothing_of_another_program(name, program_a, program_b, members_of_a):
    route, rule = CHECKED[name], EXPECTED[name]
    url = url_of(route, rule, program_a)
    for persona in READERS:
        if rule.expected(persona) != "allowed":
            continue
        response = members_of_a[persona].get(url)
        if route.is_api and response.status_code == 400:
            # A report that answers for one program at a time: ask for A's.
            response = members_of_a[persona].get(url, {"merger": program_a.merger.pk})
        assert response.status_code in (200, 302, 400), f"{persona}: {url}"
        assert MARK not in _text(response), f"{persona} sees program B on {url}"
        kind = _detail_object(name) if route.is_api else ""
        if kind and response.status_code == 200:
            assert program_b.pk(kind) not in _result_ids(response.json()), f"{persona}: {url}"


@pytest.mark.parametrize("name", sorted(name for name in LISTS if CHECKED[name].is_api))
def test_filtering_an_api_list_by_another_program_shows_nothing_of_it(
    name, program_a, program_b, members_of_a
):
    url = url_of(CHECKED[name], EXPECTED[name], program_a)
    response = members_of_a["ops"].get(url, {"merger": program_b.merger.pk})

    # Empty, or the filter's refusal: the other program is not one of the user's.
    assert response.status_code in (200, 400, 404)
    assert MARK not in _text(response)


@pytest.mark.parametrize("name", OBJECTS)
def test_another_programs_objects_are_not_found(name, program_a, program_b, members_of_a):
    rule = EXPECTED[name]
    url = url_of(CHECKED[name], rule, program_b)
    data = rule.data(program_b) if rule.data else None
    for persona in READERS:
        if rule.expected(persona) != "allowed":
            continue
        response = send(members_of_a[persona], rule.method, url, data)
        assert response.status_code == 404, f"{persona}: {rule.method} {url}"
