"""A closed month's quota, credited cross-sell won, and its open, won and lost deals, as
its snapshot froze them.

The quota page and the pipeline metrics of a frozen month read these instead of
today's quotas and deals, as the dashboard, scorecard and exports do: a closed
month's attainment is a fact, and a later edit of one of its deals is booked as a
restatement of the month it was made in (tracker.services.snapshots). Teams and the
program add up their reps' frozen lines as the live figures add up the live ones.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from accounts.models import Merger
from tracker.deal_figures import OpenCell, open_figures_of
from tracker.models import MonthlySnapshot, SnapshotLine
from tracker.pipeline_math import ZERO, PipelineFigures
from tracker.quota_math import Period, QuotaFigures

# (core quota, cross-sell quota, credited cross-sell won) of a rep in the month.
type RepQuota = tuple[Decimal, Decimal, Decimal]
NONE: RepQuota = (ZERO, ZERO, ZERO)


@dataclass(frozen=True)
class FrozenQuotas:
    month: date
    frozen_at: datetime
    reps: dict[int, RepQuota]
    # Teams as frozen, each with its reps and the teams below it then: a rep who changes
    # team afterwards moves no closed month's team figure.
    teams: dict[int, RepQuota] = field(default_factory=dict)

    def of(self, rep_id: int, figures: QuotaFigures) -> QuotaFigures:
        """The rep's figures with the frozen quota and credit (a rep added since has none)."""
        return _frozen(figures, self.reps.get(rep_id, NONE))

    def of_team(self, team_id: int, figures: QuotaFigures) -> QuotaFigures:
        """The team's figures with its frozen quota and credit (a team added since has none)."""
        return _frozen(figures, self.teams.get(team_id, NONE))


def _frozen(figures: QuotaFigures, frozen: RepQuota) -> QuotaFigures:
    core, cross, credited = frozen
    return replace(figures, core_quota=core, cross_sell_quota=cross, credited_won=credited)


@dataclass(frozen=True)
class FrozenMonths:
    """The frozen months of a range, their rep and team lines summed over them."""

    # Oldest first; months of the range not in here are not frozen yet.
    months: tuple[date, ...] = ()
    # The latest of their freezes.
    frozen_at: datetime | None = None
    reps: dict[int, RepQuota] = field(default_factory=dict)
    teams: dict[int, RepQuota] = field(default_factory=dict)
    # Credited won deals per rep (SnapshotLine.credited_won_count), from the months
    # that kept it; `uncounted` has the months frozen before it was kept, each with
    # the reps whose lines lack it.
    counts: dict[int, int] = field(default_factory=dict)
    uncounted: dict[date, set[int]] = field(default_factory=dict)


def frozen_months(*, merger: Merger, first: date, last_month: date) -> FrozenMonths:
    """The frozen months from `first` to `last_month` (any days in them), in two queries."""
    snapshots = MonthlySnapshot.objects.filter(
        merger=merger, month__range=(first.replace(day=1), last_month.replace(day=1))
    ).order_by("month")
    frozen = {
        pk: (month, at) for pk, month, at in snapshots.values_list("pk", "month", "frozen_at")
    }
    if not frozen:
        return FrozenMonths()
    Scope = SnapshotLine.Scope
    rows = SnapshotLine.objects.filter(
        snapshot_id__in=list(frozen), scope__in=[Scope.REP, Scope.TEAM]
    ).values_list(
        "snapshot_id",
        "scope",
        "key",
        "core_quota",
        "cross_sell_quota",
        SnapshotLine.ATTAINMENT_CREDIT,
        "credited_won_count",
    )
    lines: dict[str, dict[int, RepQuota]] = {Scope.REP: {}, Scope.TEAM: {}}
    counts: dict[int, int] = {}
    uncounted: dict[date, set[int]] = {}
    for snapshot_id, scope, key, core, cross, credit, count in rows:
        if not key:
            continue
        old = lines[scope].get(int(key), NONE)
        lines[scope][int(key)] = (
            old[0] + (core or ZERO),
            old[1] + (cross or ZERO),
            old[2] + (credit or ZERO),
        )
        if scope != Scope.REP:
            continue
        if count is None:
            uncounted.setdefault(frozen[snapshot_id][0], set()).add(int(key))
        else:
            counts[int(key)] = counts.get(int(key), 0) + count
    return FrozenMonths(
        months=tuple(month for month, _at in frozen.values()),
        frozen_at=max(at for _month, at in frozen.values()),
        reps=lines[Scope.REP],
        teams=lines[Scope.TEAM],
        counts=counts,
        uncounted=dict(sorted(uncounted.items())),
    )


def frozen_quotas(*, merger: Merger, month: date | None) -> FrozenQuotas | None:
    """The frozen rep lines of `month` (any day in it); None while it is not frozen."""
    if month is None:
        return None
    frozen = frozen_months(merger=merger, first=month, last_month=month)
    if not frozen.months or frozen.frozen_at is None:
        return None
    return FrozenQuotas(
        month=frozen.months[0],
        frozen_at=frozen.frozen_at,
        reps=frozen.reps,
        teams=frozen.teams,
    )


def frozen_figures(
    *, merger: Merger, month: date, scope: str
) -> dict[str, PipelineFigures] | None:
    """The figures of `month` (any day in it) per line key of `scope` as the dashboard
    shows them for it (SnapshotLine.figures): its deals of either kind open at its end,
    and won or lost in it, as they stood then (tracker.deal_figures.figures_by). None
    while the month is not frozen."""
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month=month.replace(day=1), scope=scope
    ).only("key", *SnapshotLine.FIGURES.values())
    found = {line.key: line.figures for line in lines}
    if found or month_frozen_at(merger=merger, month=month) is not None:
        return found
    return None


def frozen_open_by_month(*, merger: Merger, month: date) -> dict[date | None, PipelineFigures]:
    """The program's deals open at the end of frozen `month` (any day in it) per month of
    their expected close then, from the cells its dashboard draws them from."""
    cells = SnapshotLine.objects.filter(
        snapshot__merger=merger,
        snapshot__month=month.replace(day=1),
        scope=SnapshotLine.Scope.PROGRAM,
    ).values_list("open_cells", flat=True)
    by_month: dict[date | None, list[OpenCell]] = {}
    for cell in (OpenCell.from_json(row) for row in cells.first() or []):
        by_month.setdefault(cell.month, []).append(cell)
    return {key: open_figures_of(group) for key, group in by_month.items()}


def month_frozen_at(*, merger: Merger, month: date | None) -> datetime | None:
    """When `month` (any day in it) was frozen; None while it is not."""
    if month is None:
        return None
    snapshots = MonthlySnapshot.objects.filter(merger=merger, month=month.replace(day=1))
    return snapshots.values_list("frozen_at", flat=True).first()


def closed_months_of(
    *, merger: Merger, periods: Iterable[Period]
) -> dict[Period, tuple[date, ...]]:
    """The frozen months of each period, oldest first, in one query; a period with none
    is left out. A quota set for them changes no figure of theirs."""
    periods = set(periods)
    if not periods:
        return {}
    first = min(period.start for period in periods)
    last = max(period.last_month for period in periods)
    frozen = set(
        MonthlySnapshot.objects.filter(merger=merger, month__range=(first, last)).values_list(
            "month", flat=True
        )
    )
    found = {}
    for period in sorted(periods):
        months = tuple(
            month for month in sorted(frozen) if period.start <= month <= period.last_month
        )
        if months:
            found[period] = months
    return found
