"""The risk screen: profiles, recommendations and their refresh onto accounts."""

from collections import Counter
from decimal import Decimal

import pytest

from accounts.models import RiskPolicy, UnifiedAccount
from accounts.risk import (
    ALL_PROFILES_MASK,
    Profile,
    Recommendation,
    RiskSignals,
    RiskThresholds,
    profiles_mask,
    profiles_of_mask,
    risk_assessment,
    risk_flags,
    screen_counts_each,
    screen_counts_of_masks,
)
from accounts.selectors.risk import account_screen
from accounts.services.risk import account_signals_refresh
from tests import factories

DEFAULTS = RiskThresholds()
HEALTHY = RiskSignals(
    revenue_current=Decimal("100000"),
    revenue_prior=Decimal("90000"),
    support_tickets=10,
    support_tickets_prior=8,
    credits_returns=Decimal("1000"),
    average_discount_pct=Decimal("10"),
    products_held=2,
)


def _with(**changes) -> RiskSignals:
    return RiskSignals(**{**HEALTHY.__dict__, **changes})


def _profiles(signals: RiskSignals, thresholds: RiskThresholds = DEFAULTS) -> set[Profile]:
    return {flag.profile for flag in risk_flags(signals, thresholds)}


def test_recommendation_values_match_the_model_choices():
    assert {r.value for r in Recommendation} == set(UnifiedAccount.Recommendation.values)


def test_defaults_match_the_risk_policy_model_defaults():
    policy = RiskPolicy()
    assert DEFAULTS.service_demand_growth_pct == policy.service_demand_growth_pct
    assert DEFAULTS.service_demand_min_tickets == policy.service_demand_min_tickets
    assert DEFAULTS.revenue_reversal_pct == policy.revenue_reversal_pct
    assert DEFAULTS.promotion_discount_pct == policy.promotion_discount_pct
    assert DEFAULTS.spending_limit_growth_pct == policy.spending_limit_growth_pct
    assert DEFAULTS.spending_limit_min_products == policy.spending_limit_min_products


def test_a_healthy_account_is_recommended_for_selling():
    result = risk_assessment(HEALTHY, DEFAULTS)
    assert result.flags == ()
    assert result.recommendation is Recommendation.SELL
    assert result.reason == "No risk profile flagged."


def test_steeply_rising_support_use_flags_a_service_demander():
    assert _profiles(_with(support_tickets=40, support_tickets_prior=20)) == {
        Profile.SERVICE_DEMANDER
    }


def test_rising_tickets_below_the_minimum_do_not_flag_a_service_demander():
    assert _profiles(_with(support_tickets=12, support_tickets_prior=2)) == set()


def test_ticket_growth_at_the_threshold_is_not_flagged():
    assert _profiles(_with(support_tickets=30, support_tickets_prior=20)) == set()


def test_tickets_from_nothing_above_the_minimum_flag_a_service_demander():
    assert Profile.SERVICE_DEMANDER in _profiles(
        _with(support_tickets=30, support_tickets_prior=0)
    )


def test_credits_above_the_share_of_revenue_flag_a_revenue_reverser():
    assert _profiles(_with(credits_returns=Decimal("16000"))) == {Profile.REVENUE_REVERSER}
    assert _profiles(_with(credits_returns=Decimal("15000"))) == set()


def test_credits_without_revenue_flag_a_revenue_reverser():
    signals = _with(revenue_current=Decimal("0"), revenue_prior=Decimal("0"))
    assert Profile.REVENUE_REVERSER in _profiles(signals)


def test_deep_average_discount_flags_a_promotion_maximizer():
    assert _profiles(_with(average_discount_pct=Decimal("35"))) == {Profile.PROMOTION_MAXIMIZER}


def test_a_real_decline_across_several_products_flags_a_spending_limiter():
    # 90,000 to 81,000: spend fell by a tenth.
    signals = _with(revenue_current=Decimal("81000"), products_held=3)
    assert _profiles(signals) == {Profile.SPENDING_LIMITER}
    [flag] = risk_flags(signals, DEFAULTS)
    assert flag.detail == "Holds 3 products but spend fell 10% in a year: a fixed wallet"


@pytest.mark.parametrize("current", ["90000", "88000", "82000"])
def test_flat_spend_or_a_small_dip_is_not_a_spending_limiter(current):
    # 0%, -2% and -9%: noise in a year's revenue, not a fixed wallet.
    assert _profiles(_with(revenue_current=Decimal(current), products_held=3)) == set()


