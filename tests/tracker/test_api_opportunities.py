"""The opportunity API: role matrix, isolation, rules as 400s, stale versions as 409s."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Direction, RecordChange
from tests import factories
from tests.history import change_kept, field_lines
from tracker.models import Opportunity, Stage

API = "/api/v1/opportunities/"
PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user", None]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_as(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won")


@pytest.fixture
def product(acquired):
    return factories.ProductFactory(company=acquired)


@pytest.fixture
def opportunity(merger, rep, product, stages):
    return factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )


def new_opportunity_body(merger, stages, **overrides) -> dict:
    return {
        "merger": merger.pk,
        "account": factories.UnifiedAccountFactory(merger=merger).pk,
        "product": factories.ProductFactory(company=factories.CompanyFactory(merger=merger)).pk,
        "stage": stages["identified"].pk,
        "direction": Direction.A_TO_B,
        "expected_close": "2026-12-31",
        "customer_need": "Replace paper inspections",
        **overrides,
    }


EXPECTED = {
    # action: rep (owner), leader (owner's team), executive, ops, anonymous
    "list": (200, 200, 200, 200, 401),
    "retrieve": (200, 200, 200, 200, 401),
    "create": (201, 201, 403, 201, 401),
    "update": (200, 200, 403, 200, 401),
    "delete": (403, 403, 403, 204, 401),
}


@pytest.mark.parametrize("action", EXPECTED)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_what_the_access_rules_allow(
    request, merger, rep, stages, opportunity, persona, action
):
    user = request.getfixturevalue(persona) if persona else None
    client = client_as(user)
    detail = f"{API}{opportunity.pk}/"
    if action == "list":
        response = client.get(API)
    elif action == "retrieve":
        response = client.get(detail)
    elif action == "create":
        body = new_opportunity_body(merger, stages)
        if persona != "rep_user":
            body["owner"] = rep.pk
        response = client.post(API, body, format="json")
    elif action == "update":
        response = client.patch(detail, {"next_step": "Demo", "version": 1}, format="json")
    else:
        response = client.delete(detail)
    index = PERSONAS.index(persona)
    assert response.status_code == EXPECTED[action][index], response.content


def test_a_rep_cannot_edit_another_reps_opportunity(opportunity, other_rep):
    response = client_as(other_rep.user).patch(
        f"{API}{opportunity.pk}/", {"next_step": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_a_leader_cannot_edit_opportunities_outside_their_team(
    merger, leader_user, other_rep, product, stages
):
    theirs = factories.OpportunityFactory(
        merger=merger, owner=other_rep, product=product, stage=stages["identified"]
    )
    response = client_as(leader_user).patch(
        f"{API}{theirs.pk}/", {"next_step": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_a_rep_logging_without_an_owner_owns_the_opportunity(merger, rep, rep_user, stages):
    response = client_as(rep_user).post(API, new_opportunity_body(merger, stages), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["owner"], body["probability"], body["version"]) == (rep.pk, 10, 1)
    assert body["outcome"] == "open"


def test_a_rep_cannot_log_an_opportunity_for_another_rep(merger, rep_user, other_rep, stages):
    body = new_opportunity_body(merger, stages, owner=other_rep.pk)
    assert client_as(rep_user).post(API, body, format="json").status_code == 403


def test_someone_who_is_not_a_rep_must_name_the_owner(merger, ops_user, stages):
    response = client_as(ops_user).post(API, new_opportunity_body(merger, stages), format="json")
    assert response.status_code == 400
    assert "owner" in response.json()


def test_an_outsider_sees_nothing_of_the_program(merger, opportunity, outsider_user, stages):
    client = client_as(outsider_user)
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}{opportunity.pk}/").status_code == 404
    assert client.get(f"{API}{opportunity.pk}/history/").status_code == 404
    patch = client.patch(f"{API}{opportunity.pk}/", {"version": 1, "next_step": "x"})
    assert patch.status_code == 404
    response = client.post(API, new_opportunity_body(merger, stages), format="json")
    assert response.status_code == 400
    assert {"merger", "account", "product", "stage"} <= set(response.json())


def test_a_duplicate_open_opportunity_is_refused_with_the_first_ones_id(
    merger, rep_user, opportunity, stages
):
    body = new_opportunity_body(
        merger, stages, account=opportunity.account_id, product=opportunity.product_id
    )
    response = client_as(rep_user).post(API, body, format="json")
    assert response.status_code == 400
    assert f"#{opportunity.pk}" in response.json()["product"][0]


def test_winning_without_a_close_date_is_a_400_on_that_field(rep_user, opportunity, stages):
    response = client_as(rep_user).patch(
        f"{API}{opportunity.pk}/", {"stage": stages["won"].pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "closed_on" in response.json()


def test_an_update_without_a_version_is_refused(rep_user, opportunity):
    response = client_as(rep_user).patch(
        f"{API}{opportunity.pk}/", {"next_step": "Demo"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_stale_version_gets_409_and_changes_nothing(rep_user, leader_user, opportunity):
    url = f"{API}{opportunity.pk}/"
    first = client_as(leader_user).patch(url, {"amount": "30000.00", "version": 1}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2

    late = client_as(rep_user).patch(url, {"amount": "1.00", "version": 1}, format="json")
    assert late.status_code == 409
    assert late.json()["current_version"] == 2
    assert "version" in late.json()["detail"]
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("30000.00")


def test_a_full_update_replaces_the_fields_sent(rep_user, opportunity, stages):
    body = {
        "account": opportunity.account_id,
        "product": opportunity.product_id,
        "stage": stages["proposal"].pk,
        "direction": Direction.A_TO_B,
        "expected_close": "2026-11-30",
        "customer_need": "Audit findings on inspections",
        "version": 1,
    }
    response = client_as(rep_user).put(f"{API}{opportunity.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["stage_name"], response.json()["probability"]) == ("Proposal", 60)


def test_the_history_shows_who_changed_what_from_what_to_what(rep_user, opportunity, stages):
    client = client_as(rep_user)
    client.patch(
        f"{API}{opportunity.pk}/",
        {"stage": stages["proposal"].pk, "expected_close": "2026-08-31", "version": 1},
        format="json",
    )
    rows = client.get(f"{API}{opportunity.pk}/history/").json()["results"]
    by_field = {row["field"]: row for row in rows}
    assert by_field["expected_close"]["old_value"] == "2026-06-30"
    assert by_field["expected_close"]["new_value"] == "2026-08-31"
    assert by_field["stage"]["changed_by"] == rep_user.pk
    assert by_field["probability"]["new_value"] == "60"


def test_reopening_is_an_explicit_counted_action(merger, rep, rep_user, product, stages):
    won = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=dt.date(2026, 3, 1),
    )
    client = client_as(rep_user)
    via_stage = client.patch(
        f"{API}{won.pk}/", {"stage": stages["proposal"].pk, "version": 1}, format="json"
    )
    assert via_stage.status_code == 400

    response = client.post(
        f"{API}{won.pk}/reopen/", {"version": 1, "stage": stages["proposal"].pk}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["outcome"], body["reopen_count"], body["closed_on"]) == ("open", 1, None)
    assert field_lines(won, action=RecordChange.Action.REOPENED)


def test_an_executive_cannot_reopen(merger, rep, executive_user, product, stages):
    won = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        product=product,
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        closed_on=dt.date(2026, 3, 1),
    )
    response = client_as(executive_user).post(f"{API}{won.pk}/reopen/", {"version": 1})
    assert response.status_code == 403


def test_delete_with_a_stale_version_is_a_409(ops_user, opportunity):
    response = client_as(ops_user).delete(f"{API}{opportunity.pk}/?version=5")
    assert response.status_code == 409
    assert Opportunity.objects.filter(pk=opportunity.pk).exists()


def test_opportunities_are_filtered_by_owner_and_mine(
    merger, rep_user, rep, other_rep, product, stages
):
    mine = factories.OpportunityFactory(
        merger=merger, owner=rep, product=product, stage=stages["identified"]
    )
    factories.OpportunityFactory(
        merger=merger, owner=other_rep, product=product, stage=stages["identified"]
    )
    client = client_as(rep_user)
    assert [r["id"] for r in client.get(API, {"mine": "true"}).json()["results"]] == [mine.pk]
    by_owner = client.get(API, {"owner": other_rep.pk}).json()["results"]
    assert [r["owner"] for r in by_owner] == [other_rep.pk]


def _list_queries(user, path: str) -> int:
    # A fresh user object each time: roles and programs are cached on the instance.
    client = client_as(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _add_opportunities(merger, stages, n: int) -> None:
    for _ in range(n):
        owner = factories.RepFactory(merger=merger)
        factories.OpportunityFactory(
            merger=merger,
            owner=owner,
            product=factories.ProductFactory(company=owner.company),
            stage=stages["identified"],
        )


def test_the_list_query_count_does_not_grow_with_rows(merger, executive_user, stages):
    _add_opportunities(merger, stages, 2)
    few = _list_queries(executive_user, API)
    _add_opportunities(merger, stages, 8)
    assert _list_queries(executive_user, API) == few


def test_the_history_query_count_does_not_grow_with_rows(rep_user, opportunity):
    for n in range(8):
        change_kept(
            opportunity,
            action=RecordChange.Action.CHANGED,
            field="next_step",
            new=str(n),
            actor=rep_user,
            at=opportunity.created_at,
        )
    path = f"{API}{opportunity.pk}/history/"
    few = _list_queries(rep_user, path + "?page_size=2")
    assert _list_queries(rep_user, path + "?page_size=8") == few
