"""Pipeline, quota and crediting figures, aggregated in SQL; dashboards reuse them.

Every function runs a fixed number of queries whatever the data size: one
grouped aggregate per figure family, never one query per rep or segment.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import Kind, Merger
from core.db_functions import DaysBetween, MonthStart
from tracker.figures import (
    MONEY,
    amount_sums,
    closed_in_q,
    closing_q,
    cross_company_q,
    realized_q,
    stale_q,
)
from tracker.models import CreditSplit, Opportunity, Quota, Stage, Team
from tracker.pipeline_math import (
    ZERO,
    PipelineFigures,
    add_months,
    months_between,
    rollup,
)
from tracker.quota_math import spread_share
from tracker.team_tree import subtree_ids

OPEN = Q(outcome=Stage.Outcome.OPEN)
WON = Q(outcome=Stage.Outcome.WON)
LOST = Q(outcome=Stage.Outcome.LOST)


class Dimension(StrEnum):
    REP = "rep"
    TEAM = "team"
    SEGMENT = "segment"
    DIRECTION = "direction"
    MONTH = "month"
    PROGRAM = "program"


_GROUP_FIELDS: dict[Dimension, Any] = {
    Dimension.REP: F("owner_id"),
    Dimension.TEAM: F("owner__team_id"),
    Dimension.SEGMENT: F("segment_id"),
    Dimension.DIRECTION: F("direction"),
    # Open deals fall in the month they are expected to close, closed ones in the
    # month they closed, so one month's row reads as "what that month holds".
    Dimension.MONTH: Case(
        When(OPEN, then=TruncMonth("expected_close")), default=TruncMonth("closed_on")
    ),
    Dimension.PROGRAM: Value("program"),
}


@dataclass(frozen=True)
class PipelineFilter:
    segment_id: int | None = None
    team_id: int | None = None
    owner_id: int | None = None
    direction: str | None = None
    company_id: int | None = None
    kinds: tuple[str, ...] = (Kind.CROSS_SELL, Kind.UPSELL)
    # The reps a viewer covers (a leader's team); None for the whole program.
    owner_ids: tuple[int, ...] | None = None
    # Only the deals that count as synergy (tracker.figures.cross_company_q).
    cross_company_only: bool = False

    def apply(self, queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
        queryset = queryset.filter(kind__in=self.kinds)
        if self.cross_company_only:
            queryset = queryset.filter(cross_company_q())
        if self.owner_ids is not None:
            queryset = queryset.filter(owner_id__in=self.owner_ids)
        if self.segment_id:
            queryset = queryset.filter(segment_id=self.segment_id)
        if self.team_id:
            queryset = queryset.filter(owner__team_id__in=team_subtree_ids(team_id=self.team_id))
        if self.owner_id:
            queryset = queryset.filter(owner_id=self.owner_id)
        if self.direction:
            queryset = queryset.filter(direction=self.direction)
        if self.company_id:
            queryset = queryset.filter(product__company_id=self.company_id)
        return queryset


def team_subtree_ids(*, team_id: int) -> list[int]:
    same_program = Team.objects.filter(merger__teams__id=team_id)
    return sorted(subtree_ids(dict(same_program.values_list("id", "parent_id")), [team_id]))


def pipeline_figures(
    *,
    merger: Merger,
    by: Dimension = Dimension.PROGRAM,
    closed_from: date | None = None,
    closed_to: date | None = None,
    today: date | None = None,
    where: PipelineFilter | None = None,
    opportunities: QuerySet[Opportunity] | None = None,
) -> dict[Any, PipelineFigures]:
    """Open pipeline now, and wins and losses closed within [closed_from, closed_to].

    `opportunities` narrows the figures to a list a page shows, filtered as it is.
    """
    today = today or timezone.localdate()
    sums = {
        **_open_sums(stale_q(at=today, days=merger.stale_after_days)),
        **_closed_sums(closed_in_q(closed_from=closed_from, closed_to=closed_to)),
    }
    return _grouped(merger, by, where, opportunities, sums)


def _open_sums(stale: Q) -> dict[str, Any]:
    """The open pipeline's figures; every deal's column is read once, as it stands."""
    sums = amount_sums(where=OPEN)
    return {
        "open_count": Count("id", filter=OPEN),
        "open_amount": sums["total"],
        "weighted_amount": sums["weighted"],
        "stale_count": Count("id", filter=stale),
    }


def _closed_sums(in_period: Q) -> dict[str, Any]:
    """Wins and losses closed within the period."""
    return {
        "won_count": Count("id", filter=WON & in_period),
        "won_amount": Coalesce(Sum("amount", filter=WON & in_period), ZERO, output_field=MONEY),
        "lost_count": Count("id", filter=LOST & in_period),
        "cycle_days": Sum(
            DaysBetween(start="created_at", end="closed_on"), filter=WON & in_period
        ),
    }


def _grouped(
    merger: Merger,
    by: Dimension,
    where: PipelineFilter | None,
    opportunities: QuerySet[Opportunity] | None,
    sums: dict[str, Any],
) -> dict[Any, PipelineFigures]:
    base = Opportunity.objects.all() if opportunities is None else opportunities
    queryset = (where or PipelineFilter()).apply(base.filter(merger=merger))
    rows = queryset.annotate(group=_GROUP_FIELDS[by]).values("group").annotate(**sums).order_by()
    return {row.pop("group"): _figures(row) for row in rows}


def month_to_date_figures(
    *, merger: Merger, opportunities: QuerySet[Opportunity], today: date
) -> PipelineFigures:
    """Open and weighted pipeline now, won and lost since the month began, of `opportunities`
    as a whole."""
    first = today.replace(day=1)
    # Two reads: the open deals (most of a large program's) from their own narrow index
    # (tracker.models.Opportunity, "opportunity_open_sums"), and the few closed this
    # month; the program's older closed deals are left unread.
    stale = stale_q(at=today, days=merger.stale_after_days)
    in_month = closed_in_q(closed_from=first, closed_to=today)
    open_part = _grouped(
        merger, Dimension.PROGRAM, None, opportunities.filter(OPEN), _open_sums(stale)
    )
    closed_part = _grouped(
        merger,
        Dimension.PROGRAM,
        None,
        opportunities.filter(~OPEN, in_month),
        _closed_sums(in_month),
    )
    empty = PipelineFigures()
    return open_part.get("program", empty) + closed_part.get("program", empty)


def _figures(row: dict[str, Any]) -> PipelineFigures:
    """A row of sums (all of them, or an open or closed part's) as figures."""
    cycle_days = row.pop("cycle_days", None)
    money = {key: Decimal(row[key]).quantize(Decimal("0.01")) for key in _MONEY_KEYS if key in row}
    return PipelineFigures(
        open_count=row.get("open_count", 0),
        won_count=row.get("won_count", 0),
        lost_count=row.get("lost_count", 0),
        stale_count=row.get("stale_count", 0),
        cycle_days_sum=Decimal(round(cycle_days)) if cycle_days else ZERO,
        **money,
    )


_MONEY_KEYS = ("open_amount", "weighted_amount", "won_amount")


def team_pipeline_rollup(
    *, merger: Merger, figures_by_team: dict[int | None, PipelineFigures]
) -> dict[int, PipelineFigures]:
    """Team figures including every team below it in the hierarchy."""
    parent_of = dict(Team.objects.filter(merger=merger).values_list("id", "parent_id"))
    return rollup(figures_by_team, parent_of)


type QuotaRow = tuple[int, int | None, str, date, Decimal, Decimal]


def quota_totals(
    *, merger: Merger, month_from: date, month_to: date, by: Dimension = Dimension.REP
) -> dict[Any, tuple[Decimal, Decimal]]:
    """(core, cross-sell) quota per rep or team for the months in the range.

    A quarterly quota counts a third per month of the quarter inside the range, its last
    month taking the cent(s) left over (tracker.quota_math.spread_share).
    """
    rows = quota_rows(merger=merger, month_from=month_from, month_to=month_to)
    return quota_totals_of(rows, month_from=month_from, month_to=month_to, by=by)


def quota_rows(*, merger: Merger, month_from: date, month_to: date) -> list[QuotaRow]:
    """The quotas that fall, at least in part, within the months of the range."""
    rows = (
        Quota.objects.filter(rep__merger=merger)
        .sharing_months(month_from.replace(day=1), month_to)
        .values_list(
            "rep_id",
            "rep__team_id",
            "period_kind",
            "period_start",
            "core_amount",
            "cross_sell_amount",
        )
    )
    return list(rows)


def quota_totals_of(
    rows: list[QuotaRow], *, month_from: date, month_to: date, by: Dimension = Dimension.REP
) -> dict[Any, tuple[Decimal, Decimal]]:
    """quota_totals over rows already read, which may cover a wider range."""
    first = month_from.replace(day=1)
    totals: dict[Any, tuple[Decimal, Decimal]] = {}
    # A large program has thousands of quota rows over a few periods: each period's
    # months inside the range are worked out once.
    inside: dict[tuple[str, date], tuple[int, int, int] | None] = {}
    for rep_id, team_id, kind, start, core, cross in rows:
        if (kind, start) not in inside:
            inside[kind, start] = _months_inside(kind, start, first, month_to)
        months = inside[kind, start]
        if months is None:
            continue
        length, first_index, last_index = months
        key = rep_id if by == Dimension.REP else team_id if by == Dimension.TEAM else "program"
        old_core, old_cross = totals.get(key, (ZERO, ZERO))
        totals[key] = (
            old_core + spread_share(core, months=length, first=first_index, last=last_index),
            old_cross + spread_share(cross, months=length, first=first_index, last=last_index),
        )
    return {
        key: (core.quantize(Decimal("0.01")), cross.quantize(Decimal("0.01")))
        for key, (core, cross) in totals.items()
    }


def _months_inside(kind: str, start: date, first: date, last: date) -> tuple[int, int, int] | None:
    """(months of the quota's period, first and last of them inside the range, from 0),
    or None when none is."""
    length = 3 if kind == Quota.Period.QUARTER else 1
    end = add_months(start, length - 1)
    overlap_from, overlap_to = max(start, first), min(end, last.replace(day=1))
    if overlap_to < overlap_from:
        return None
    first_index = months_between(start, overlap_from) - 1
    return length, first_index, first_index + months_between(overlap_from, overlap_to) - 1


def credited_won(*, merger: Merger, closed_from: date, closed_to: date) -> dict[int, Decimal]:
    """Realized synergy credited to each rep: the owner unless splits say otherwise, plus
    overlay (tracker.deal_figures.credited_by_rep is the same over replayed deals)."""
    credits = credited_per_rep(
        merger=merger,
        closed_from=closed_from,
        closed_to=closed_to,
        owned=Sum("amount"),
        split=Sum(F("opportunity__amount") * F("percent") / 100, output_field=MONEY),
    )
    return {rep: Decimal(total).quantize(Decimal("0.01")) for rep, total in credits.items()}


def credited_per_rep(
    *, merger: Merger, closed_from: date, closed_to: date, owned: Any, split: Any
) -> dict[int, Any]:
    """Per rep, over the period's realized deals: `owned` aggregated over the deals they
    own without splits, plus `split` over their credit lines (split or overlay). Two
    queries, whatever the number of reps."""
    # Unsorted: grouped here, and a subquery of the credit lines below.
    won = Opportunity.objects.filter(
        realized_q(closed_from=closed_from, closed_to=closed_to), merger=merger
    ).order_by()
    owners = won.exclude(credits__kind=CreditSplit.Kind.SPLIT).values_list("owner_id")
    lines = CreditSplit.objects.filter(opportunity__in=won).values_list("rep_id")
    per_rep: dict[int, Any] = {}
    for rep_id, total in [
        *owners.annotate(total=owned).order_by(),
        *lines.annotate(total=split).order_by(),
    ]:
        per_rep[rep_id] = per_rep.get(rep_id, 0) + total
    return per_rep


def credited_won_by_month(*, merger: Merger, rep_id: int, closed_to: date) -> dict[date, Decimal]:
    """One rep's credited_won by close month, from Day 1 to `closed_to`: what a rep's
    snapshot lines keep as their realized synergy, month by month. Two queries."""
    # Unsorted: grouped here, and a subquery of the credit lines below.
    won = Opportunity.objects.filter(
        realized_q(closed_from=merger.day_one, closed_to=closed_to), merger=merger
    ).order_by()
    owned = (
        won.filter(owner_id=rep_id)
        .exclude(credits__kind=CreditSplit.Kind.SPLIT)
        .values(month=MonthStart("closed_on"))
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
        .order_by()
    )
    lines = (
        CreditSplit.objects.filter(opportunity__in=won, rep_id=rep_id)
        .values(month=MonthStart("opportunity__closed_on"))
        .annotate(total=Sum(F("opportunity__amount") * F("percent") / 100, output_field=MONEY))
        .values_list("month", "total")
        .order_by()
    )
    totals: dict[date, Decimal] = {}
    for month, total in [*owned, *lines]:
        totals[month] = totals.get(month, ZERO) + Decimal(total)
    return {month: total.quantize(Decimal("0.01")) for month, total in totals.items()}


SYNERGY = PipelineFilter(cross_company_only=True)


def realized_synergy(*, merger: Merger, closed_from: date | None, closed_to: date) -> Decimal:
    """The program's realized revenue synergy: won cross-company deals, counted once."""
    won = Opportunity.objects.filter(
        realized_q(closed_from=closed_from, closed_to=closed_to), merger=merger
    )
    return won.aggregate(total=Coalesce(Sum("amount"), ZERO, output_field=MONEY))["total"]


def closing_pipeline(
    *,
    merger: Merger,
    first: date,
    last: date,
    today: date,
    opportunities: QuerySet[Opportunity] | None = None,
) -> dict[int, Decimal] | None:
    """Per owning rep, the open cross-company pipeline expected to close in the rest of the
    period from `first` to `last` (tracker.figures.closing_q): what pipeline coverage
    counts on the dashboard, the quota board and the pipeline metrics. None once the
    period has ended: it has no coverage. `opportunities` narrows it to the deals a
    filtered page counts."""
    closing = closing_q(first=first, last=last, today=today)
    if closing is None:
        return None
    deals = Opportunity.objects if opportunities is None else opportunities
    rows = (
        deals.filter(closing, merger=merger)
        .values("owner_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["owner_id"]: row["total"] or ZERO for row in rows}
