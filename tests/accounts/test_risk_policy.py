"""The risk policy page: thresholds beside what they flag, previewed before they are saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RiskPolicy, UnifiedAccount
from accounts.risk import Profile, Recommendation, RiskThresholds
from accounts.selectors.risk import (
    risk_policy_for,
    risk_screen_counts_each,
    risk_screen_counts_stored,
    risk_thresholds,
)
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.risk_policy import risk_policy_update
from tests import factories
from tests.accounts.install_base import record

URL = reverse("accounts:risk_policy")
Status = UnifiedAccount.Status


def _customer(merger, company, **signals) -> UnifiedAccount:
    unified = factories.UnifiedAccountFactory(merger=merger)
    record(unified, company, factories.ProductFactory(company=company), **signals)
    return unified


@pytest.fixture
def screened(merger, acquirer, acquired):
    """Ten customers: a 15% and a 5% decline over two products, a deep discounter, seven fine."""
    products = [factories.ProductFactory(company=acquirer) for _ in range(2)]
    for prior in ("100000", "100000"):
        unified = factories.UnifiedAccountFactory(merger=merger)
        record(unified, acquirer, *products, revenue_current=Decimal("85000"), revenue_prior=prior)
    falling_a_bit = factories.UnifiedAccountFactory(merger=merger)
    record(
        falling_a_bit,
        acquired,
        *[factories.ProductFactory(company=acquired) for _ in range(2)],
        revenue_current=Decimal("95000"),
        revenue_prior=Decimal("100000"),
    )
    _customer(merger, acquired, revenue_current=Decimal("1000"), average_discount_pct=40)
    for _ in range(6):
        _customer(merger, acquirer, revenue_current=Decimal("1000"))
    # A prospect with awful signals is not a customer: the screen's shares leave it out.
    prospect = factories.UnifiedAccountFactory(merger=merger)
    record(prospect, acquirer, is_customer=False, credits_returns_12m=Decimal("900"))
    merger_analysis_refresh(merger_id=merger.pk, notify=False)


def test_the_shares_are_counted_among_customers_in_two_grouped_queries(
    merger, screened, django_assert_num_queries
):
    # The signals per account, then the products held per account: no subquery per account.
    with django_assert_num_queries(2):
        [counts] = risk_screen_counts_each(merger_id=merger.pk, thresholds=[RiskThresholds()])
    assert counts.accounts == 10
    assert counts.profiles[Profile.SPENDING_LIMITER] == 2
    assert counts.profiles[Profile.PROMOTION_MAXIMIZER] == 1
    assert counts.recommendations[Recommendation.UPSELL_ONLY] == 3
    assert counts.profile_share(Profile.SPENDING_LIMITER) == Decimal("20.0")
    looser = RiskThresholds(spending_limit_growth_pct=Decimal("-5"))
    [loosened] = risk_screen_counts_each(merger_id=merger.pk, thresholds=[looser])
    assert loosened.profiles[Profile.SPENDING_LIMITER] == 3


def test_every_reader_sees_the_share_each_threshold_flags(client, rep_user, merger, screened):
    client.force_login(rep_user)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "10 customers screened" in body
    spending = next(r for r in response.context["profiles"] if r.key == "spending_limiter")
    assert (spending.now.count, spending.now.share) == (2, Decimal("20.0"))
    assert spending.preview is None
    assert [f.name for f in spending.fields] == [
        "spending_limit_growth_pct",
        "spending_limit_min_products",
    ]
    upsell = next(r for r in response.context["recommendations"] if r.key == "upsell_only")
    assert (upsell.now.count, upsell.now.share) == (3, Decimal("30.0"))
    assert "Save these thresholds" not in body
    # A rep can preview, but only sales ops saves.
    preview = client.get(URL, {"spending_limit_growth_pct": "-5"}).content.decode()
    assert "only sales ops can change the thresholds" in preview
    assert "Save these thresholds" not in preview


def test_a_preview_computes_the_candidate_shares_and_writes_nothing(
    client, ops_user, merger, screened
):
    client.force_login(ops_user)
    policy = RiskPolicy.objects.get(merger=merger) if RiskPolicy.objects.exists() else None
    params = {
        "service_demand_growth_pct": "50",
        "service_demand_min_tickets": "24",
        "revenue_reversal_pct": "15",
        "promotion_discount_pct": "30",
        "spending_limit_growth_pct": "-5",
        "spending_limit_min_products": "2",
        "strong_connection_min": "60",
    }
    response = client.get(URL, params)
    spending = next(r for r in response.context["profiles"] if r.key == "spending_limiter")
    assert (spending.now.count, spending.preview.count) == (2, 3)
    upsell = next(r for r in response.context["recommendations"] if r.key == "upsell_only")
    assert (upsell.now.count, upsell.preview.count) == (3, 4)
    body = response.content.decode()
    assert "Save these thresholds" in body
    assert 'name="spending_limit_growth_pct" value="-5' in body
    assert (RiskPolicy.objects.filter(merger=merger).first() or None) == policy
    assert UnifiedAccount.objects.filter(recommendation="upsell_only").count() == 3


def test_a_preview_of_invalid_thresholds_shows_the_errors(client, ops_user, merger, screened):
    client.force_login(ops_user)
    response = client.get(URL, {"spending_limit_growth_pct": "5"})
    form = response.context["form"]
    assert "spending_limit_growth_pct" in form.errors
    assert response.context["candidate"] is None
    assert "Save these thresholds" not in response.content.decode()


def test_sales_ops_saves_and_every_account_is_screened_again(
    client, ops_user, merger, screened, django_capture_on_commit_callbacks
):
    client.force_login(ops_user)
    preview = client.get(URL, {"spending_limit_growth_pct": "-5"}).context["form"]
    data = {name: preview[name].value() for name in preview.fields}
    data["spending_limit_growth_pct"] = "-5"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    policy = RiskPolicy.objects.get(merger=merger)
    assert (policy.spending_limit_growth_pct, policy.updated_by) == (Decimal("-5"), ops_user)
    assert UnifiedAccount.objects.filter(recommendation="upsell_only").count() == 4
    assert "last changed by ops" in client.get(URL).content.decode()


def test_a_rep_cannot_save_thresholds(client, rep_user, merger, screened):
    client.force_login(rep_user)
    response = client.post(URL, {"spending_limit_growth_pct": "-5"})
    assert response.status_code == 403
    assert not RiskPolicy.objects.filter(merger=merger, updated_by__isnull=False).exists()


def test_the_page_query_count_does_not_grow_with_accounts(
    client, rep_user, merger, acquirer, screened
):
    client.force_login(rep_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"spending_limit_growth_pct": "-5"}).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(20):
        _customer(merger, acquirer, revenue_current=Decimal("10"))
    assert queries() == few


def test_the_service_refuses_a_spending_limit_that_is_not_a_decline(merger, ops_user):
    with pytest.raises(ValidationError) as error:
        risk_policy_update(actor=ops_user, merger=merger, spending_limit_growth_pct=Decimal(3))
    assert "spending_limit_growth_pct" in str(error.value) or error.value.error_dict
    with pytest.raises(ValueError, match="not a risk threshold"):
        risk_policy_update(actor=ops_user, merger=merger, merger_id=3)


def test_the_stored_profiles_count_as_the_live_screen_does(merger, screened):
    policy = risk_policy_for(merger_id=merger.pk)
    [live] = risk_screen_counts_each(merger_id=merger.pk, thresholds=[risk_thresholds(policy)])
    assert risk_screen_counts_stored(merger_id=merger.pk, policy=policy) == live


def test_the_page_counts_the_stored_profiles_without_reading_the_signals(
    client, rep_user, merger, screened
):
    client.force_login(rep_user)
    [live] = risk_screen_counts_each(merger_id=merger.pk, thresholds=[RiskThresholds()])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    # Neither the CRM records nor the install base are read without a preview.
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "accounts_holding" not in tables and "accounts_sourceaccount" not in tables
    upsell = next(r for r in response.context["recommendations"] if r.key == "upsell_only")
    assert upsell.now.count == live.recommendations[Recommendation.UPSELL_ONLY]
    assert response.context["customers"] == live.accounts


def test_accounts_not_screened_yet_are_counted_live(merger, screened):
    UnifiedAccount.objects.filter(merger=merger).update(risk_profiles=None)
    policy = risk_policy_for(merger_id=merger.pk)
    assert risk_screen_counts_stored(merger_id=merger.pk, policy=policy) is None


def test_thresholds_saved_but_not_screened_yet_are_counted_live(
    client, ops_user, merger, screened
):
    # Saved without running the screening it queues: the stored profiles are the old ones.
    policy = risk_policy_update(
        actor=ops_user, merger=merger, spending_limit_growth_pct=Decimal("-5")
    )
    assert risk_screen_counts_stored(merger_id=merger.pk, policy=policy) is None
    client.force_login(ops_user)
    response = client.get(URL)
    spending = next(r for r in response.context["profiles"] if r.key == "spending_limiter")
    assert spending.now.count == 3
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    policy.refresh_from_db()
    assert (
        risk_screen_counts_stored(merger_id=merger.pk, policy=policy).profiles[
            Profile.SPENDING_LIMITER
        ]
        == 3
    )
