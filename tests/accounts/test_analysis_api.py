"""API of the mapping analysis: overlap, product map, whitespace and the risk screen."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import ProductMapping, UnifiedAccount, WhitespaceCell
from accounts.services.refresh import merger_analysis_refresh
from tests import factories
from tests.accounts.install_base import account_owning, customers_of_both

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def segment(merger):
    return factories.SegmentFactory(merger=merger, name="Utilities")


@pytest.fixture
def products(acquirer, acquired):
    return {
        "sensor": factories.ProductFactory(company=acquirer, name="Sensor"),
        "analytics": factories.ProductFactory(
            company=acquired, name="Analytics", typical_deal_size=Decimal("50000")
        ),
    }


@pytest.fixture
def candidate(merger, acquirer, products, segment):
    factories.ProductMappingFactory(
        merger=merger, source=products["sensor"], target=products["analytics"], reason="Feeds it"
    )
    account = account_owning(merger, acquirer, products["sensor"], segment=segment)
    merger_analysis_refresh(merger_id=merger.pk)
    return account


def test_overlap_counts_by_status_and_segment(rep_user, merger, candidate):
    response = client_as(rep_user).get(f"{API}/overlap/", {"merger": merger.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["acquirer_only"] == 1
    assert body["total"] == 1
    assert body["by_segment"][0]["segment_name"] == "Utilities"


def test_overlap_lists_the_accounts_behind_a_count(rep_user, merger, candidate):
    response = client_as(rep_user).get(
        f"{API}/overlap/accounts/", {"merger": merger.pk, "status": "acquirer_only"}
    )
    assert [a["id"] for a in response.json()["results"]] == [candidate.pk]


def test_overlap_needs_a_known_status(rep_user, merger):
    response = client_as(rep_user).get(
        f"{API}/overlap/accounts/", {"merger": merger.pk, "status": "lapsed"}
    )
    assert response.status_code == 400


def test_another_programs_overlap_does_not_exist(outsider_user, merger):
    response = client_as(outsider_user).get(f"{API}/overlap/", {"merger": merger.pk})
    assert response.status_code == 404


def test_sales_ops_maps_a_pair_through_the_api(ops_user, merger, products):
    response = client_as(ops_user).post(
        f"{API}/product-map/",
        {
            "merger": merger.pk,
            "source": products["sensor"].pk,
            "target": products["analytics"].pk,
            "relation": "complementary",
            "reason": "Sensors feed the analytics",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created_by"] == ops_user.pk


def test_a_duplicate_pair_is_refused_by_field(ops_user, merger, products, candidate):
    response = client_as(ops_user).post(
        f"{API}/product-map/",
        {
            "merger": merger.pk,
            "source": products["sensor"].pk,
            "target": products["analytics"].pk,
            "relation": "complementary",
            "reason": "Again",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "target" in response.json()


def test_a_rep_cannot_change_the_product_map(rep_user, merger, products):
    response = client_as(rep_user).post(f"{API}/product-map/", {}, format="json")
    assert response.status_code == 403


def test_sales_ops_updates_and_deletes_a_pair(ops_user, merger, candidate):
    mapping = ProductMapping.objects.get(merger=merger)
    client = client_as(ops_user)
    response = client.patch(
        f"{API}/product-map/{mapping.pk}/", {"relation": "upgrade"}, format="json"
    )
    assert response.status_code == 200
    assert client.delete(f"{API}/product-map/{mapping.pk}/").status_code == 204
    assert not WhitespaceCell.objects.filter(merger=merger).exists()


def test_product_map_evidence_and_suggestions(rep_user, merger, candidate):
    client = client_as(rep_user)
    evidence = client.get(f"{API}/product-map/evidence/", {"merger": merger.pk}).json()
    assert evidence[0]["no_evidence"] is True
    assert evidence[0]["affinity"]["support"] == 0
    suggestions = client.get(f"{API}/product-map/suggestions/", {"merger": merger.pk})
    assert suggestions.status_code == 200
    assert suggestions.json() == []


def test_product_map_evidence_names_its_population_sample_and_interval(
    rep_user, merger, acquirer, acquired, products, candidate
):
    customers_of_both(
        merger,
        acquirer,
        acquired,
        products["sensor"],
        products["analytics"],
        owners=30,
        co_owners=24,
        others=30,
    )
    merger_analysis_refresh(merger_id=merger.pk)
    evidence = client_as(rep_user).get(f"{API}/product-map/evidence/", {"merger": merger.pk})
    (pair,) = evidence.json()
    affinity = pair["affinity"]
    assert pair["verdict"] == affinity["verdict"] == "supports"
    assert pair["no_evidence"] is False
    # Measured among the 60 customers of both, not over every account with an install base.
    assert (affinity["population"], affinity["population_size"]) == ("both", 60)
    assert (affinity["source_owners"], affinity["support"]) == (30, 24)
    assert affinity["confidence"] == "0.8000"
    assert affinity["base_rate"] == "0.4000"
    assert affinity["lift"] == "2.0000"
    assert Decimal(affinity["confidence_low"]) > Decimal(affinity["base_rate"])
    assert Decimal(affinity["lift_low"]) < Decimal(2) < Decimal(affinity["lift_high"])


def test_whitespace_cells_carry_the_opportunity_link(rep_user, merger, candidate, products):
    response = client_as(rep_user).get(
        f"{API}/whitespace/", {"merger": merger.pk, "direction": "b_to_a"}
    )
    (cell,) = response.json()["results"]
    assert cell["account"] == candidate.pk
    assert cell["potential_value"] == "50000.00"
    assert cell["opportunity_url"].startswith("/pipeline/new/?account=")


def test_whitespace_cells_link_no_deal_form_for_those_who_may_not_log_one(
    executive_user, merger, candidate
):
    # Executives read the whitespace but may not log deals: the form would answer "Not allowed".
    response = client_as(executive_user).get(
        f"{API}/whitespace/", {"merger": merger.pk, "direction": "b_to_a"}
    )
    (cell,) = response.json()["results"]
    assert cell["account"] == candidate.pk
    assert cell["opportunity_url"] == ""


def test_whitespace_totals_and_prefill(rep_user, merger, candidate, products):
    client = client_as(rep_user)
    (total,) = client.get(f"{API}/whitespace/totals/", {"merger": merger.pk}).json()
    assert (total["direction"], total["count"], total["value"]) == ("b_to_a", 1, "50000.00")
    prefill = client.get(
        f"{API}/whitespace/prefill/",
        {"merger": merger.pk, "account": candidate.pk, "product": products["analytics"].pk},
    )
    assert prefill.json()["kind"] == "cross_sell"
    missing = client.get(
        f"{API}/whitespace/prefill/",
        {"merger": merger.pk, "account": candidate.pk, "product": products["sensor"].pk},
    )
    assert missing.status_code == 404


def test_risk_screen_of_an_account(rep_user, candidate):
    UnifiedAccount.objects.filter(pk=candidate.pk).update(connection_note="Knows the CFO")
    response = client_as(rep_user).get(f"{API}/risk/{candidate.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["account"] == candidate.pk
    assert body["recommendation"] == "sell"
    assert body["connection_note"] == "Knows the CFO"
    assert "Decision maker not known" in body["connection_reasons"]


def test_an_outsider_gets_404_for_another_programs_risk_screen(outsider_user, candidate):
    assert client_as(outsider_user).get(f"{API}/risk/{candidate.pk}/").status_code == 404
