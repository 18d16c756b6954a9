"""The supervision page and endpoint: flags per rep and team, scoped to whom a leader leads."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import UnifiedAccount
from core.access import Role
from tests import factories
from tracker.models import Stage

URL = "/pipeline/supervision/"
API = "/api/v1/supervision/"


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "won")


def thin_win(merger, owner, stages):
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        product=factories.ProductFactory(company=owner.company),
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=dt.date(2026, 3, 1),
        customer_need="wants it",
    )


def dont_sell(merger, owner, stages):
    account = factories.UnifiedAccountFactory(
        merger=merger, recommendation=UnifiedAccount.Recommendation.DONT_SELL
    )
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        account=account,
        product=factories.ProductFactory(company=owner.company),
        stage=stages["identified"],
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("rep_user", 403), ("leader_user", 200), ("executive_user", 200), ("ops_user", 200)],
)
def test_each_role_gets_the_supervision_page_its_rules_allow(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == expected


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_leader_sees_their_teams_flags_with_links(
    client, leader_user, merger, rep, other_rep, stages
):
    thin = thin_win(merger, rep, stages)
    risky = dont_sell(merger, rep, stages)
    thin_win(merger, other_rep, stages)
    client.force_login(leader_user)
    response = client.get(URL)
    overview = response.context["overview"]
    assert [row.rep_id for row in overview.reps] == [rep.pk]
    assert (overview.reps[0].flags.thin_need_wins, overview.reps[0].flags.dont_sell) == (
        [thin.pk],
        [risky.pk],
    )
    [team] = overview.teams
    assert (team.name, team.reps_flagged, team.thin_need_wins, team.dont_sell) == (
        "Central",
        1,
        1,
        1,
    )
    body = response.content.decode()
    assert f'href="/pipeline/{thin.pk}/"' in body
    assert f'href="/pipeline/{risky.pk}/"' in body


def test_an_executive_sees_every_team(client, executive_user, merger, rep, other_rep, stages):
    thin_win(merger, rep, stages)
    thin_win(merger, other_rep, stages)
    client.force_login(executive_user)
    overview = client.get(URL).context["overview"]
    assert {row.rep_id for row in overview.reps} == {rep.pk, other_rep.pk}
    assert {team.name for team in overview.teams} == {"Central", "East"}


def test_a_burst_of_untouched_opportunities_is_flagged(client, ops_user, merger, rep, stages):
    product_company = rep.company
    for _ in range(10):
        factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            product=factories.ProductFactory(company=product_company),
            stage=stages["identified"],
            created_at=timezone.now(),
        )
    client.force_login(ops_user)
    [row] = client.get(URL).context["overview"].reps
    assert [opened for _day, opened in row.flags.bursts] == [10]


def test_no_flags_says_so(client, leader_user, rep):
    client.force_login(leader_user)
    assert "No flags." in client.get(URL).content.decode()


def test_a_leader_of_another_program_sees_none_of_these_flags(client, merger, rep, stages):
    thin_win(merger, rep, stages)
    elsewhere = factories.MergerFactory(name="Another deal")
    leader = factories.UserFactory(username="other_leader", role=Role.LEADER)
    factories.MembershipFactory(merger=elsewhere, user=leader)
    client.force_login(leader)
    assert client.get(URL).context["overview"].reps == []


def _queries(user) -> int:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_flags(
    executive_user, merger, rep, other_rep, stages
):
    for _ in range(3):
        thin_win(merger, rep, stages)
        dont_sell(merger, other_rep, stages)
    few = _queries(executive_user)
    for _ in range(25):
        thin_win(merger, rep, stages)
        dont_sell(merger, other_rep, stages)
        thin_win(merger, factories.RepFactory(merger=merger), stages)
    assert _queries(executive_user) == few


# The endpoint.


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_api_lists_a_leaders_team_flags(leader_user, merger, rep, other_rep, stages):
    thin = thin_win(merger, rep, stages)
    thin_win(merger, other_rep, stages)
    response = api(leader_user).get(API, {"merger": merger.pk})
    assert response.status_code == 200
    [row] = response.json()
    assert (row["rep"], row["team_name"], row["thin_need_wins"], row["total"]) == (
        rep.pk,
        "Central",
        [thin.pk],
        1,
    )
    assert row["bursts"] == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("rep_user", 403), ("executive_user", 200), ("ops_user", 200), (None, 401)],
)
def test_the_api_is_for_leaders_executives_and_ops(request, merger, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert api(user).get(API, {"merger": merger.pk}).status_code == expected


def test_the_api_answers_404_for_another_program(leader_user, db):
    elsewhere = factories.MergerFactory(name="Another deal")
    assert api(leader_user).get(API, {"merger": elsewhere.pk}).status_code == 404
