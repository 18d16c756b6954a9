"""Reads the deals of a program as plain states, now or replayed to an instant, and the
credit split lines they are credited by."""

from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import Max, Q

from accounts.models import Merger, RecordChange
from accounts.selectors.history import changes_of
from tracker.deal_figures import Splits
from tracker.deal_replay import REPLAYED, Change, DealState, Replayed, replay, state_of_deleted
from tracker.figures import DEAL_TERMS, OPEN, PROGRESS_FIELDS, WON
from tracker.models import CreditSplit, Opportunity, SnapshotDeal, Stage

STATE_FIELDS = (
    "id",
    "account_id",
    "product_id",
    "owner_id",
    "segment_id",
    "stage_id",
    "outcome",
    *DEAL_TERMS,
    "created_at",
    "progressed_at",
)
Did = RecordChange.Action
MOVES = Q(changes__has_any_keys=PROGRESS_FIELDS) | Q(action__in=[Did.CREATED, Did.REOPENED])
# The writes whose old values the replay undoes: a creation has none, and neither a risk
# override nor a deletion changes what the figures read.
UNDONE = [Did.CHANGED, Did.REOPENED]


def _changes(rows: Iterable[tuple[int, dict, datetime]]) -> Iterator[Change]:
    """Each replayed field of each change, with the value it had before."""
    for deal_id, changes, at in rows:
        for field, (old, _new) in changes.items():
            if field in REPLAYED:
                yield Change(deal_id, field, "" if old is None else old, at)


def deal_states_now(*, merger: Merger, ids: Collection[int] | None = None) -> list[DealState]:
    deals = Opportunity.objects.filter(merger=merger)
    if ids is not None:
        deals = deals.filter(pk__in=ids)
    rows = deals.order_by("id").values_list(*STATE_FIELDS)
    return [DealState(*row) for row in rows.iterator(chunk_size=5000)]


def deal_states_deleted_since(
    *, merger: Merger, since: datetime, ids: Collection[int] | None = None
) -> list[DealState]:
    """The deals (of `ids`) deleted after `since`, as their deletion kept them; those
    created after `since` too are left to the replay to drop."""
    deleted = changes_of(Opportunity).filter(merger=merger, action=Did.DELETED, at__gt=since)
    if ids is not None:
        deleted = deleted.filter(object_id__in=ids)
    rows = list(deleted.order_by().values_list("object_id", "changes", "at"))
    if not rows:
        return []
    created = dict(
        changes_of(Opportunity, object_ids=[row[0] for row in rows])
        .filter(action=Did.CREATED)
        .order_by()
        .values_list("object_id", "at")
    )
    states = []
    for deal_id, changes, deleted_at in rows:
        last = {field: old for field, (old, _new) in changes.items()}
        try:
            # A deal without a recorded creation predates the history: it existed then.
            born = created.get(deal_id, since)
            states.append(state_of_deleted(deal_id, last, created_at=born, deleted_at=deleted_at))
        except (ValueError, TypeError):
            continue  # a deletion whose values cannot be read back is left out
    return states


def deal_states_as_of(
    *, merger: Merger, at: datetime, ids: Collection[int] | None = None, deleted: bool = False
) -> Replayed:
    """The program's deals (or those of `ids`) as they stood at `at`: today's values with
    later changes undone; with `deleted`, the deals deleted since as well."""
    # Indexed by kind of record, program and time (RecordChange "record_change_kind").
    history = changes_of(Opportunity).filter(merger=merger).order_by()
    if ids is not None:
        history = history.filter(object_id__in=ids)
    later = history.filter(at__gt=at, action__in=UNDONE).values_list("object_id", "changes", "at")
    # Only deals that moved after `at` need their last move before it looked up.
    # A subquery of ids: the deals' default order would sort it for nothing.
    moved_since = (
        Opportunity.objects.filter(merger=merger, progressed_at__gt=at).order_by().values("pk")
    )
    progressed = (
        history.filter(MOVES, at__lte=at, object_id__in=moved_since)
        .values("object_id")
        .annotate(last=Max("at"))
        .values_list("object_id", "last")
    )
    deals = deal_states_now(merger=merger, ids=ids)
    if deleted:
        deals += deal_states_deleted_since(merger=merger, since=at, ids=ids)
    return replay(
        deals,
        _changes(later.iterator(chunk_size=5000)),
        at=at,
        stage_outcomes=dict(Stage.objects.filter(merger=merger).values_list("id", "outcome")),
        progressed=dict(progressed),
    )


def kept_state(row: SnapshotDeal) -> DealState:
    """A deal as its month's freeze kept it (tracker.models.SnapshotDeal)."""
    frozen_at = row.snapshot.frozen_at
    return DealState(
        id=row.opportunity_id,
        account_id=row.account_id,
        product_id=row.product_id,
        owner_id=row.owner_id,
        segment_id=row.segment_id,
        stage_id=row.stage_id,
        outcome=OPEN if row.kept == SnapshotDeal.Kept.OPEN else WON,
        kind=row.kind,
        direction=row.direction,
        probability=row.probability,
        amount=row.amount,
        expected_close=row.expected_close,
        closed_on=row.closed_on,
        # Not kept: no list of a closed month shows either.
        created_at=frozen_at,
        progressed_at=frozen_at,
    )


def credit_splits(*, where: Q) -> Splits:
    """The credit split lines `where` selects, per deal, in the order they were entered:
    what tracker.deal_figures.credit_shares credits a deal's reps by."""
    splits: dict[int, list[tuple[int, str, Decimal]]] = {}
    rows = CreditSplit.objects.filter(where).values_list(
        "opportunity_id", "rep_id", "kind", "percent"
    )
    for opportunity_id, rep_id, kind, percent in rows.order_by("pk"):
        splits.setdefault(opportunity_id, []).append((rep_id, kind, percent))
    return splits