def test_a_decline_on_a_single_product_is_not_a_spending_limiter():
    signals = _with(revenue_current=Decimal("50000"), products_held=1)
    assert _profiles(signals) == set()


def test_the_spending_limiter_thresholds_come_from_the_policy():
    dip = _with(revenue_current=Decimal("86000"), products_held=2)
    assert _profiles(dip, RiskThresholds(spending_limit_growth_pct=Decimal("-4"))) == {
        Profile.SPENDING_LIMITER
    }
    decline = _with(revenue_current=Decimal("70000"), products_held=2)
    assert _profiles(decline, RiskThresholds(spending_limit_min_products=3)) == set()


def test_screen_counts_count_each_profile_and_each_recommendation():
    signals = [
        HEALTHY,
        HEALTHY,
        _with(revenue_current=Decimal("70000"), products_held=3),  # spending limiter
        _with(average_discount_pct=Decimal("40")),  # promotion maximizer
        # promotion maximizer and spending limiter at once: don't sell
        _with(average_discount_pct=Decimal("40"), revenue_current=Decimal("70000")),
        _with(credits_returns=Decimal("50000")),  # revenue reverser
    ]
    [counts] = screen_counts_each(signals, [DEFAULTS])
    assert counts.accounts == 6
    assert counts.profiles == {
        Profile.SERVICE_DEMANDER: 0,
        Profile.REVENUE_REVERSER: 1,
        Profile.PROMOTION_MAXIMIZER: 2,
        Profile.SPENDING_LIMITER: 2,
    }
    assert counts.recommendations == {
        Recommendation.SELL: 2,
        Recommendation.UPSELL_ONLY: 2,
        Recommendation.DONT_SELL: 2,
    }
    assert counts.profile_share(Profile.SPENDING_LIMITER) == Decimal("33.3")
    assert counts.recommendation_share(Recommendation.SELL) == Decimal("33.3")
    # The old default, any decline at all, flags more.
    old = RiskThresholds(spending_limit_growth_pct=Decimal("0"))
    [declined] = screen_counts_each([_with(revenue_current=Decimal("89000"))], [old])
    assert declined.profiles[Profile.SPENDING_LIMITER] == 1


def test_several_sets_of_thresholds_are_counted_in_one_pass():
    signals = [HEALTHY, _with(revenue_current=Decimal("85000"), products_held=2)]
    old = RiskThresholds(spending_limit_growth_pct=Decimal("0"))
    both = screen_counts_each(iter(signals), [DEFAULTS, old])
    assert both == [*screen_counts_each(signals, [DEFAULTS]), *screen_counts_each(signals, [old])]
    assert [c.profiles[Profile.SPENDING_LIMITER] for c in both] == [0, 1]


def test_counts_of_stored_profile_sets_equal_the_counts_of_the_signals():
    signals = [
        HEALTHY,
        _with(revenue_current=Decimal("70000"), products_held=3),
        _with(average_discount_pct=Decimal("40")),
        _with(average_discount_pct=Decimal("40"), revenue_current=Decimal("70000")),
        _with(credits_returns=Decimal("50000")),
        _with(support_tickets=90, support_tickets_prior=10, credits_returns=Decimal("50000")),
    ]
    masks = Counter(profiles_mask(_profiles(one)) for one in signals)
    assert [screen_counts_of_masks(masks.items())] == screen_counts_each(signals, [DEFAULTS])


def test_a_profile_set_survives_its_mask():
    for n in range(ALL_PROFILES_MASK + 1):
        assert profiles_mask(profiles_of_mask(n)) == n
    assert profiles_of_mask(0) == set()
    assert profiles_of_mask(ALL_PROFILES_MASK) == set(Profile)


def test_screen_counts_of_nobody_are_zero_not_an_error():
    [counts] = screen_counts_each([], [DEFAULTS])
    assert counts.accounts == 0
    assert counts.profile_share(Profile.SPENDING_LIMITER) == 0


def test_thresholds_come_from_the_policy():
    strict = RiskThresholds(promotion_discount_pct=Decimal("5"))
    assert _profiles(HEALTHY, strict) == {Profile.PROMOTION_MAXIMIZER}


def test_revenue_reversers_are_not_sold_to():
    result = risk_assessment(_with(credits_returns=Decimal("30000")), DEFAULTS)
    assert result.recommendation is Recommendation.DONT_SELL
    assert result.reason.startswith("Don't sell: revenue reverser")
    assert "30% of revenue" in result.reason


