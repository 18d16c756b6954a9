from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from scorecards.selectors.program import program_scorecard
from tests import factories
from tracker.models import Opportunity, Stage, SynergyTarget
from tracker.services.snapshots import snapshot_freeze


def _program(merger, rep):
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
    early = timezone.make_aware(datetime(2026, 1, 5))
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        created_at=early,
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
        created_at=early,
        probability=75,
        segment=segment,
        amount=Decimal("4000"),
    )
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        SynergyTarget.objects.create(merger=merger, month=month, cross_sell=Decimal("5000"))


@pytest.mark.parametrize("frozen", [False, True], ids=["live", "frozen"])
def test_program_scorecard_compares_realized_and_forecast_with_target(merger, rep, frozen):
    _program(merger, rep)
    if frozen:
        merger.day_one = date(2026, 1, 1)
        merger.save()
        for month in (date(2026, 1, 1), date(2026, 2, 1)):
            snapshot_freeze(merger_id=merger.pk, month=month)
        # Edits after the freeze are the next month's restatements, not February's.
        Opportunity.objects.filter(merger=merger).update(amount=Decimal("1"))

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
