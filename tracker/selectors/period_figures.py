"""Per-rep quota and credited cross-sell won of a period, its closed months as frozen.

A month with a snapshot is closed: its figures are its snapshot's rep lines, and a
later edit of one of its deals no longer moves them (the edit is booked as a
restatement of the month it is made in, tracker.services.snapshots). The period's
other months read today's quotas and deals; a period mixing both adds them up. A rep
without a line in a closed month had no figures in it.

The quota board and the payouts read a period through here. The queries do not grow
with the number of reps: two for the frozen lines, one for quotas, and two per run of
consecutive live months (two more with counts).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count

from accounts.models import Merger
from tracker.pipeline_math import ZERO, add_months, month_end, months_between
from tracker.selectors.frozen_quotas import FrozenMonths, frozen_months
from tracker.selectors.metrics import (
    Dimension,
    credited_per_rep,
    credited_won,
    quota_rows,
    quota_totals_of,
)


@dataclass(frozen=True)
class RepFigures:
    core_quota: Decimal = ZERO
    cross_sell_quota: Decimal = ZERO
    credited_won: Decimal = ZERO
    # The credited won deals a per-deal SPIF pays on (read only when asked for).
    credited_count: int = 0

    def __add__(self, other: "RepFigures") -> "RepFigures":
        return RepFigures(
            self.core_quota + other.core_quota,
            self.cross_sell_quota + other.cross_sell_quota,
            self.credited_won + other.credited_won,
            self.credited_count + other.credited_count,
        )


@dataclass(frozen=True)
class PeriodFigures:
    frozen: FrozenMonths
    # The months read from today's quotas and deals, oldest first.
    live_months: tuple[date, ...]
    # Each part alone: the quota board rolls the live one up its teams and adds the
    # teams' frozen lines, as a closed month's teams stand as frozen.
    live: dict[int, RepFigures] = field(default_factory=dict)
    closed: dict[int, RepFigures] = field(default_factory=dict)

    def of(self, rep_id: int) -> RepFigures:
        """Closed and live months together."""
        return self.live_of(rep_id) + self.frozen_of(rep_id)

    def live_of(self, rep_id: int) -> RepFigures:
        return self.live.get(rep_id, RepFigures())

    def frozen_of(self, rep_id: int) -> RepFigures:
        return self.closed.get(rep_id, RepFigures())

    def frozen_team(self, team_id: int) -> RepFigures:
        """The team's frozen lines over the closed months (none for a team added since)."""
        core, cross, credited = self.frozen.teams.get(team_id, (ZERO, ZERO, ZERO))
        return RepFigures(core, cross, credited)


def period_figures(
    *, merger: Merger, first: date, last_month: date, counts: bool = False
) -> PeriodFigures:
    """Each rep's quotas and credited won from `first` to `last_month` (any days in them).

    With `counts`, also the credited won deals. A closed month frozen before its
    snapshot kept that count has none frozen to read: its count is today's (the
    months are in `frozen.uncounted`), for the reps with a line in it.
    """
    first, last_month = first.replace(day=1), last_month.replace(day=1)
    frozen = frozen_months(merger=merger, first=first, last_month=last_month)
    months = [add_months(first, step) for step in range(months_between(first, last_month))]
    live_months = tuple(month for month in months if month not in frozen.months)
    live: dict[int, RepFigures] = {}
    rows = quota_rows(merger=merger, month_from=first, month_to=last_month) if live_months else []
    for run_first, run_last in _runs(live_months):
        quotas = quota_totals_of(rows, month_from=run_first, month_to=run_last, by=Dimension.REP)
        won = credited_won(merger=merger, closed_from=run_first, closed_to=month_end(run_last))
        deals = _counts(merger, run_first, run_last) if counts else {}
        for rep in {*quotas, *won, *deals}:
            core, cross = quotas.get(rep, (ZERO, ZERO))
            part = RepFigures(core, cross, won.get(rep, ZERO), deals.get(rep, 0))
            live[rep] = live.get(rep, RepFigures()) + part
    closed = {
        rep: RepFigures(core, cross, credited, frozen.counts.get(rep, 0))
        for rep, (core, cross, credited) in frozen.reps.items()
    }
    # No count was frozen to read: today's, said as such by the pages (never a guess).
    for month, with_line in frozen.uncounted.items():
        if not counts:
            break
        deals = _counts(merger, month, month)
        for rep in with_line & set(deals):
            closed[rep] = closed[rep] + RepFigures(credited_count=deals[rep])
    return PeriodFigures(frozen=frozen, live_months=live_months, live=live, closed=closed)


def _runs(months: tuple[date, ...]) -> list[tuple[date, date]]:
    """Consecutive months as (first, last) runs: one set of queries per run."""
    runs: list[tuple[date, date]] = []
    for month in months:
        if runs and add_months(runs[-1][1], 1) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def _counts(merger: Merger, first: date, last_month: date) -> dict[int, int]:
    return credited_won_counts(merger=merger, closed_from=first, closed_to=month_end(last_month))


def credited_won_counts(*, merger: Merger, closed_from: date, closed_to: date) -> dict[int, int]:
    """Won deals each rep is credited on (owned without splits, split or overlay): the
    deals `credited_won` sums, cross-company ones, so that a per-deal SPIF pays on the
    same deals as the credited amount. A company selling to its own customers is no
    synergy, whatever its kind."""
    return credited_per_rep(
        merger=merger,
        closed_from=closed_from,
        closed_to=closed_to,
        owned=Count("id"),
        split=Count("opportunity_id", distinct=True),
    )
