from datetime import date
from decimal import Decimal

from tracker.pipeline_math import (
    PipelineFigures,
    add_months,
    attainment,
    coverage,
    months_between,
    rollup,
)


def test_win_rate_counts_only_closed_deals():
    figures = PipelineFigures(open_count=10, won_count=3, lost_count=1)
    assert figures.win_rate == Decimal("0.75")


def test_ratios_are_none_without_a_denominator():
    figures = PipelineFigures()
    assert figures.win_rate is None
    assert figures.average_deal is None
    assert figures.cycle_days is None
    assert figures.velocity is None


def test_velocity_is_expected_won_value_per_day():
    figures = PipelineFigures(
        open_count=10,
        won_count=2,
        lost_count=2,
        won_amount=Decimal("20000"),
        cycle_days_sum=Decimal("200"),
    )
    # 10 open x 50% x 10,000 average / 100 days
    assert figures.velocity == Decimal("500.00")


def test_coverage_is_open_pipeline_over_remaining_quota():
    assert coverage(
        open_amount=Decimal("300"), quota=Decimal("200"), won_amount=Decimal("100")
    ) == Decimal("3")


def test_coverage_is_none_once_quota_is_met():
    assert (
        coverage(open_amount=Decimal("300"), quota=Decimal("100"), won_amount=Decimal("100"))
        is None
    )


def test_coverage_is_none_for_an_ended_period_without_open_pipeline():
    assert coverage(open_amount=None, quota=Decimal("200"), won_amount=Decimal("100")) is None


def test_attainment_is_won_over_quota():
    assert attainment(won_amount=Decimal("50"), quota=Decimal("200")) == Decimal("0.25")


def test_rollup_adds_children_into_every_ancestor():
    parent_of = {"region": "program", "team": "region", "program": None, "other": "program"}
    values = {"team": PipelineFigures(open_count=2), "other": PipelineFigures(open_count=5)}
    totals = rollup(values, parent_of)
    assert totals["team"].open_count == 2
    assert totals["region"].open_count == 2
    assert totals["program"].open_count == 7


def test_month_helpers():
    assert months_between(date(2026, 11, 5), date(2027, 1, 1)) == 3
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
