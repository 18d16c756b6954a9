from decimal import Decimal

from scorecards.indicators import INDICATORS
from scorecards.models import SixC, default_weights
from scorecards.scoring import (
    apply_assessment,
    composite,
    score_c,
    score_indicator,
    score_value,
    strong_count,
)


def test_every_c_has_indicators_and_every_indicator_explains_weakness():
    assert {indicator.c for indicator in INDICATORS} == set(SixC.values)
    assert all(indicator.weak_sentence for indicator in INDICATORS)


def test_score_counts_thresholds_reached():
    assert score_value(Decimal("4"), (5, 10, 20, 40)) == 1
    assert score_value(Decimal("10"), (5, 10, 20, 40)) == 3
    assert score_value(Decimal("99"), (5, 10, 20, 40)) == 5
    assert score_value(None, (5, 10, 20, 40)) is None


def test_lower_is_better_indicators_score_in_reverse():
    assert score_value(Decimal("60"), (50, 35, 20, 10), higher_is_better=False) == 1
    assert score_value(Decimal("8"), (50, 35, 20, 10), higher_is_better=False) == 5


def test_program_thresholds_override_the_defaults():
    result = score_indicator("reps_certified", Decimal("30"), {"reps_certified": (10, 20, 30, 40)})
    assert result.score == 4
    assert "≥30" in result.threshold


def test_c_score_is_the_mean_of_measured_indicators_with_an_explanation():
    result = score_c(
        SixC.CAPABILITY,
        {"reps_certified": Decimal("18"), "win_rate_vs_core": Decimal("1.3")},
    )
    # 1 (certified) and 5 (win rate); the cycle indicator has no data.
    assert result.computed == Decimal("3.00")
    assert result.explanation == (
        "3/5: only 18% of reps are certified on the products they are asked to sell"
    )


def test_a_c_without_data_scores_one_and_says_so():
    result = score_c(SixC.COMMITMENT, {})
    assert result.score == 1
    assert "no data yet" in result.explanation


def test_override_replaces_and_adjustment_moves_within_range():
    assert apply_assessment(Decimal("3"), ("override", Decimal("5"))) == 5
    assert apply_assessment(Decimal("4.5"), ("adjust", Decimal("2"))) == 5
    assert apply_assessment(Decimal("2"), ("adjust", Decimal("-1"))) == 1


def test_assessed_explanation_says_a_leader_assessed_it():
    result = score_c(SixC.CAPACITY, {}, assessment=("override", Decimal("4")))
    assert result.computed == 1
    assert result.score == 4
    assert "leader's assessment" in result.explanation


def test_commitment_weighs_most_in_the_composite():
    weak_commitment = {c: Decimal("5") for c in SixC.values} | {SixC.COMMITMENT: Decimal("1")}
    weak_capacity = {c: Decimal("5") for c in SixC.values} | {SixC.CAPACITY: Decimal("1")}
    weights = default_weights()
    assert composite(weak_commitment, weights) < composite(weak_capacity, weights)


def test_strong_count_counts_cs_at_or_above_the_bar():
    scores = {SixC.CAPACITY: Decimal("4"), SixC.CAPABILITY: Decimal("3.9")}
    assert strong_count(scores, Decimal("4")) == 1
