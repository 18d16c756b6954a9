"""The open deals a month's snapshot keeps beside its figures (tracker.models.SnapshotDeal)."""

from accounts.models import Merger
from accounts.services.bulk_rows import rows_insert
from tracker.deal_replay import DealState
from tracker.figures import OPEN
from tracker.models import MonthlySnapshot, SnapshotDeal, Stage


def open_deal_rows(
    *, merger: Merger, states: list[DealState], team_of: dict[int, int | None]
) -> list[dict]:
    """The deals open in `states` (the month's deals replayed to its end), as rows, with
    their owner's team and their stage's place as they stand at the freeze."""
    order = dict(Stage.objects.filter(merger=merger).values_list("id", "order"))
    return [
        {
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
        }
        # The freeze's own test of an open deal (tracker.deal_figures.figures_by).
        for state in states
        if state.outcome == OPEN
    ]


def snapshot_open_deals_write(*, snapshot: MonthlySnapshot, rows: list[dict]) -> None:
    """Writes the rows in the snapshot's transaction: a month is frozen with its deals
    or not at all."""
    rows_insert(model=SnapshotDeal, rows=[{**row, "snapshot_id": snapshot.pk} for row in rows])
    snapshot.open_deals_kept = True
    snapshot.save(update_fields=["open_deals_kept"])
