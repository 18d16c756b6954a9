"""Breakdowns by segment add up to the program: deals without a segment count as
"No segment" on the dashboard's chart and in the scorecard, never drop out. A closed
month's segment split by direction (summed from the deals its snapshot kept) adds up
to the segment's frozen line."""

from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from accounts.models import Direction, Merger
from scorecards.reconcile.report import Mismatch
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.program import program_scorecard
from tracker.models import SnapshotLine
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


def check_closed_month_segments_add_up_by_direction(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """The last closed month whose deals were kept: each segment's dashboard in each
    direction (no snapshot line holds it, so it sums the kept deals) against the
    segment's frozen line, its open pipeline and its realized synergy in the month."""
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger,
        snapshot__month__in=months,
        snapshot__rows_kept=True,
        scope=SnapshotLine.Scope.SEGMENT,
    ).exclude(key="")  # deals without a segment: no dashboard filters them
    last = lines.order_by("-snapshot__month").values_list("snapshot__month", flat=True).first()
    today = timezone.localdate()
    for line in lines.filter(snapshot__month=last) if last else []:
        open_pipeline = realized = ZERO
        for direction in Direction.values:
            where = DashboardFilter(month=last, segment_id=int(line.key), direction=direction)
            dashboard = program_dashboard(merger=merger, where=where, today=today)
            tiles = {tile.key: tile.value for tile in dashboard.tiles}
            open_pipeline += tiles["open_pipeline"] or ZERO
            realized += dashboard.impact.realized_in_month[-1] or ZERO
        label = f"{last:%Y-%m} segment {line.label} by direction"
        if open_pipeline != line.open_pipeline:
            yield Mismatch("segments", f"{label}, open", line.open_pipeline, open_pipeline)
        if realized != line.realized_synergy:
            yield Mismatch("segments", f"{label}, realized", line.realized_synergy, realized)
