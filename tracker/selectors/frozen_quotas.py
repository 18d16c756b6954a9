"""A closed month's quota, credited cross-sell won and wins, as its snapshot froze them.

The quota page and the pipeline metrics of a frozen month read these instead of
today's quotas and deals, as the dashboard, scorecard and exports do: a closed
month's attainment is a fact, and a later edit of one of its deals is booked as a
restatement of the month it was made in (tracker.services.snapshots). Teams and the
program add up their reps' frozen lines as the live figures add up the live ones.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from accounts.models import Merger
from tracker.models import MonthlySnapshot, SnapshotLine
from tracker.pipeline_math import ZERO
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


def frozen_quotas(*, merger: Merger, month: date | None) -> FrozenQuotas | None:
    """The frozen rep lines of `month` (any day in it); None while it is not frozen."""
    if month is None:
        return None
    snapshot = MonthlySnapshot.objects.filter(merger=merger, month=month.replace(day=1)).first()
    if snapshot is None:
        return None
    Scope = SnapshotLine.Scope
    rows = snapshot.lines.filter(scope__in=[Scope.REP, Scope.TEAM]).values_list(
        "scope", "key", "core_quota", "cross_sell_quota", SnapshotLine.ATTAINMENT_CREDIT
    )
    lines: dict[str, dict[int, RepQuota]] = {Scope.REP: {}, Scope.TEAM: {}}
    for scope, key, core, cross, credit in rows:
        if key:
            lines[scope][int(key)] = (core or ZERO, cross or ZERO, credit or ZERO)
    return FrozenQuotas(
        month=snapshot.month,
        frozen_at=snapshot.frozen_at,
        reps=lines[Scope.REP],
        teams=lines[Scope.TEAM],
    )


# (won count, won amount, lost count) of a snapshot line: its deals of either kind that
# closed in the month, as they stood at the month's end (tracker.deal_figures.figures_by).
type WonLost = tuple[int, Decimal, int]


def frozen_won(*, merger: Merger, month: date, scope: str) -> dict[str, WonLost] | None:
    """The won and lost figures of `month` (any day in it) per line key of `scope`, as the
    dashboard shows them for it; None while the month is not frozen."""
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month=month.replace(day=1), scope=scope
    ).values_list("key", "won_count", "won_amount", "lost_count")
    found = {key: (won, amount, lost) for key, won, amount, lost in lines}
    if found or month_frozen_at(merger=merger, month=month) is not None:
        return found
    return None


def month_frozen_at(*, merger: Merger, month: date | None) -> datetime | None:
    """When `month` (any day in it) was frozen; None while it is not."""
    if month is None:
        return None
    snapshots = MonthlySnapshot.objects.filter(merger=merger, month=month.replace(day=1))
    return snapshots.values_list("frozen_at", flat=True).first()


def frozen_months(*, merger: Merger, period: Period) -> list[date]:
    """The months of `period` already frozen, oldest first: a quota change leaves their
    figures as they are."""
    snapshots = MonthlySnapshot.objects.filter(
        merger=merger, month__gte=period.start, month__lte=period.last_month
    )
    return list(snapshots.order_by("month").values_list("month", flat=True))