def test_two_profiles_at_once_mean_dont_sell():
    signals = _with(
        average_discount_pct=Decimal("40"), support_tickets=50, support_tickets_prior=10
    )
    result = risk_assessment(signals, DEFAULTS)
    assert result.recommendation is Recommendation.DONT_SELL
    assert "service demander" in result.reason
    assert "promotion maximizer" in result.reason


@pytest.mark.parametrize(
    "changes",
    [
        {"support_tickets": 50, "support_tickets_prior": 10},
        {"average_discount_pct": Decimal("45")},
        {"revenue_current": Decimal("80000"), "products_held": 3},
    ],
)
def test_a_single_softer_profile_means_upsell_only(changes):
    result = risk_assessment(_with(**changes), DEFAULTS)
    assert result.recommendation is Recommendation.UPSELL_ONLY
    assert result.reason.startswith("Upsell only")


def test_spending_limiters_are_told_that_cross_buying_moves_money_around():
    result = risk_assessment(_with(revenue_current=Decimal("80000"), products_held=3), DEFAULTS)
    assert "cross-buying only moves money around" in result.reason


def _customer(merger, company, **signals):
    unified = factories.UnifiedAccountFactory(merger=merger)
    factories.SourceAccountFactory(company=company, unified=unified, is_customer=True, **signals)
    return unified


def test_refresh_stores_recommendation_and_reason_per_account(merger, acquirer, acquired):
    reverser = _customer(
        merger,
        acquirer,
        revenue_current=Decimal("10000"),
        credits_returns_12m=Decimal("5000"),
    )
    discounter = _customer(
        merger, acquired, revenue_current=Decimal("10000"), average_discount_pct=Decimal("50")
    )
    healthy = _customer(merger, acquired, revenue_current=Decimal("10000"))
    account_signals_refresh(merger_id=merger.pk)
    for account in (reverser, discounter, healthy):
        account.refresh_from_db()
    assert reverser.recommendation == UnifiedAccount.Recommendation.DONT_SELL
    assert "50% of revenue" in reverser.recommendation_reason_text
    assert discounter.recommendation == UnifiedAccount.Recommendation.UPSELL_ONLY
    assert healthy.recommendation == UnifiedAccount.Recommendation.SELL


def test_signals_of_a_customer_of_both_companies_are_combined(merger, acquirer, acquired):
    unified = factories.UnifiedAccountFactory(merger=merger)
    # Each record alone stays under 15% credits; together 20k of 100k is over.
    factories.SourceAccountFactory(
        company=acquirer,
        unified=unified,
        revenue_current=Decimal("50000"),
        credits_returns_12m=Decimal("7000"),
    )
    factories.SourceAccountFactory(
        company=acquired,
        unified=unified,
        revenue_current=Decimal("50000"),
        credits_returns_12m=Decimal("13000"),
    )
    account_signals_refresh(merger_id=merger.pk)
    unified.refresh_from_db()
    assert unified.recommendation == UnifiedAccount.Recommendation.DONT_SELL


def test_average_discount_is_weighted_by_revenue(merger, acquirer, acquired):
    unified = factories.UnifiedAccountFactory(merger=merger)
    factories.SourceAccountFactory(
        company=acquirer,
        unified=unified,
        revenue_current=Decimal("90000"),
        average_discount_pct=Decimal("10"),
    )
    factories.SourceAccountFactory(
        company=acquired,
        unified=unified,
        revenue_current=Decimal("10000"),
        average_discount_pct=Decimal("80"),
    )
    screen = account_screen(account=unified)
    # (0.9 x 10) + (0.1 x 80) = 17%: under the 30% threshold despite one deep-discount record.
    assert screen.risk.flags == ()


def test_a_programs_policy_changes_the_screen(merger, acquirer):
    RiskPolicy.objects.create(merger=merger, promotion_discount_pct=Decimal("5"))
    account = _customer(
        merger, acquirer, revenue_current=Decimal("1000"), average_discount_pct=Decimal("10")
    )
    account_signals_refresh(merger_id=merger.pk)
    account.refresh_from_db()
    assert account.recommendation == UnifiedAccount.Recommendation.UPSELL_ONLY
    assert account_screen(account=account).recommendation_label == "Upsell only"


def test_refresh_leaves_other_programs_alone(merger, acquirer):
    other = factories.MergerFactory()
    other_company = factories.CompanyFactory(merger=other, role="acquirer")
    outsider = _customer(
        other, other_company, revenue_current=Decimal("100"), credits_returns_12m=Decimal("90")
    )
    account_signals_refresh(merger_id=merger.pk)
    outsider.refresh_from_db()
    assert outsider.recommendation == UnifiedAccount.Recommendation.SELL
    assert outsider.recommendation_reason == ""
