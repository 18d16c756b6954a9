"""A closed month's open deals as they stood at its snapshot's instant.

The list behind the open pipeline a closed month's dashboard shows (by stage, by
segment and direction): the rows the freeze kept of the deals open at the month's
end (tracker.models.SnapshotDeal), so the list adds up to the frozen figure whatever
was edited, deleted or reassigned since. A month frozen before they were kept
replays its deals to the snapshot's instant as the freeze replayed them, with
"open" the freeze's own test (tracker.deal_figures.figures_by).
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.filter_fields import NO_SEGMENT
from accounts.models import Merger
from tracker.deal_replay import DealState
from tracker.figures import OPEN
from tracker.models import MonthlySnapshot, Rep, SnapshotDeal, Stage
from tracker.pipeline_math import ZERO, cents
from tracker.selectors.deal_history import deal_states_as_of, kept_state
from tracker.selectors.frozen_teams import kept_team_subtree_ids
from tracker.selectors.replayed_names import KINDS, ReplayedNames


@dataclass(frozen=True)
class FrozenOpenWhere:
    """The slice of the open deals asked for; None (or "") for every value.

    `segment` is a segment id or NO_SEGMENT for the deals without one; `owner_ids`
    are the reps whose deals the reader may see, as owners at the month's end;
    `team_id` a chosen team: the deals its reps and those of the teams below it owned,
    by the owners' teams and the team tree at the freeze (tracker.selectors.frozen_teams).
    """

    stage_id: int | None = None
    segment: int | str | None = None
    direction: str = ""
    owner_id: int | None = None
    owner_ids: Collection[int] | None = None
    team_id: int | None = None

    def q(self, teams: Collection[int] | None) -> Q:
        """The slice of a snapshot's kept deals (SnapshotDeal); `teams`, the chosen team's
        subtree in the snapshot's tree."""
        where = Q()
        if self.stage_id is not None:
            where &= Q(stage_id=self.stage_id)
        if self.segment == NO_SEGMENT:
            where &= Q(segment_id__isnull=True)
        elif self.segment is not None:
            where &= Q(segment_id=self.segment)
        if self.direction:
            where &= Q(direction=self.direction)
        if self.owner_id is not None:
            where &= Q(owner_id=self.owner_id)
        if self.owner_ids is not None:
            where &= Q(owner_id__in=self.owner_ids)
        if teams is not None:
            where &= Q(team_id__in=teams)
        return where

    def keeps(
        self,
        state: DealState,
        team_of: Mapping[int, int | None],
        teams: Collection[int] | None,
    ) -> bool:
        """The same slice of replayed deals, with the owners' teams of `team_of`."""
        if self.stage_id is not None and state.stage_id != self.stage_id:
            return False
        if self.segment == NO_SEGMENT:
            if state.segment_id is not None:
                return False
        elif self.segment is not None and state.segment_id != self.segment:
            return False
        if self.direction and state.direction != self.direction:
            return False
        if self.owner_id is not None and state.owner_id != self.owner_id:
            return False
        if self.owner_ids is not None and state.owner_id not in self.owner_ids:
            return False
        return teams is None or team_of.get(state.owner_id) in teams


@dataclass(frozen=True)
class FrozenOpenDeals:
    """The open deals of one slice of a closed month, in stage order, largest first."""

    month: date
    frozen_at: datetime
    count: int
    amount: Decimal
    # The kept rows (a query, paged by the database) or, for a month frozen before its
    # deals were kept, the replayed states.
    listed: Sequence[SnapshotDeal] | Sequence[DealState]
    # The month's open deals are today's replay, not rows kept at the freeze.
    replayed: bool = False

    def states(self, page: Iterable[SnapshotDeal | DealState]) -> list[DealState]:
        """A page of `listed` as deal states."""
        return [row if isinstance(row, DealState) else kept_state(row) for row in page]


def frozen_open_deals(
    *, merger: Merger, month: date, where: FrozenOpenWhere
) -> FrozenOpenDeals | None:
    """The open deals of the slice at the instant `month`'s snapshot describes; None while
    the month (any day in it) is not frozen."""
    snapshot = MonthlySnapshot.objects.filter(merger=merger, month=month.replace(day=1)).first()
    if snapshot is None:
        return None
    teams = None
    if where.team_id is not None:
        teams = kept_team_subtree_ids(snapshot=snapshot, team_id=where.team_id)
    if not snapshot.rows_kept:
        return _replayed(merger, snapshot, where, teams)
    rows = snapshot.deals.filter(where.q(teams), kept=SnapshotDeal.Kept.OPEN)
    totals = rows.aggregate(count=Count("pk"), amount=Sum("amount"))
    return FrozenOpenDeals(
        month=snapshot.month,
        frozen_at=snapshot.frozen_at,
        count=totals["count"],
        # Summed and rounded as the freeze sums a line's open pipeline.
        amount=cents(totals["amount"] or ZERO),
        listed=rows.order_by("stage_order", "-amount", "opportunity_id"),
    )


def _replayed(
    merger: Merger, snapshot: MonthlySnapshot, where: FrozenOpenWhere, teams: list[int] | None
) -> FrozenOpenDeals:
    # A snapshot kept before its instant was recorded describes its freeze time.
    at = snapshot.as_of or snapshot.frozen_at
    states = deal_states_as_of(merger=merger, at=at, deleted=True).states
    order = dict(Stage.objects.filter(merger=merger).values_list("id", "order"))
    team_of = dict(Rep.objects.filter(merger=merger).values_list("id", "team_id"))
    kept = [s for s in states if s.outcome == OPEN and where.keeps(s, team_of, teams)]
    kept.sort(key=lambda state: (order.get(state.stage_id, 0), -state.amount, state.id))
    return FrozenOpenDeals(
        month=snapshot.month,
        frozen_at=snapshot.frozen_at,
        count=len(kept),
        amount=cents(sum((state.amount for state in kept), ZERO)),
        listed=kept,
        replayed=True,
    )


@dataclass(frozen=True)
class FrozenDealRow:
    """One open deal as it stood, with the names it is shown by today."""

    id: int
    # False once the deal is deleted: it is then named, not linked.
    exists: bool
    account_id: int
    account: str
    account_exists: bool
    product: str
    company: str
    company_role: str
    kind: str
    stage: str
    probability: int
    segment: str
    direction: str
    owner: str
    amount: Decimal
    expected_close: date


def frozen_deal_rows(*, states: Sequence[DealState]) -> list[FrozenDealRow]:
    """The rows of a page of replayed deals, every name read once for the whole page."""
    names = ReplayedNames(states)
    rows = []
    for state in states:
        product = names.products.get(state.product_id)
        rows.append(
            FrozenDealRow(
                id=state.id,
                exists=state.id in names.existing,
                account_id=state.account_id,
                account=names.accounts.get(state.account_id, ""),
                account_exists=state.account_id in names.accounts,
                product=names.product_name(state),
                company=product.company.short_name if product else "",
                company_role=product.company.role if product else "",
                kind=str(KINDS.get(state.kind, state.kind)),
                stage=names.stages.get(state.stage_id, ""),
                probability=state.probability,
                segment=names.segments.get(state.segment_id, "") if state.segment_id else "",
                direction=names.direction(state),
                owner=names.owner_name(state),
                amount=state.amount,
                expected_close=state.expected_close,
            )
        )
    return rows
