"""Indicator arithmetic on plain numbers: no database."""

from decimal import Decimal

from scorecards.indicator_math import (
    shares_of,
    weighted_mean,
    weighted_sum,
    win_rate_against_core,
)

ACQUIRER, ACQUIRED = 1, 2


def test_no_core_data_means_the_comparison_is_not_measured():
    assert win_rate_against_core({ACQUIRER: (6, 4)}, {}) is None


def test_no_decided_cross_sell_deal_means_the_comparison_is_not_measured():
    assert win_rate_against_core({}, {ACQUIRER: (30, 70)}) is None
    assert win_rate_against_core({ACQUIRER: (0, 0)}, {ACQUIRER: (30, 70)}) is None


def test_cross_sell_win_rate_is_set_against_the_sellers_own_core_win_rate():
    # 6 of 10 cross-sell deals won by acquirer reps, whose core deals win 30%.
    assert win_rate_against_core({ACQUIRER: (6, 4)}, {ACQUIRER: (30, 70)}) == Decimal("2.0000")


def test_each_company_weighs_by_its_decided_cross_sell_deals():
    cross_sell = {ACQUIRER: (6, 4), ACQUIRED: (1, 9)}  # 7 of 20 won: 35%
    core = {ACQUIRER: (40, 60), ACQUIRED: (20, 80)}  # 40% and 20%, equally weighted: 30%
    assert win_rate_against_core(cross_sell, core) == Decimal("1.1667")


def test_deals_of_a_company_without_core_data_are_left_out_of_both_sides():
    cross_sell = {ACQUIRER: (6, 4), ACQUIRED: (0, 10)}
    assert win_rate_against_core(cross_sell, {ACQUIRER: (30, 70)}) == Decimal("2.0000")


def test_a_rep_counts_in_each_segment_by_their_share_of_their_own_deals():
    shares = shares_of({"food": {7: 3, 8: 2}, "mining": {7: 1}})
    assert shares["food"] == {7: Decimal("0.75"), 8: Decimal("1")}
    assert shares["mining"] == {7: Decimal("0.25")}


def test_weighted_sums_and_means_take_each_rep_at_their_share():
    weights = {7: Decimal("0.75"), 8: Decimal("0.25")}
    assert weighted_sum({7: Decimal("1000"), 8: Decimal("400")}, weights) == Decimal("850.00")
    assert weighted_mean({7: Decimal("20"), 8: Decimal("10")}, weights) == Decimal("17.50")
    # A rep without a value (no comp plan) is left out rather than counted as zero.
    assert weighted_mean({7: Decimal("20"), 8: None}, weights) == Decimal("20.00")
    assert weighted_mean({}, weights) is None
