"""The deals a month's snapshot keeps beside its figures: those open at its end and those
realized in it (tracker.models.SnapshotDeal), the shares of credit of the realized ones
(SnapshotCredit), its restatements (SnapshotRestatement) and its team tree
(SnapshotTeam)."""

from dataclasses import dataclass
from datetime import date, datetime

from accounts.models import Merger
from accounts.services.bulk_rows import rows_insert
from tracker.deal_figures import CreditLine, state_realized
from tracker.deal_replay import DealState
from tracker.figures import OPEN
from tracker.models import (
    MonthlySnapshot,
    SnapshotCredit,
    SnapshotDeal,
    SnapshotRestatement,
    SnapshotTeam,
    Stage,
)
from tracker.pipeline_math import month_end
from tracker.selectors.restatements import restated_deals

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


def kept_credit_rows(*, credits: list[CreditLine], team_of: dict[int, int | None]) -> list[dict]:
    """The month's shares of credit as rows, each with its rep's team at the freeze: the
    very lines the freeze adds its reps' and teams' credited won up from."""
    return [
        {
            "opportunity_id": line.opportunity_id,
            "rep_id": line.rep_id,
            "team_id": team_of.get(line.rep_id),
            "kind": line.kind,
            "percent": line.percent,
        }
        for line in credits
    ]


def kept_team_rows(*, parent_of: dict[int, int | None]) -> list[dict]:
    """The program's teams and whom each reports to: the very tree the freeze rolled its
    team lines up by (tracker.services.snapshots)."""
    return [
        {"team_id": team_id, "parent_id": parent_id} for team_id, parent_id in parent_of.items()
    ]


@dataclass(frozen=True)
class KeptRows:
    deals: list[dict]
    credits: list[dict]
    restatements: list[dict]
    teams: list[dict]


def kept_rows(
    *,
    merger: Merger,
    states: list[DealState],
    credits: list[CreditLine],
    team_of: dict[int, int | None],
    parent_of: dict[int, int | None],
    first: date,
    as_of: datetime,
) -> KeptRows:
    """What the freeze of the month starting `first` keeps as rows: its deals (from its
    replayed `states`), their `credits`, and its restatements, up to `as_of`, the
    month's end."""
    deals = kept_deal_rows(
        merger=merger, states=states, team_of=team_of, first=first, last=month_end(first)
    )
    return KeptRows(
        deals,
        kept_credit_rows(credits=credits, team_of=team_of),
        _restatement_rows(merger, first, as_of),
        kept_team_rows(parent_of=parent_of),
    )


def _restatement_rows(merger: Merger, first: date, as_of: datetime) -> list[dict]:
    """As the restatements page reads them (tracker.selectors.restatements): the changes
    between the freeze of the month before and this month's end."""
    previous = (
        MonthlySnapshot.objects.filter(merger=merger, month__lt=first).order_by("-month").first()
    )
    if previous is None:
        return []
    since = previous.as_of or previous.frozen_at
    items = restated_deals(
        merger=merger, since=since, until=as_of, through=month_end(previous.month)
    )
    return [
        {
            "opportunity_id": item.opportunity_id,
            "month_before": item.month_before,
            "month_after": item.month_after,
            "before": item.before,
            "after": item.after,
        }
        for item in items
    ]


def snapshot_rows_write(*, snapshot: MonthlySnapshot, rows: KeptRows) -> None:
    """Writes the rows in the snapshot's transaction: a month is frozen with them or not
    at all."""
    rows_insert(
        model=SnapshotDeal, rows=[{**row, "snapshot_id": snapshot.pk} for row in rows.deals]
    )
    rows_insert(
        model=SnapshotCredit, rows=[{**row, "snapshot_id": snapshot.pk} for row in rows.credits]
    )
    rows_insert(
        model=SnapshotRestatement,
        rows=[{**row, "snapshot_id": snapshot.pk} for row in rows.restatements],
    )
    rows_insert(
        model=SnapshotTeam, rows=[{**row, "snapshot_id": snapshot.pk} for row in rows.teams]
    )
    snapshot.rows_kept = True
    snapshot.save(update_fields=["rows_kept"])
