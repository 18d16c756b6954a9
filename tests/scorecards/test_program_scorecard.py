from datetime import date
from decimal import Decimal

from scorecards.selectors.program import program_scorecard
from tests import factories
from tracker.models import Stage, SynergyTarget


def test_program_scorecard_compares_realized_and_forecast_with_target(merger, rep):
    segment = factories.SegmentFactory(merger=merger)
    won = factories.StageFactory(
        merger=merger,
        name="Closed won",
        order=9,
        probability=100,
        forecast_category=Stage.Forecast.CLOSED,
        outcome=Stage.Outcome.WON,
    )
    commit = factories.StageFactory(
        merger=merger,
        name="Negotiation",
        order=4,
        probability=75,
        forecast_category=Stage.Forecast.COMMIT,
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome="won",
        probability=100,
        segment=segment,
        amount=Decimal("8000"),
        closed_on=date(2026, 2, 10),
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=commit,
        probability=75,
        segment=segment,
        amount=Decimal("4000"),
    )
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        SynergyTarget.objects.create(merger=merger, month=month, cross_sell=Decimal("5000"))

    scorecard = program_scorecard(merger=merger, month=date(2026, 2, 1))

    assert scorecard.program.target_to_date == Decimal("10000.00")
    assert scorecard.program.realized == Decimal("8000.00")
    assert scorecard.program.gap_pct == Decimal("20.0")
    assert scorecard.program.forecast == Decimal("11000.00")
    assert scorecard.program.forecast_low == Decimal("11000.00")
    assert scorecard.program.forecast_high == Decimal("12000.00")
    assert scorecard.total_target == Decimal("15000.00")
    assert scorecard.months_since_day_one == 2
    [by_segment] = scorecard.by_segment
    assert by_segment.realized == Decimal("8000.00")
    a_to_b = next(line for line in scorecard.by_direction if line.key == "a_to_b")
    assert a_to_b.realized == Decimal("8000.00")
