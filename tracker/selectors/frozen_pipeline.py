"""A closed month's open deals as they stood at its snapshot's instant.

The list behind the open pipeline a closed month's dashboard shows (by stage, by
segment and direction): the deals are replayed to the snapshot's instant as the
freeze replayed them (tracker.services.snapshots), and "open" is the freeze's own
test (tracker.deal_figures.figures_by), so the list adds up to the frozen figure
whatever was edited or deleted since.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from accounts.filter_fields import NO_SEGMENT
from accounts.models import Merger
from tracker.deal_replay import DealState
from tracker.figures import OPEN
from tracker.models import MonthlySnapshot, Stage
from tracker.pipeline_math import ZERO, cents
from tracker.selectors.deal_history import deal_states_as_of
from tracker.selectors.replayed_names import KINDS, ReplayedNames


@dataclass(frozen=True)
class FrozenOpenWhere:
    """The slice of the open deals asked for; None (or "") for every value.

    `segment` is a segment id or NO_SEGMENT for the deals without one; `owner_ids`
    are the reps whose deals the reader may see and `team_owner_ids` those of a chosen
    team, both as owners at the snapshot's instant.
    """

    stage_id: int | None = None
    segment: int | str | None = None
    direction: str = ""
    owner_id: int | None = None
    owner_ids: Collection[int] | None = None
    team_owner_ids: Collection[int] | None = None

    def keeps(self, state: DealState) -> bool:
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
        return self.team_owner_ids is None or state.owner_id in self.team_owner_ids


@dataclass(frozen=True)
class FrozenOpenDeals:
    """The open deals of one slice of a closed month, in stage order, largest first."""

    month: date
    frozen_at: datetime
    states: list[DealState]

    @property
    def count(self) -> int:
        return len(self.states)

    @property
    def amount(self) -> Decimal:
        # Summed and rounded as the freeze sums a line's open pipeline.
        return cents(sum((state.amount for state in self.states), ZERO))


def frozen_open_deals(
    *, merger: Merger, month: date, where: FrozenOpenWhere
) -> FrozenOpenDeals | None:
    """The open deals of the slice at the instant `month`'s snapshot describes; None while
    the month (any day in it) is not frozen."""
    snapshot = MonthlySnapshot.objects.filter(merger=merger, month=month.replace(day=1)).first()
    if snapshot is None:
        return None
    # A snapshot kept before its instant was recorded describes its freeze time.
    at = snapshot.as_of or snapshot.frozen_at
    states = deal_states_as_of(merger=merger, at=at, deleted=True).states
    order = dict(Stage.objects.filter(merger=merger).values_list("id", "order"))
    kept = [state for state in states if state.outcome == OPEN and where.keeps(state)]
    kept.sort(key=lambda state: (order.get(state.stage_id, 0), -state.amount, state.id))
    return FrozenOpenDeals(month=snapshot.month, frozen_at=snapshot.frozen_at, states=kept)


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
