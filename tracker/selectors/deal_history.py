"""Reads the deals of a program as plain states, now or replayed to an instant."""

from collections.abc import Collection
from datetime import datetime

from django.db.models import Max, Q

from accounts.models import Merger
from tracker.deal_replay import Change, DealState, Replayed, replay
from tracker.figures import PROGRESS_FIELDS
from tracker.models import Opportunity, OpportunityChange, Stage

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
MOVES = Q(field__in=PROGRESS_FIELDS) | Q(
    action__in=[OpportunityChange.Action.CREATED, OpportunityChange.Action.REOPENED]
)


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
    history = OpportunityChange.objects.filter(opportunity__merger=merger)
    if ids is not None:
        history = history.filter(opportunity_id__in=ids)
    later = history.filter(changed_at__gt=at).values_list(
        "opportunity_id", "field", "old_value", "changed_at"
    )
    # Only deals that moved after `at` need their last move before it looked up.
    progressed = (
        history.filter(MOVES, changed_at__lte=at, opportunity__progressed_at__gt=at)
        .values("opportunity_id")
        .annotate(last=Max("changed_at"))
        .values_list("opportunity_id", "last")
        .order_by()
    )
    return replay(
        deal_states_now(merger=merger, ids=ids),
        [Change(*row) for row in later.iterator(chunk_size=5000)],
        at=at,
        stage_outcomes=dict(Stage.objects.filter(merger=merger).values_list("id", "outcome")),
        progressed=dict(progressed),
    )
