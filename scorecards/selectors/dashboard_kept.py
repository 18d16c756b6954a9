"""A dashboard's closed months, and for filters no snapshot line holds, the deals
their snapshots kept.

A snapshot line holds one slice: the program, a segment, a direction, a team or a
rep. For any other filters (a segment in one direction, a team's deals of a segment,
a company's products) a closed month whose deals were kept shows their sums, filtered
as the dashboard is (tracker.selectors.kept_figures): figures frozen with the month,
never today's deals. A month frozen before its deals were kept has no such rows and
is computed from current data, and says so.
"""

from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from accounts.models import Merger
from tracker.deal_figures import OpenCell, open_figures_of
from tracker.deal_replay import DealState
from tracker.models import MonthlySnapshot
from tracker.pipeline_math import ZERO, PipelineFigures, add_months
from tracker.selectors.frozen_pipeline import FrozenOpenWhere
from tracker.selectors.frozen_teams import team_trees_of
from tracker.selectors.kept_figures import (
    kept_latest_realized,
    kept_open_cells,
    kept_realized_by_month,
    kept_slice_q,
)
from tracker.team_tree import subtree_ids

type Cells = tuple[list[OpenCell], dict[int, int]]


class KeptDeals:
    """The closed months up to a dashboard's month, and the filters' kept deals in them.

    `summed` is False where a snapshot line holds the filters: its months are then
    read from the lines, and no kept deal is.
    """

    def __init__(
        self,
        *,
        merger: Merger,
        month: date,
        summed: bool,
        where: FrozenOpenWhere,
        company_id: int | None,
    ) -> None:
        self.merger = merger
        self.month = month
        self.summed = summed
        self._where = where
        self._company_id = company_id
        self._cells: dict[date, Cells] = {}

    @cached_property
    def snapshots(self) -> dict[date, MonthlySnapshot]:
        """The program's frozen months up to the dashboard's, by month."""
        rows = MonthlySnapshot.objects.filter(merger=self.merger, month__lte=self.month).only(
            "merger_id", "month", "frozen_at", "as_of", "rows_kept"
        )
        return {snapshot.month: snapshot for snapshot in rows}

    @cached_property
    def _teams(self) -> dict[int, tuple[int, ...] | None]:
        """Each kept month's snapshot id: the chosen team and those below it in the tree
        the month was frozen with (tracker.selectors.frozen_teams), as its lists read
        them; None without a team filter."""
        kept = [snapshot for snapshot in self.snapshots.values() if snapshot.rows_kept]
        team_id = self._where.team_id
        if team_id is None or not kept:
            return dict.fromkeys((snapshot.pk for snapshot in kept), None)
        trees = team_trees_of(snapshots=kept)
        return {pk: tuple(sorted(subtree_ids(tree, [team_id]))) for pk, tree in trees.items()}

    def _q_of(self, teams: tuple[int, ...] | None) -> Q:
        return kept_slice_q(where=self._where, teams=teams, company_id=self._company_id)

    def snapshot_of(self, month: date) -> int | None:
        """The snapshot whose kept deals give the filters' figures of `month`, if any."""
        snapshot = self.snapshots.get(month) if self.summed else None
        return snapshot.pk if snapshot is not None and snapshot.rows_kept else None

    @cached_property
    def q(self) -> Q:
        """The filters' rows in every kept month, each month's team by its own tree: the
        months sharing a tree in one condition, so it grows with the trees, not the data."""
        months: dict[tuple[int, ...] | None, list[int]] = {}
        for snapshot_id, teams in self._teams.items():
            months.setdefault(teams, []).append(snapshot_id)
        q = Q(pk__in=[])
        for teams, snapshot_ids in months.items():
            q |= Q(snapshot_id__in=snapshot_ids) & self._q_of(teams)
        return q

    def open_cells(self, month: date) -> Cells:
        """The filters' deals open at the end of `month` (a month with a snapshot_of) as
        open cells, and each stage's place in the pipeline at the freeze."""
        if month not in self._cells:
            snapshot_id = self.snapshot_of(month)
            if snapshot_id is None:
                raise ValueError(f"no deals were kept for {month} and these filters")
            where = self._q_of(self._teams[snapshot_id])
            self._cells[month] = kept_open_cells(snapshot_id=snapshot_id, where=where)
        return self._cells[month]

    def open_figures(self, month: date) -> PipelineFigures | None:
        """Open and weighted pipeline at the end of `month`; None where no deals were kept
        for these filters."""
        if self.snapshot_of(month) is None:
            return None
        return open_figures_of(self.open_cells(month)[0])

    @cached_property
    def realized(self) -> dict[date, Decimal]:
        """{month: realized synergy in it} of every month with a snapshot_of."""
        months = [month for month in self.snapshots if self.snapshot_of(month) is not None]
        if not months:
            return {}
        found = kept_realized_by_month(merger=self.merger, where=self.q, through=self.month)
        return {month: found.get(month, ZERO) for month in months}

    def latest_wins(self, *, limit: int) -> list[DealState]:
        """The filters' latest realized deals up to the dashboard's month, each as its
        month kept it."""
        return kept_latest_realized(
            merger=self.merger, where=self.q, through=self.month, limit=limit
        )

    def realized_to(self, month: date) -> Decimal | None:
        """Realized synergy from Day 1 to the end of `month`, each month's as its freeze
        kept it. None unless every month from Day 1's kept its deals: a month without
        them would add a figure of today's deals to frozen ones. Changes to deals of a
        closed month made after its freeze (restatements) are no month's kept deals, so
        this is not realized since Day 1 as it stood at the month's end."""
        current, total = self.merger.day_one.replace(day=1), ZERO
        while current <= month:
            if current not in self.realized:
                return None
            total += self.realized[current]
            current = add_months(current, 1)
        return total
