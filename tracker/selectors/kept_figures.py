"""A closed month's figures for any slice, summed from the deals its snapshot kept.

A snapshot line holds one slice (the program, a segment, a direction, a team or a
rep). Any other slice (a segment in one direction, a team's deals of a segment, a
company's products) of a month whose deals were kept (MonthlySnapshot.rows_kept) is
the sum of its kept rows (tracker.models.SnapshotDeal): the deals open at the
month's end and those realized in it, as they stood then. So the slice's figures
stay as frozen whatever was edited, won or reassigned since. The rows keep no lost
deals, no deal's last progress and no quota: a slice's win rate, stale deals and
attainment are not measured from them.
"""

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import Merger, Product
from core.db_functions import MonthStart
from tracker.deal_figures import OpenCell
from tracker.deal_replay import DealState
from tracker.figures import MONEY, amount_sums
from tracker.models import SnapshotDeal
from tracker.pipeline_math import ZERO, cents
from tracker.selectors.deal_history import kept_state
from tracker.selectors.frozen_pipeline import FrozenOpenWhere

Kept = SnapshotDeal.Kept


def kept_slice_q(
    *, where: FrozenOpenWhere, teams: Collection[int] | None, company_id: int | None = None
) -> Q:
    """The kept rows of a slice: `where` as the frozen open-deals list filters them (a
    team by the owners' teams at the freeze, `teams` the team's subtree in the
    snapshot's tree), and a company's by the product's company."""
    q = where.q(teams)
    if company_id:
        q &= Q(product_id__in=Product.objects.filter(company_id=company_id).values("pk"))
    return q


def kept_open_cells(*, snapshot_id: int, where: Q) -> tuple[list[OpenCell], dict[int, int]]:
    """The slice's deals open at the month's end, grouped as the dashboard's open-deal cube
    groups them (tracker.deal_figures.OpenCell), and each stage's place in the pipeline
    at the freeze. A cell's stale count is 0: the rows keep no last progress."""
    rows = (
        SnapshotDeal.objects.filter(where, snapshot_id=snapshot_id, kept=Kept.OPEN)
        .values(
            "stage_id",
            "stage_order",
            "segment_id",
            "direction",
            "kind",
            month=MonthStart("expected_close"),
        )
        .annotate(
            deals=Count("*"),
            **amount_sums(),
        )
        .order_by()
    )
    cells, order = [], {}
    for row in rows:
        order[row["stage_id"]] = row.pop("stage_order")
        cells.append(
            OpenCell(
                count=row.pop("deals"),
                amount=row.pop("total"),
                weighted=row.pop("weighted"),
                stale=0,
                **row,
            )
        )
    return cells, order


def kept_realized_by_month(*, merger: Merger, where: Q, through: date) -> dict[date, Decimal]:
    """The slice's realized synergy in each month up to `through` whose deals were kept,
    as each month's freeze kept it; a kept month the slice realized nothing in is absent."""
    rows = (
        _kept_realized(merger, where, through)
        .values_list("snapshot__month")
        .annotate(total=Coalesce(Sum("amount"), ZERO, output_field=MONEY))
        .order_by()
    )
    return {month: cents(total) for month, total in rows}


def kept_latest_realized(
    *, merger: Merger, where: Q, through: date, limit: int
) -> list[DealState]:
    """The slice's latest realized deals up to the end of `through`, each as its own
    month's freeze kept it: newest first, the largest first on a day."""
    rows = (
        _kept_realized(merger, where, through)
        .select_related("snapshot")
        .order_by("-closed_on", "-amount", "-opportunity_id")[:limit]
    )
    return [kept_state(row) for row in rows]


def _kept_realized(merger: Merger, where: Q, through: date) -> QuerySet[SnapshotDeal]:
    """The slice's deals realized in the months up to `through` whose deals were kept."""
    return SnapshotDeal.objects.filter(
        where,
        snapshot__merger=merger,
        snapshot__rows_kept=True,
        snapshot__month__lte=through,
        kept=Kept.REALIZED,
    )
