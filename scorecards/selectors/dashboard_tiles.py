"""The month's figures behind a dashboard's tiles, and the figures they are compared with.

A closed month's figures are its snapshot line's or, for filters no line holds, the
sums of the deals its snapshot kept (see dashboard_kept); any other month's are
computed live from the dashboard's data (see dashboard_data).
"""

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Merger
from scorecards.dashboard_math import MonthFigures
from scorecards.selectors.dashboard_data import DashboardData, DashboardFilter
from tracker.models import SnapshotLine
from tracker.pipeline_math import ZERO, PipelineFigures, add_months, month_end


def snapshot_lines(merger: Merger, where: DashboardFilter) -> dict[date, SnapshotLine]:
    scope = where.snapshot_scope()
    if scope is None:
        return {}
    lines = (
        SnapshotLine.objects.filter(snapshot__merger=merger, scope=scope[0], key=scope[1])
        .select_related("snapshot")
        .defer(*_SNAPSHOT_DETAIL)
    )
    return {line.snapshot.month: line for line in lines}


# A closed month's open deals, wins and overlap as stored: only the dashboard's own month
# reads them, so the other months' lines leave them in the database (most of the lines'
# bytes, and of the time to decode them).
_SNAPSHOT_DETAIL = ("open_cells", "wins", "overlap")


def snapshot_line_whole(line: SnapshotLine | None) -> SnapshotLine | None:
    if line is None:
        return None
    return SnapshotLine.objects.select_related("snapshot").get(pk=line.pk)


def month_figures(data: DashboardData, month: date, snapshot: SnapshotLine | None) -> MonthFigures:
    if snapshot is not None:
        return MonthFigures(
            snapshot.realized_to_date,
            snapshot.target_to_date if data.where.has_target else ZERO,
            snapshot.figures,
            snapshot.cross_sell_quota,
            snapshot.attainment_credit,
            None,
            snapshot.restated,
        )
    if data.kept_deals.snapshot_of(month) is not None:
        return kept_month_figures(data, month)
    # Open deals are counted as they stand now, whatever the month.
    figures = data.open_figures() + data.closed_figures(month)
    cross_quota, credited = _quota_and_credit(data, month)
    return MonthFigures(
        data.realized_to(month),
        data.target_to(month),
        figures,
        cross_quota,
        credited,
        data.closing_pipeline() if month == data.today.replace(day=1) else None,
    )


def kept_month_figures(data: DashboardData, month: date) -> MonthFigures:
    """A closed month's figures from the deals its snapshot kept. They keep no lost deal
    and no quota: the dashboard shows its win rate, coverage and attainment as not
    measured (dashboard_math.kept_not_measured), and so its realized to date where an
    earlier month kept no deals (its 0 here is never shown)."""
    kept = data.kept_deals
    return MonthFigures(
        kept.realized_to(month) or ZERO,
        data.target_to(month),
        kept.open_figures(month) or PipelineFigures(),
        ZERO,
        ZERO,
    )


def pending_restatement(data: DashboardData, snapshots: dict, month: date) -> Decimal:
    """How much deals of frozen months moved since their freeze: live minus frozen to date."""
    frozen = [m for m in snapshots if m < month]
    if not frozen:
        return ZERO
    last = max(frozen)
    return data.realized_to(last) - snapshots[last].realized_to_date


def _quota_and_credit(data: DashboardData, month: date) -> tuple[Decimal, Decimal]:
    by_rep, credits = data.quotas(month, month), data.credits(month)
    chosen = data.chosen_reps(by_rep, credits)
    quota = sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO)
    credited = sum((credits.get(rep, ZERO) for rep in chosen), ZERO)
    return quota, credited


def same_days_last_month(data: DashboardData, month: date, today: date) -> MonthFigures:
    """Last month's flow figures up to the same day of the month as today."""
    previous = add_months(month, -1)
    cutoff = min(previous + timedelta(days=today.day - 1), month_end(previous))
    won, lost, realized = data.closed_between(previous, cutoff)
    by_rep = data.quotas(previous, previous)
    credits = data.credits_between(previous, cutoff)
    chosen = data.chosen_reps(by_rep, credits)
    return MonthFigures(
        data.realized_to(add_months(previous, -1)) + realized,
        data.target_to(previous),
        PipelineFigures(won_count=won, lost_count=lost),
        sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO),
        sum((credits.get(rep, ZERO) for rep in chosen), ZERO),
    )
