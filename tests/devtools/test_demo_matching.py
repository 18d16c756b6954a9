"""Matching on the demo's CRM records, measured against the generator's truth."""

from datetime import date

from devtools.demo.matching import demo_match_quality

TODAY = date(2026, 3, 15)


def test_matching_finds_the_demos_shared_customers_without_a_wrong_match():
    quality = demo_match_quality(today=TODAY)
    assert quality.true_pairs > 500
    # Not worse than before rarity-weighted name evidence (100% and 93.97%).
    assert quality.auto_precision == 1.0
    assert quality.auto_recall >= 0.9397
    assert quality.surfaced_recall >= 0.99


def test_a_small_demo_is_measured_too():
    quality = demo_match_quality(today=TODAY, scale=0.1)
    assert quality.records < 1_000
    assert 0 < quality.auto_matches <= quality.true_pairs
