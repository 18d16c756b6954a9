"""The benchmark's skewed data: hot spots that add up, without a database."""

import random

import pytest

from devtools.bench.sizes import QUICK, scaled
from devtools.world.skew import power_spread, zipf_weights


def test_power_spread_adds_up_within_bounds_with_a_heavy_tail():
    counts = power_spread(random.Random(1), 10_000, 2_000, 30)
    assert sum(counts) == 10_000
    assert min(counts) >= 1 and max(counts) <= 30
    ordered = sorted(counts, reverse=True)
    # The top tenth of the records hold far more than a tenth of the holdings.
    assert sum(ordered[:200]) > 0.25 * 10_000
    assert ordered[len(ordered) // 2] <= 3


def test_power_spread_refuses_what_cannot_fit():
    with pytest.raises(ValueError):
        power_spread(random.Random(1), 100, 10, 5)


def test_zipf_weights_put_most_on_the_first_few():
    weights = zipf_weights(20, skewed=True)
    assert sum(weights[:3]) / sum(weights) > 0.45
    assert zipf_weights(4, skewed=False) == [1.0] * 4


def test_scaled_doubles_the_data_not_the_organisation():
    double = scaled(QUICK, 2)
    assert (double.accounts, double.opportunities) == (2 * QUICK.accounts, 2 * QUICK.opportunities)
    assert double.holdings == 2 * QUICK.holdings
    assert (double.reps, double.segments) == (QUICK.reps, QUICK.segments)
    assert scaled(QUICK, 1) is QUICK
