"""The deals a month's snapshot keeps beside its figures (tracker.models.SnapshotDeal)."""

from datetime import date

from accounts.models import Merger
from accounts.services.bulk_rows import rows_insert
from tracker.deal_figures import state_realized
from tracker.deal_replay import DealState
from tracker.figures import OPEN
from tracker.models import MonthlySnapshot, SnapshotDeal, Stage

Kept = SnapshotDeal.Kept


def kept_deal_rows(
    *,
    merger: Merger,
    states: list[DealState],
    team_of: dict[int, int | None],
    first: date,
    last: date,
) -> list[dict]:
    """The deals of `states` (the month's deals replayed to its end) open at its end or
    realized in it, as rows, with their owner's team and their stage's place as they
    stand at the freeze. "Open" and "realized" are the freeze's own tests
    (tracker.deal_figures.figures_by and state_realized)."""
    order = dict(Stage.objects.filter(merger=merger).values_list("id", "order"))
    rows = []
    for state in states:
        if state.outcome == OPEN:
            kept, closed_on = Kept.OPEN, None
        elif state_realized(state, first, last):
            kept, closed_on = Kept.REALIZED, state.closed_on
        else:
            continue
        rows.append(
            {
                "kept": kept,
                "opportunity_id": state.id,
                "account_id": state.account_id,
                "product_id": state.product_id,
                "owner_id": state.owner_id,
                "team_id": team_of.get(state.owner_id),
                "segment_id": state.segment_id,
                "stage_id": state.stage_id,
                "stage_order": order.get(state.stage_id, 0),
                "kind": state.kind,
                "direction": state.direction,
                "probability": state.probability,
                "amount": state.amount,
                "expected_close": state.expected_close,
                "closed_on": closed_on,
            }
        )
    return rows


def snapshot_deals_write(*, snapshot: MonthlySnapshot, rows: list[dict]) -> None:
    """Writes the rows in the snapshot's transaction: a month is frozen with its deals
    or not at all."""
    rows_insert(model=SnapshotDeal, rows=[{**row, "snapshot_id": snapshot.pk} for row in rows])
    snapshot.deals_kept = True
    snapshot.save(update_fields=["deals_kept"])
