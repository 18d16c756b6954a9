"""The reference-data API: who may do what, program isolation, token sign-in."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.api.auth import ObtainTokenView
from accounts.models import LegacyCompany, MatchDecision, Merger, ProgramMembership
from core.access import Role
from tests import factories

API = "/api/v1"
PERSONAS = ["rep_user", "leader_user", "executive_user", "ops_user", None]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas have passwords; the production hasher costs a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def client_as(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass(frozen=True)
class Resource:
    path: str
    existing: Callable[[Merger], Any]
    payload: Callable[[Merger], dict]
    change: dict


RESOURCES = {
    "mergers": Resource(
        path="mergers",
        existing=lambda merger: merger,
        payload=lambda merger: {"name": "Next deal", "day_one": "2026-09-01"},
        change={"horizon_months": 60},
    ),
    "companies": Resource(
        path="companies",
        existing=lambda merger: factories.CompanyFactory(merger=merger),
        payload=lambda merger: {
            "merger": merger.pk,
            "name": "Newco",
            "short_name": "New",
            "role": "acquired",
        },
        change={"crm": "hubspot"},
    ),
    "segments": Resource(
        path="segments",
        existing=lambda merger: factories.SegmentFactory(merger=merger),
        payload=lambda merger: {"merger": merger.pk, "name": "Mid-market EMEA"},
        change={"region": "EMEA"},
    ),
    "accounts": Resource(
        path="accounts",
        existing=lambda merger: factories.UnifiedAccountFactory(merger=merger),
        payload=lambda merger: {"merger": merger.pk, "name": "Acme Mining"},
        change={"city": "Lyon"},
    ),
    "products": Resource(
        path="products",
        existing=lambda merger: factories.ProductFactory(
            company=factories.CompanyFactory(merger=merger)
        ),
        payload=lambda merger: {
            "company": factories.CompanyFactory(merger=merger).pk,
            "code": "VIB-9",
            "name": "Vibration sensor",
            "list_price": "1200.00",
        },
        change={"name": "Vibration sensor, 2nd generation"},
    ),
}

READ = {"rep_user": 200, "leader_user": 200, "executive_user": 200, "ops_user": 200, None: 401}
WRITE_OK = {"create": 201, "update": 200, "delete": 204}


def expected_status(persona: str | None, action: str) -> int:
    if action in ("list", "retrieve"):
        return READ[persona]
    if persona is None:
        return 401
    # Reference data is maintained by sales ops only (core.access.RULES).
    return WRITE_OK[action] if persona == "ops_user" else 403


def call(client: APIClient, resource: Resource, action: str, merger: Merger):
    obj = resource.existing(merger)
    collection = f"{API}/{resource.path}/"
    detail = f"{collection}{obj.pk}/"
    if action == "list":
        return client.get(collection)
    if action == "retrieve":
        return client.get(detail)
    if action == "create":
        return client.post(collection, resource.payload(merger), format="json")
    if action == "update":
        return client.patch(detail, resource.change, format="json")
    return client.delete(detail)


@pytest.mark.parametrize("resource_name", RESOURCES)
@pytest.mark.parametrize("action", ["list", "retrieve", "create", "update", "delete"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_what_the_access_rules_allow(
    request, merger, persona, action, resource_name
):
    user = request.getfixturevalue(persona) if persona else None
    response = call(client_as(user), RESOURCES[resource_name], action, merger)
    assert response.status_code == expected_status(persona, action), response.content


def test_an_anonymous_client_is_told_to_authenticate_with_a_token(merger):
    response = APIClient().get(f"{API}/accounts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_is_obtained_with_username_and_password_and_then_authenticates(rep_user):
    client = APIClient()
    response = client.post(
        f"{API}/auth/token/", {"username": "rep", "password": "pw"}, format="json"
    )
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=rep_user).key == key

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"{API}/mergers/").json()["count"] == 1


def test_a_wrong_password_gets_no_token(rep_user):
    response = APIClient().post(
        f"{API}/auth/token/", {"username": "rep", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.filter(user=rep_user).exists()


def test_token_requests_are_throttled_by_the_token_rate(rep_user, monkeypatch):
    throttle = ObtainTokenView.throttle_classes[0]
    monkeypatch.setitem(throttle.THROTTLE_RATES, "token", "2/minute")
    client = APIClient()
    body = {"username": "rep", "password": "wrong"}
    statuses = [client.post(f"{API}/auth/token/", body).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_an_outsider_sees_empty_lists_and_404s(merger, outsider_user):
    account = factories.UnifiedAccountFactory(merger=merger)
    client = client_as(outsider_user)
    assert client.get(f"{API}/accounts/").json()["count"] == 0
    assert client.get(f"{API}/mergers/").json()["results"][0]["name"] == "Another deal"
    assert client.get(f"{API}/accounts/{account.pk}/").status_code == 404
    assert client.get(f"{API}/mergers/{merger.pk}/").status_code == 404


def test_sales_ops_of_another_program_cannot_touch_this_one(merger):
    other = factories.MergerFactory(name="Their deal")
    their_ops = factories.UserFactory(username="their_ops", role=Role.OPS)
    factories.MembershipFactory(merger=other, user=their_ops)
    segment = factories.SegmentFactory(merger=merger)
    client = client_as(their_ops)

    assert client.patch(f"{API}/segments/{segment.pk}/", {"region": "X"}).status_code == 404
    assert client.delete(f"{API}/segments/{segment.pk}/").status_code == 404
    response = client.post(f"{API}/segments/", {"merger": merger.pk, "name": "Sneaky"})
    assert response.status_code == 400
    assert "merger" in response.json()


def test_an_account_cannot_take_a_segment_of_another_program(merger, ops_user):
    other = factories.MergerFactory(name="Their deal")
    factories.MembershipFactory(merger=other, user=ops_user)
    foreign_segment = factories.SegmentFactory(merger=other)
    response = client_as(ops_user).post(
        f"{API}/accounts/",
        {"merger": merger.pk, "name": "Acme", "segment": foreign_segment.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "segment" in response.json()


def test_a_product_family_must_belong_to_the_products_company(merger, ops_user, acquirer):
    other_company_family = factories.FamilyFactory(company=factories.CompanyFactory(merger=merger))
    response = client_as(ops_user).post(
        f"{API}/products/",
        {"company": acquirer.pk, "family": other_company_family.pk, "code": "A", "name": "A"},
        format="json",
    )
    assert response.status_code == 400
    assert "family" in response.json()


def test_an_object_cannot_move_to_another_program(merger, ops_user):
    other = factories.MergerFactory(name="Their deal")
    factories.MembershipFactory(merger=other, user=ops_user)
    company = factories.CompanyFactory(merger=merger)
    response = client_as(ops_user).patch(
        f"{API}/companies/{company.pk}/", {"merger": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert LegacyCompany.objects.get(pk=company.pk).merger_id == merger.pk


def test_a_second_acquirer_is_refused(merger, ops_user, acquirer):
    response = client_as(ops_user).post(
        f"{API}/companies/",
        {"merger": merger.pk, "name": "Other buyer", "short_name": "OB", "role": "acquirer"},
        format="json",
    )
    assert response.status_code == 400


def test_a_program_created_through_the_api_has_its_creator_as_member(ops_user):
    client = client_as(ops_user)
    response = client.post(
        f"{API}/mergers/",
        {"name": "Next deal", "day_one": "2026-09-01", "reporting_currency": "EUR"},
        format="json",
    )
    assert response.status_code == 201
    merger_id = response.json()["id"]
    assert ProgramMembership.objects.filter(merger_id=merger_id, user=ops_user).exists()
    assert client.get(f"{API}/mergers/{merger_id}/").status_code == 200


def test_a_currency_must_be_an_iso_code(ops_user):
    response = client_as(ops_user).post(
        f"{API}/mergers/",
        {"name": "Next deal", "day_one": "2026-09-01", "reporting_currency": "usd"},
        format="json",
    )
    assert response.status_code == 400
    assert "reporting_currency" in response.json()


def test_the_accountable_leader_must_be_a_member(merger, ops_user, outsider_user, leader_user):
    client = client_as(ops_user)
    url = f"{API}/mergers/{merger.pk}/"
    assert client.patch(url, {"accountable_leader": outsider_user.pk}).status_code == 400
    assert client.patch(url, {"accountable_leader": leader_user.pk}).status_code == 200


def test_a_product_still_offered_in_an_opportunity_cannot_be_deleted(merger, ops_user, acquired):
    product = factories.ProductFactory(company=acquired)
    opportunity = factories.OpportunityFactory(merger=merger, product=product)
    response = client_as(ops_user).delete(f"{API}/products/{opportunity.product_id}/")
    assert response.status_code == 409
    assert "detail" in response.json()


def _account_with_history(merger: Merger, acquirer, acquired, ops_user):
    account = factories.UnifiedAccountFactory(merger=merger, name="Acme Mining")
    left = factories.SourceAccountFactory(company=acquirer, unified=account, crm_id="SF-1")
    factories.SourceAccountFactory(company=acquired, unified=account, crm_id="HS-9")
    MatchDecision.objects.create(
        merger=merger,
        source=left,
        action=MatchDecision.Action.CONFIRM,
        method="domain",
        to_unified=account,
        decided_by=ops_user,
    )
    return account


def test_an_account_shows_its_crm_records_and_match_decisions(
    merger, acquirer, acquired, ops_user, rep_user
):
    account = _account_with_history(merger, acquirer, acquired, ops_user)
    body = client_as(rep_user).get(f"{API}/accounts/{account.pk}/").json()

    records = {(s["company_name"], s["crm_id"]) for s in body["sources"]}
    assert records == {("Sensa Instruments", "SF-1"), ("Predikt Analytics", "HS-9")}
    [decision] = body["match_decisions"]
    assert decision["action"] == "confirm"
    assert decision["source_crm_id"] == "SF-1"
    assert decision["decided_by"] == ops_user.pk


def test_the_account_list_shows_crm_records_but_not_decisions(
    merger, acquirer, acquired, ops_user, rep_user
):
    _account_with_history(merger, acquirer, acquired, ops_user)
    [row] = client_as(rep_user).get(f"{API}/accounts/").json()["results"]
    assert {s["crm_id"] for s in row["sources"]} == {"SF-1", "HS-9"}
    assert "match_decisions" not in row


def test_accounts_are_filtered_by_company_without_duplicates(merger, acquirer, rep_user):
    account = factories.UnifiedAccountFactory(merger=merger)
    factories.SourceAccountFactory(company=acquirer, unified=account)
    factories.SourceAccountFactory(company=acquirer, unified=account)
    factories.UnifiedAccountFactory(merger=merger)
    body = client_as(rep_user).get(f"{API}/accounts/", {"company": acquirer.pk}).json()
    assert [row["id"] for row in body["results"]] == [account.pk]


def test_accounts_are_searched_and_ordered(merger, rep_user):
    for name in ("Zeta Mining", "Alpha Mining", "Beta Foods"):
        factories.UnifiedAccountFactory(merger=merger, name=name)
    body = (
        client_as(rep_user)
        .get(f"{API}/accounts/", {"search": "mining", "ordering": "-name"})
        .json()
    )
    assert [row["name"] for row in body["results"]] == ["Zeta Mining", "Alpha Mining"]


def _list_queries(user, path: str) -> int:
    # A fresh user object each time: roles and programs are cached on the instance.
    client = client_as(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _add_rows(merger: Merger, acquirer, acquired, n: int) -> None:
    segment = factories.SegmentFactory(merger=merger)
    for _ in range(n):
        account = factories.UnifiedAccountFactory(merger=merger, segment=segment)
        factories.SourceAccountFactory(company=acquirer, unified=account)
        factories.SourceAccountFactory(company=acquired, unified=account)
        factories.ProductFactory(
            company=acquirer, family=factories.FamilyFactory(company=acquirer)
        )
        factories.SegmentFactory(merger=merger)


@pytest.mark.parametrize("path", ["mergers", "companies", "segments", "accounts", "products"])
def test_list_query_count_does_not_grow_with_rows(merger, acquirer, acquired, rep_user, path):
    _add_rows(merger, acquirer, acquired, 2)
    few = _list_queries(rep_user, f"{API}/{path}/")
    _add_rows(merger, acquirer, acquired, 8)
    assert _list_queries(rep_user, f"{API}/{path}/") == few
