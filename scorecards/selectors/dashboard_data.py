"""The grouped queries a monthly dashboard is drawn from, each run at most once.

A large program holds hundreds of thousands of opportunities. Rather than one
scan per tile or chart, the dashboard reads two small cubes: open deals grouped
by stage, segment, direction, kind and expected close month, and closed deals
grouped by close month, outcome and kind. Tiles, funnel, segment chart,
forecast and impact line are sums over those cubes; quotas and credits are
read once per period asked for.

A closed month for filters no snapshot line holds reads its open deals and realized
synergy from the deals its snapshot kept, when it kept them (tracker.selectors.
kept_figures), never today's deals.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce

from accounts.models import Merger
from core.db_functions import MonthStart
from scorecards.selectors.dashboard_kept import KeptDeals
from tracker.deal_figures import OpenCell, open_figures_of
from tracker.figures import MONEY, amount_sums, is_cross_company, realized_q, stale_q
from tracker.models import Opportunity, Rep, SnapshotLine, Stage, SynergyTarget
from tracker.pipeline_math import ZERO, PipelineFigures, add_months, cents, month_end
from tracker.selectors.frozen_pipeline import FrozenOpenWhere
from tracker.selectors.metrics import (
    Dimension,
    PipelineFilter,
    QuotaRow,
    closing_pipeline,
    credited_won,
    credited_won_by_month,
    quota_rows,
    quota_totals_of,
    team_subtree_ids,
)

# Open pipeline is compared with the cross-sell quota of this and the next 11 months.


@dataclass(frozen=True)
class DashboardFilter:
    month: date
    segment_id: int | None = None
    team_id: int | None = None
    direction: str | None = None
    company_id: int | None = None
    owner_id: int | None = None

    @property
    def has_target(self) -> bool:
        """Synergy targets are set for the program and its segments, not for other slices."""
        return not (self.team_id or self.owner_id or self.direction or self.company_id)

    @property
    def has_quota(self) -> bool:
        """Cross-sell quotas are set per rep: they add up to a team or the program, never
        to a segment, a direction or a company's products."""
        return not (self.segment_id or self.direction or self.company_id)

    def pipeline(self) -> PipelineFilter:
        return PipelineFilter(
            segment_id=self.segment_id,
            team_id=self.team_id,
            owner_id=self.owner_id,
            direction=self.direction,
            company_id=self.company_id,
        )

    def snapshot_scope(self) -> tuple[str, str] | None:
        """The one snapshot line that answers these filters, if there is one."""
        given = {
            SnapshotLine.Scope.SEGMENT: self.segment_id,
            SnapshotLine.Scope.TEAM: self.team_id,
            SnapshotLine.Scope.DIRECTION: self.direction,
            SnapshotLine.Scope.REP: self.owner_id,
        }
        chosen = {scope: value for scope, value in given.items() if value}
        if self.company_id or len(chosen) > 1:
            return None
        if not chosen:
            return SnapshotLine.Scope.PROGRAM, ""
        [(scope, value)] = chosen.items()
        return scope, str(value)


