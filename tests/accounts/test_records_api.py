"""CRM records, install base, match decisions, merge and split, risk policy over the API."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import MatchDecision, RecordChange, RiskPolicy, SourceAccount, UnifiedAccount
from tests import factories

API = "/api/v1"


@pytest.fixture
def ops(ops_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(ops_user)
    return client


@pytest.fixture
def two_accounts(merger, acquirer, acquired):
    keep = factories.UnifiedAccountFactory(merger=merger, name="Acme")
    absorb = factories.UnifiedAccountFactory(merger=merger, name="ACME Inc")
    first = factories.SourceAccountFactory(company=acquirer, unified=keep, name="Acme")
    second = factories.SourceAccountFactory(company=acquired, unified=absorb, name="ACME Inc")
    return keep, absorb, first, second


def test_records_and_install_base_are_read_by_program(ops, merger, two_accounts, acquirer):
    keep, _absorb, first, _second = two_accounts
    product = factories.ProductFactory(company=acquirer)
    factories.HoldingFactory(account=first, product=product, annual_revenue=Decimal("1200"))
    records = ops.get(f"{API}/source-accounts/", {"unified": keep.pk}).json()
    assert [row["id"] for row in records["results"]] == [first.pk]
    holdings = ops.get(f"{API}/holdings/", {"unified": keep.pk}).json()["results"]
    assert holdings[0]["annual_revenue"] == "1200.00"
    other = factories.MergerFactory()
    assert ops.get(f"{API}/source-accounts/", {"merger": other.pk}).json()["count"] == 0


def test_merge_then_split_are_decisions_listed_newest_first(ops, merger, two_accounts):
    keep, absorb, _first, second = two_accounts
    merged = ops.post(
        f"{API}/match-decisions/merge/",
        {"keep": keep.pk, "absorb": absorb.pk, "note": "same customer"},
        format="json",
    )
    assert merged.status_code == 201, merged.content
    assert not UnifiedAccount.objects.filter(pk=absorb.pk).exists()
    assert SourceAccount.objects.get(pk=second.pk).unified_id == keep.pk
    split = ops.post(f"{API}/match-decisions/split/", {"source": second.pk}, format="json")
    assert split.status_code == 201, split.content
    assert SourceAccount.objects.get(pk=second.pk).unified_id != keep.pk
    listed = ops.get(f"{API}/match-decisions/", {"merger": merger.pk}).json()["results"]
    assert [row["action"] for row in listed] == ["split", "merge"]
    again = ops.post(f"{API}/match-decisions/split/", {"source": second.pk}, format="json")
    assert again.status_code == 400
    assert MatchDecision.objects.count() == 2


def test_merge_refuses_another_programs_account(ops, merger, two_accounts):
    keep, _absorb, _first, _second = two_accounts
    foreign = factories.UnifiedAccountFactory(merger=factories.MergerFactory())
    response = ops.post(
        f"{API}/match-decisions/merge/", {"keep": keep.pk, "absorb": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert "absorb" in response.json()


def test_risk_policy_is_read_with_defaults_and_set_with_history(ops, merger, ops_user):
    shown = ops.get(f"{API}/risk-policies/{merger.pk}/")
    assert shown.status_code == 200
    default = shown.json()["revenue_reversal_pct"]
    changed = ops.patch(
        f"{API}/risk-policies/{merger.pk}/", {"revenue_reversal_pct": "12.5"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert RiskPolicy.objects.get(merger=merger).revenue_reversal_pct == Decimal("12.5")
    kept = RecordChange.objects.get(content_type__model="riskpolicy")
    assert kept.via == "api"
    assert kept.actor == ops_user
    assert Decimal(kept.changes["revenue_reversal_pct"][1]) == Decimal("12.5")
    assert Decimal(default) != Decimal("12.5")
    wrong = ops.patch(
        f"{API}/risk-policies/{merger.pk}/", {"revenue_reversal_pct": "-3"}, format="json"
    )
    assert wrong.status_code == 400
