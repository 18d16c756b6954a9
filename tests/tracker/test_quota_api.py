"""The quota endpoint: role matrix, program isolation, versions as 409s, filters, history."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests import factories
from tracker.models import Quota
from tracker.services.quotas import quota_set

URL = "/api/v1/quotas/"
MARCH = dt.date(2026, 3, 1)


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _set(actor, rep, cross="20000", **kwargs):
    return quota_set(
        actor=actor,
        rep=rep,
        period_start=kwargs.pop("period_start", MARCH),
        period_kind=kwargs.pop("period_kind", "month"),
        core_amount=Decimal("100000"),
        cross_sell_amount=Decimal(cross),
        **kwargs,
    )


def _body(rep, **overrides) -> dict:
    return {
        "rep": rep.pk,
        "period_kind": "month",
        "period_start": "2026-03-15",
        "core_amount": "100000.00",
        "cross_sell_amount": "20000.00",
        **overrides,
    }


@pytest.mark.parametrize(
    ("persona", "read", "create"),
    [
        (None, 401, 401),
        ("rep_user", 200, 403),
        ("leader_user", 200, 201),
        ("executive_user", 200, 403),
        ("ops_user", 200, 201),
        ("outsider_user", 200, 403),
    ],
)
def test_quota_endpoint_role_matrix(request, rep, persona, read, create):
    user = request.getfixturevalue(persona) if persona else None
    assert _api(user).get(URL).status_code == read
    assert _api(user).post(URL, _body(rep), format="json").status_code == create


def test_ops_of_another_program_cannot_name_this_programs_rep(rep):
    ops_elsewhere = factories.UserFactory(username="ops2", role="sales_ops")
    factories.MembershipFactory(user=ops_elsewhere)
    response = _api(ops_elsewhere).post(URL, _body(rep), format="json")
    assert response.status_code == 400
    assert "rep" in response.json()


def test_a_created_quota_starts_on_the_first_of_its_month(ops_user, rep):
    response = _api(ops_user).post(URL, _body(rep), format="json")
    assert response.json()["period_start"] == "2026-03-01"
    assert response.json()["period"] == "2026-03"
    assert response.json()["version"] == 1


def test_a_leader_cannot_set_their_own_or_another_teams_quota(
    merger, leader_user, team, other_rep, acquirer
):
    own = factories.RepFactory(merger=merger, user=leader_user, team=team, company=acquirer)
    client = _api(leader_user)
    assert client.post(URL, _body(own), format="json").status_code == 403
    assert client.post(URL, _body(other_rep), format="json").status_code == 403


def test_a_leader_cannot_update_another_teams_quota(leader_user, ops_user, other_rep):
    quota = _set(ops_user, other_rep)
    response = _api(leader_user).patch(
        f"{URL}{quota.pk}/", {"cross_sell_amount": "1", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_two_updates_at_the_same_version_one_wins_the_other_gets_409(leader_user, rep):
    quota = _set(leader_user, rep)
    client = _api(leader_user)
    first = client.patch(f"{URL}{quota.pk}/", {"cross_sell_amount": "1", "version": 1})
    second = client.patch(f"{URL}{quota.pk}/", {"cross_sell_amount": "2", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert Quota.objects.get().cross_sell_amount == Decimal("1")


def test_creating_a_quota_that_exists_is_a_conflict(ops_user, rep):
    _set(ops_user, rep)
    response = _api(ops_user).post(URL, _body(rep), format="json")
    assert response.status_code == 409


def test_an_update_needs_the_version_and_valid_amounts(ops_user, rep):
    quota = _set(ops_user, rep)
    client = _api(ops_user)
    assert client.patch(f"{URL}{quota.pk}/", {"core_amount": "1"}).status_code == 400
    negative = client.put(
        f"{URL}{quota.pk}/", {"core_amount": "-1", "cross_sell_amount": "1", "version": 1}
    )
    assert negative.status_code == 400


def test_quotas_are_never_deleted(ops_user, rep):
    quota = _set(ops_user, rep)
    assert _api(ops_user).delete(f"{URL}{quota.pk}/").status_code == 405


def test_quotas_filter_by_rep_team_and_period(merger, ops_user, rep, other_rep, team):
    month = _set(ops_user, rep)
    quarter = _set(ops_user, other_rep, period_kind="quarter", period_start=dt.date(2026, 1, 1))
    _set(ops_user, rep, period_start=dt.date(2026, 5, 1))
    client = _api(ops_user)

    def ids(**params) -> set[int]:
        return {item["id"] for item in client.get(URL, params).json()["results"]}

    assert ids(period="2026-03") == {month.pk, quarter.pk}
    assert ids(period="2026-Q1") == {month.pk, quarter.pk}
    assert ids(rep=other_rep.pk) == {quarter.pk}
    assert ids(team=team.pk, period="2026-03") == {month.pk}
    assert client.get(URL, {"period": "March"}).status_code == 400


def test_outsiders_see_no_quota_and_get_404_on_one(ops_user, outsider_user, rep):
    quota = _set(ops_user, rep)
    client = _api(outsider_user)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{quota.pk}/").status_code == 404
    assert client.get(f"{URL}{quota.pk}/history/").status_code == 404


def test_a_quotas_history_lists_who_changed_what(leader_user, rep_user, rep):
    quota = _set(leader_user, rep)
    _set(leader_user, rep, cross="25000", expected_version=1)
    changes = _api(rep_user).get(f"{URL}{quota.pk}/history/").json()["results"]
    assert changes[0]["field"] == "cross_sell_amount"
    assert (changes[0]["old_value"], changes[0]["new_value"]) == ("20000.00", "25000.00")
    assert changes[0]["changed_by"] == leader_user.pk