class DashboardData:
    """What one dashboard (a program, month and filters) reads from the database."""

    def __init__(
        self,
        *,
        merger: Merger,
        where: DashboardFilter,
        today: date,
        frozen: SnapshotLine | None = None,
    ) -> None:
        self.merger = merger
        self.where = where
        self.month = where.month.replace(day=1)
        self.today = today
        self._quotas: dict[tuple[date, date], dict[int, tuple[Decimal, Decimal]]] = {}
        self._credits: dict[date, dict[int, Decimal]] = {}
        self._quota_from = add_months(self.month, -1)
        self._quota_to = self.month
        # The snapshot line of a frozen month for these filters: its open deals are
        # those at the month's end, whatever happened to them since.
        self.frozen = frozen

    # The reps and stages behind the filters

    @cached_property
    def team_ids(self) -> list[int]:
        """The chosen team and every team below it."""
        return team_subtree_ids(team_id=self.where.team_id) if self.where.team_id else []

    @cached_property
    def owner_ids(self) -> list[int] | None:
        """The reps the filters narrow to; None for every rep of the program."""
        if self.where.owner_id:
            return [self.where.owner_id]
        if self.where.team_id:
            reps = Rep.objects.filter(team_id__in=self.team_ids)
            return list(reps.values_list("id", flat=True))
        return None

    @cached_property
    def segments(self) -> list[tuple[int, str]]:
        """The program's segments as (id, name) by name: two charts list them."""
        return list(self.merger.segments.order_by("name").values_list("id", "name"))

    @cached_property
    def stages(self) -> dict[int, Stage]:
        return {stage.pk: stage for stage in Stage.objects.filter(merger=self.merger)}

    def open_stages(self) -> list[Stage]:
        open_ = (s for s in self.stages.values() if s.outcome == Stage.Outcome.OPEN)
        return sorted(open_, key=lambda stage: (stage.order, stage.pk))

    def funnel_stages(self) -> list[tuple[int, str]]:
        """The open stages as (id, name) in pipeline order; a month read from its kept deals
        orders its stages as they stood at the freeze, and lists a stage open then."""
        order = {stage.pk: stage.order for stage in self.open_stages()}
        if self.kept is not None:
            order |= self.kept_deals.open_cells(self.month)[1]
        names = {pk: stage.name for pk, stage in self.stages.items()}
        ranked = sorted(order, key=lambda pk: (order[pk], pk))
        return [(pk, names.get(pk, f"#{pk}")) for pk in ranked]

    # Closed months, and the deals their snapshots kept

    @cached_property
    def kept_deals(self) -> KeptDeals:
        """The closed months and, for filters no snapshot line holds, their kept deals."""
        where = self.where
        return KeptDeals(
            merger=self.merger,
            month=self.month,
            # A line of the slice holds its closed months' figures: no kept deal is read.
            summed=where.snapshot_scope() is None,
            where=FrozenOpenWhere(
                segment=where.segment_id,
                direction=where.direction or "",
                owner_id=where.owner_id,
                # The owners' teams at the freeze, in the team tree of the freeze.
                team_id=where.team_id,
            ),
            company_id=where.company_id,
        )

    @cached_property
    def kept(self) -> int | None:
        """The snapshot of the dashboard's own month when its figures are its kept deals'."""
        return None if self.frozen is not None else self.kept_deals.snapshot_of(self.month)

    # Open deals

    @cached_property
    def open_cells(self) -> list[OpenCell]:
        if self.frozen is not None:
            return [OpenCell.from_json(row) for row in self.frozen.open_cells]
        if self.kept is not None:
            return self.kept_deals.open_cells(self.month)[0]
        stale = stale_q(
            at=min(month_end(self.month), self.today), days=self.merger.stale_after_days
        )
        rows = (
            self.filtered_opportunities()
            .filter(outcome=Stage.Outcome.OPEN)
            .values(
                "stage_id", "segment_id", "direction", "kind", month=MonthStart("expected_close")
            )
            .annotate(
                # COUNT(*), not COUNT(id): the id is not in the covering index.
                deals=Count("*"),
                **amount_sums(),
                stale=Sum(Case(When(stale, then=1), default=0)),
            )
            .order_by()
        )
        return [OpenCell(count=row.pop("deals"), amount=row.pop("total"), **row) for row in rows]

    def closing_pipeline(self) -> Decimal | None:
        """The numerator of pipeline coverage for the filtered reps and deals
        (tracker.selectors.metrics.closing_pipeline); None once the month is over."""
        by_owner = closing_pipeline(
            merger=self.merger,
            first=self.month,
            last=month_end(self.month),
            today=self.today,
            opportunities=self.filtered_opportunities(),
        )
        return None if by_owner is None else cents(sum(by_owner.values(), ZERO))

    def open_figures(self) -> PipelineFigures:
        return open_figures_of(self.open_cells)

    # Closed deals

    @cached_property
    def closed(self) -> dict[tuple[date, str, str, str], tuple[int, Decimal]]:
        """{(close month, outcome, kind, direction): (count, amount)} up to the dashboard's
        month."""
        rows = (
            self.filtered_opportunities()
            .filter(
                outcome__in=[Stage.Outcome.WON, Stage.Outcome.LOST],
                closed_on__lte=month_end(self.month),
            )
            .values("outcome", "kind", "direction", month=MonthStart("closed_on"))
            .annotate(deals=Count("*"), total=Coalesce(Sum("amount"), ZERO, output_field=MONEY))
            .values_list("month", "outcome", "kind", "direction", "deals", "total")
            .order_by()
        )
        return {
            (month, outcome, kind, direction): (count, amount)
            for month, outcome, kind, direction, count, amount in rows
        }

    def closed_between(self, first: date, last: date) -> tuple[int, int, Decimal]:
        """(won, lost, realized synergy) among deals closed from `first` to `last`."""
        rows = (
            self.filtered_opportunities()
            .filter(closed_on__gte=first, closed_on__lte=last)
            .aggregate(
                won=Count("id", filter=Q(outcome=Stage.Outcome.WON)),
                lost=Count("id", filter=Q(outcome=Stage.Outcome.LOST)),
                realized=Coalesce(
                    Sum("amount", filter=realized_q(closed_from=first, closed_to=last)),
                    ZERO,
                    output_field=MONEY,
                ),
            )
        )
        realized = rows["realized"]
        if self.credited_rep is not None:
            realized = self.credits_between(first, last).get(self.credited_rep, ZERO)
        return rows["won"], rows["lost"], cents(realized)

    def credits_between(self, first: date, last: date) -> dict[int, Decimal]:
        return credited_won(merger=self.merger, closed_from=first, closed_to=last)

    def closed_figures(self, month: date) -> PipelineFigures:
        """Deals won and lost in the month, as pipeline figures without open deals."""
        won = [value for key, value in self.closed.items() if key[:2] == (month, "won")]
        lost = [value for key, value in self.closed.items() if key[:2] == (month, "lost")]
        return PipelineFigures(
            won_count=sum(count for count, _amount in won),
            won_amount=cents(sum((amount for _count, amount in won), ZERO)),
            lost_count=sum(count for count, _amount in lost),
        )

    @cached_property
    def credited_rep(self) -> int | None:
        """The rep of a rep's dashboard with no other filter. Its realized synergy is the
        rep's credited won (splits and overlay), as the rep's snapshot lines keep it and
        the quota page shows it, in closed and live months alike."""
        scope = self.where.snapshot_scope()
        return int(scope[1]) if scope and scope[0] == SnapshotLine.Scope.REP else None

    @cached_property
    def realized_by_month(self) -> dict[date, Decimal]:
        """Realized synergy by close month: won cross-company deals (tracker.figures)."""
        if self.credited_rep is not None:
            return credited_won_by_month(
                merger=self.merger, rep_id=self.credited_rep, closed_to=month_end(self.month)
            )
        totals: dict[date, Decimal] = defaultdict(lambda: ZERO)
        for (month, outcome, _kind, direction), (_count, amount) in self.closed.items():
            if outcome == Stage.Outcome.WON and is_cross_company(direction):
                totals[month] += amount
        return dict(totals)

    def realized_to(self, month: date) -> Decimal:
        """Realized synergy from Day 1 to the end of the month."""
        first = self.merger.day_one.replace(day=1)
        return sum((v for m, v in self.realized_by_month.items() if first <= m <= month), ZERO)

    # Targets, quotas and credits

    @cached_property
    def targets(self) -> dict[date, Decimal]:
        """The synergy target of each month up to the dashboard's, for the segment or program."""
        targets = SynergyTarget.objects.filter(merger=self.merger, month__lte=self.month)
        if self.where.segment_id:
            targets = targets.filter(segment_id=self.where.segment_id)
        else:
            targets = targets.filter(segment__isnull=True)
        return dict(targets.values_list("month", "cross_sell"))

    def target_to(self, month: date) -> Decimal:
        return sum((value for m, value in self.targets.items() if m <= month), ZERO)

    @cached_property
    def quota_rows(self) -> list[QuotaRow]:
        """Quotas from the month before the dashboard's to the end of its coverage window."""
        return quota_rows(merger=self.merger, month_from=self._quota_from, month_to=self._quota_to)

    def quotas(self, first: date, last: date) -> dict[int, tuple[Decimal, Decimal]]:
        """(core, cross-sell) quota of every rep for the months first to last."""
        if first < self._quota_from or last > self._quota_to:
            raise ValueError(f"quotas are read for {self._quota_from} to {self._quota_to} only")
        if (first, last) not in self._quotas:
            self._quotas[first, last] = quota_totals_of(
                self.quota_rows, month_from=first, month_to=last, by=Dimension.REP
            )
        return self._quotas[first, last]

    def credits(self, month: date) -> dict[int, Decimal]:
        """Won cross-sell revenue credited to each rep in the month."""
        if month not in self._credits:
            self._credits[month] = credited_won(
                merger=self.merger, closed_from=month, closed_to=month_end(month)
            )
        return self._credits[month]

    def chosen_reps(self, *rep_sets: Iterable[int]) -> set[int]:
        """The filtered reps, or every rep that appears in one of the sets."""
        if self.owner_ids is not None:
            return set(self.owner_ids)
        return set().union(*rep_sets)

    def filtered_opportunities(self) -> QuerySet[Opportunity]:
        """The program's deals as the filters narrow them."""
        # The team filter from the subtree read once, rather than by each query.
        where = replace(self.where.pipeline(), team_id=None)
        opportunities = where.apply(Opportunity.objects.filter(merger=self.merger))
        if self.where.team_id:
            opportunities = opportunities.filter(owner__team_id__in=self.team_ids)
        return opportunities
