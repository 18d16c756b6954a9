"""Reads the deals of a program as plain states, now or replayed to an instant."""

from collections.abc import Collection, Iterable, Iterator
from datetime import datetime

from django.db.models import Max, Q

from accounts.models import Merger, RecordChange
from accounts.selectors.history import changes_of
from tracker.deal_replay import REPLAYED, Change, DealState, Replayed, replay
from tracker.figures import PROGRESS_FIELDS
from tracker.models import Opportunity, Stage

STATE_FIELDS = (
    "id",
    "account_id",
    "product_id",
    "owner_id",
    "segment_id",
    "stage_id",
    "outcome",
    "kind",
    "direction",
    "probability",
    "amount",
    "expected_close",
    "closed_on",
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


def deal_states_as_of(
    *, merger: Merger, at: datetime, ids: Collection[int] | None = None
) -> Replayed:
    """The program's deals (or those of `ids`) as they stood at `at`: today's values with
    later changes undone."""
    # Indexed by kind of record, program and time (RecordChange "record_change_kind").
    history = changes_of(Opportunity).filter(merger=merger).order_by()
    if ids is not None:
        history = history.filter(object_id__in=ids)
    later = history.filter(at__gt=at, action__in=UNDONE).values_list("object_id", "changes", "at")
    # Only deals that moved after `at` need their last move before it looked up.
    moved_since = Opportunity.objects.filter(merger=merger, progressed_at__gt=at).values("pk")
    progressed = (
        history.filter(MOVES, at__lte=at, object_id__in=moved_since)
        .values("object_id")
        .annotate(last=Max("at"))
        .values_list("object_id", "last")
    )
    return replay(
        deal_states_now(merger=merger, ids=ids),
        _changes(later.iterator(chunk_size=5000)),
        at=at,
        stage_outcomes=dict(Stage.objects.filter(merger=merger).values_list("id", "outcome")),
        progressed=dict(progressed),
    )
