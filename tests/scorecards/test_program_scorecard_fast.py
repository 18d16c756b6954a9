"""The program scorecard's synergy lines, read by grouped sums and literal stage ids,
match the plain definition: every deal joined to its stage."""

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q, Sum

from accounts.models import Direction
from scorecards.selectors.program import program_scorecard
from tests import factories
from tests.tracker.test_wins_fast import deal
from tracker.figures import cross_company_q, forecast_end, realized_q
from tracker.models import Opportunity, Stage
from tracker.pipeline_math import cents, month_end

OUTCOME, FORECAST = Stage.Outcome, Stage.Forecast


def _plain(merger, month: dt.date, scope: Q) -> tuple[Decimal, ...]:
    """(realized, low, expected, high) as first written, for the deals in `scope`."""
    deals = Opportunity.objects.filter(scope, cross_company_q(), merger=merger)
    open_ = Q(outcome=OUTCOME.OPEN, expected_close__lte=forecast_end(month))
    commit = open_ & Q(stage__forecast_category=FORECAST.COMMIT)
    upside = open_ & Q(stage__forecast_category__in=[FORECAST.COMMIT, FORECAST.BEST_CASE])
    weighted = F("amount") * F("probability") / 100

    def total(expression, where: Q) -> Decimal:
        return deals.filter(where).aggregate(total=Sum(expression))["total"] or Decimal("0")

    realized = total("amount", realized_q(closed_from=merger.day_one, closed_to=month_end(month)))
    expected = total(weighted, open_)
    high = expected - total(weighted, upside) + total("amount", upside)
    return tuple(
        cents(value)
        for value in (
            realized,
            realized + total(weighted, commit),
            realized + expected,
            realized + high,
        )
    )


def _amounts(line) -> tuple[Decimal, ...]:
    return (line.realized, line.forecast_low, line.forecast, line.forecast_high)


def test_synergy_lines_match_the_plain_join(merger, rep, other_rep, monkeypatch):
    month = dt.date(2026, 6, 1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2026, 6, 15))
    merger.day_one = dt.date(2026, 1, 1)
    merger.save()
    stages = {
        category: factories.StageFactory(
            merger=merger, name=f"Open {category}", forecast_category=category, probability=40
        )
        for category in (FORECAST.PIPELINE, FORECAST.BEST_CASE, FORECAST.COMMIT)
    }
    segments = [factories.SegmentFactory(merger=merger) for _ in range(2)]
    # Due before, within and after the forecast's period (the end of June 2027).
    dues = (dt.date(2026, 5, 1), dt.date(2027, 6, 30), dt.date(2027, 7, 1))
    for i, stage in enumerate(stages.values()):
        for direction in (Direction.A_TO_B, Direction.B_TO_A, Direction.WITHIN):
            for due in dues:
                deal(
                    merger,
                    rep if i % 2 else other_rep,
                    outcome=OUTCOME.OPEN,
                    on=None,
                    amount=f"{1000 + 7 * i}.25",
                    stage=stage,
                    direction=direction,
                    segment=segments[i % 2],
                    expected_close=due,
                )
    closed = dt.date(2026, 2, 1)
    deal(merger, rep, outcome=OUTCOME.WON, on=closed, amount="5000.00", segment=segments[0])
    deal(merger, rep, outcome=OUTCOME.WON, on=dt.date(2026, 7, 5), amount="900.00")
    deal(merger, rep, outcome=OUTCOME.LOST, on=closed, amount="300.00", lost_reason="Budget")

    scorecard = program_scorecard(merger=merger, month=month)
    assert _amounts(scorecard.program) == _plain(merger, month, Q())
    assert scorecard.program.forecast_low > scorecard.program.realized
    for line in scorecard.by_segment:
        assert _amounts(line) == _plain(merger, month, Q(segment_id=int(line.key)))
    for line in scorecard.by_direction:
        assert _amounts(line) == _plain(merger, month, Q(direction=line.key))


def test_a_program_without_commit_stages_forecasts_no_low_band(merger, rep):
    deal(merger, rep, outcome=OUTCOME.OPEN, on=None, amount="100.00")
    month = merger.day_one.replace(day=1)
    line = program_scorecard(merger=merger, month=month).program
    assert line.forecast_low == line.realized == Decimal("0.00")
    assert _amounts(line) == _plain(merger, month, Q())
