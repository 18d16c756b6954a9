from decimal import Decimal

from scorecards.indicators import INDICATORS
from scorecards.models import SixC, default_weights
from scorecards.scoring import (
    apply_assessment,
    composite,
    score_c,
    score_indicator,
    score_segment,
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


def test_a_c_without_data_is_not_scored_and_says_what_would_score_it():
    # Behaviour changed: a C without data used to score 1/5.
    result = score_c(SixC.COMPENSATION, {})
    assert result.score is None and result.computed is None
    assert not result.scored
    assert result.weakest is None
    assert result.missing_data == [
        "set comp plans for the reps who sell in the segment",
        "win cross-sell deals and enter the reps' typical core deal size",
        "set comp plans for reps and for their leaders",
    ]
    assert result.explanation.startswith("Not scored: no data for its indicators yet.")
    assert "set comp plans" in result.explanation


def test_an_indicator_without_data_does_not_count_and_says_what_would_measure_it():
    result = score_c(SixC.CAPABILITY, {"reps_certified": Decimal("90")})
    assert result.computed == 5
    assert [i.code for i in result.indicators if not i.measured] == [
        "win_rate_vs_core",
        "cycle_vs_expected",
    ]
    assert result.missing_data == [
        "import core win rates and close cross-sell deals",
        "win cross-sell deals",
    ]


def test_the_weakest_indicator_is_kept_beside_the_mean():
    result = score_c(
        SixC.CAPACITY,
        {
            "cross_sell_quota_share": Decimal("20"),  # 5
            "reps_with_cross_sell_quota": Decimal("95"),  # 5
            "pipeline_coverage": Decimal("3.5"),  # 5
            "stale_share": Decimal("70"),  # 1: most deals are stale
        },
    )
    assert result.computed == Decimal("4.00")
    assert result.weakest.code == "stale_share"
    assert result.weakest.value == Decimal("70")
    assert result.weakest.score == 1
    assert "70% of open opportunities are stale" in result.explanation


def test_a_tie_for_weakest_goes_to_the_first_indicator_listed():
    result = score_c(
        SixC.CONNECTION, {"revenue_growth": Decimal("-9"), "strong_relationships": Decimal("1")}
    )
    assert result.weakest.code == "strong_relationships"


def test_override_replaces_and_adjustment_moves_within_range():
    assert apply_assessment(Decimal("3"), ("override", Decimal("5"))) == 5
    assert apply_assessment(Decimal("4.5"), ("adjust", Decimal("2"))) == 5
    assert apply_assessment(Decimal("2"), ("adjust", Decimal("-1"))) == 1


def test_a_leaders_override_scores_a_c_without_data_and_an_adjustment_does_not():
    assert apply_assessment(None, ("override", Decimal("4"))) == 4
    assert apply_assessment(None, ("adjust", Decimal("1"))) is None
    result = score_c(SixC.CAPACITY, {}, assessment=("override", Decimal("4")))
    assert result.computed is None
    assert result.score == 4
    assert result.weakest is None
    assert "leader's assessment" in result.explanation


def test_commitment_weighs_most_in_the_composite():
    weak_commitment = {c: Decimal("5") for c in SixC.values} | {SixC.COMMITMENT: Decimal("1")}
    weak_capacity = {c: Decimal("5") for c in SixC.values} | {SixC.CAPACITY: Decimal("1")}
    weights = default_weights()
    assert composite(weak_commitment, weights) < composite(weak_capacity, weights)


def test_strong_count_counts_cs_at_or_above_the_bar():
    scores = {SixC.CAPACITY: Decimal("4"), SixC.CAPABILITY: Decimal("3.9")}
    assert strong_count(scores, Decimal("4")) == 1


def test_the_composite_is_taken_over_the_scored_cs_only():
    weights = default_weights()
    scores = {c: None for c in SixC.values} | {
        SixC.CAPACITY: Decimal("2"),
        SixC.COMMITMENT: Decimal("4"),
    }
    # (2 x 15 + 4 x 25) / 40: the four Cs without data neither help nor hurt.
    assert composite(scores, weights) == Decimal("3.25")
    assert composite({c: None for c in SixC.values}, weights) is None


def test_strong_count_ignores_cs_that_are_not_scored():
    scores = {SixC.CAPACITY: Decimal("4.5"), SixC.CAPABILITY: None}
    assert strong_count(scores, Decimal("4")) == 1


def test_a_segment_without_any_data_has_no_composite_and_no_c_below_par():
    result = score_segment(
        {}, SixC.values, weights=default_weights(), overrides=None, strong_from=Decimal("4")
    )
    assert result.composite is None
    assert result.scored_count == 0
    assert result.strong_count == 0
    assert all(c.score is None for c in result.cs)


def test_a_segment_counts_its_scored_cs():
    result = score_segment(
        {"leader_assigned": Decimal("1"), "reviews_held": Decimal("3")},
        SixC.values,
        weights=default_weights(),
        overrides=None,
        strong_from=Decimal("4"),
    )
    assert result.scored_count == 1
    assert result.strong_count == 1
    assert result.composite == Decimal("5.00")


def test_program_wide_indicators_are_only_the_leader_and_the_reviews():
    assert sorted(i.code for i in INDICATORS if i.program_wide) == [
        "leader_assigned",
        "reviews_held",
    ]
    assert all(i.needs for i in INDICATORS)
