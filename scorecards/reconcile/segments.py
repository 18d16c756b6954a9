"""Breakdowns by segment add up to the program: deals without a segment count as
"No segment" on the dashboard's chart and in the scorecard, never drop out."""

from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from accounts.models import Merger
from scorecards.reconcile.report import Mismatch
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.program import program_scorecard
from tracker.pipeline_math import ZERO


def check_segments_add_up_to_the_program(merger: Merger, months: list[date]) -> Iterator[Mismatch]:
    """This month's and the last closed month's dashboard chart by segment against the open
    pipeline tile, and the scorecard's segments against its program line."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for month in [first, *[m for m in months if m < first][-1:]]:
        where = DashboardFilter(month=month)
        dashboard = program_dashboard(merger=merger, where=where, today=today)
        tile = next((t.value for t in dashboard.tiles if t.key == "open_pipeline"), None)
        amounts = dashboard.segment_direction.amounts_by_direction.values()
        charted = sum((sum(row, ZERO) for row in amounts), ZERO)
        if tile is not None and charted != tile:
            yield Mismatch("segments", f"{month:%Y-%m} dashboard chart by segment", tile, charted)
        scorecard = program_scorecard(merger=merger, month=month)
        for figure in ("realized", "forecast_low", "forecast", "forecast_high"):
            whole = getattr(scorecard.program, figure)
            summed = sum((getattr(line, figure) for line in scorecard.by_segment), ZERO)
            if summed != whole:
                what = f"{month:%Y-%m} scorecard {figure} by segment"
                yield Mismatch("segments", what, whole, summed)
