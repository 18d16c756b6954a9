"""Restatements: later changes to deals of closed months, shown where they were made.

A closed month's figures never move. When a deal won in a closed month is
edited, reopened or re-dated later, the difference appears as a restatement of
the month the change was made in, the way accounts book a prior-period
adjustment: which deal, which closed month, by how much, who and when.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Merger, RecordChange
from accounts.selectors.history import changes_of, field_label, history_lines, shown_value
from core.people import person_name
from tracker.deal_figures import state_realized
from tracker.deal_replay import DealState
from tracker.figures import WON
from tracker.models import MonthlySnapshot, Opportunity, Stage
from tracker.pipeline_math import ZERO, month_end
from tracker.selectors.deal_history import deal_states_as_of

Did = RecordChange.Action


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    by: str
    at: datetime
    # The deal was deleted: no field changed, it went.
    deleted: bool = False


@dataclass(frozen=True)
class Restatement:
    opportunity_id: int
    label: str
    # The closed month whose realized synergy the deal counted in, then and now.
    month_before: date | None
    month_after: date | None
    before: Decimal
    after: Decimal
    changes: list[FieldChange]

    @property
    def amount(self) -> Decimal:
        return self.after - self.before

    @property
    def deleted(self) -> bool:
        """The deal is gone: its page no longer opens, its history keeps it."""
        return any(change.deleted for change in self.changes)


@dataclass(frozen=True)
class Restatements:
    month: date
    # Closed months up to this one's end are what the restatements restate.
    frozen_through: date | None
    since: datetime | None
    until: datetime
    items: list[Restatement]

    @property
    def total(self) -> Decimal:
        return sum((item.amount for item in self.items), ZERO)


def restatements_of_month(*, merger: Merger, month: date) -> Restatements:
    """The restatements booked in `month`: changes made between the freeze of the closed
    month before it and the freeze of `month` (now, while it is open). A closed month
    reads the ones its freeze kept (SnapshotRestatement), one frozen before they were
    kept replays them."""
    month = month.replace(day=1)
    snapshots = MonthlySnapshot.objects.filter(merger=merger)
    previous = snapshots.filter(month__lt=month).order_by("-month").first()
    current = snapshots.filter(month=month).first()
    until = (current.as_of or current.frozen_at) if current else timezone.now()
    if previous is None:
        return Restatements(month, None, None, until, [])
    since = previous.as_of or previous.frozen_at
    through = month_end(previous.month)
    if current is not None and current.rows_kept:
        items = [
            Restatement(
                row.opportunity_id,
                "",
                row.month_before,
                row.month_after,
                row.before,
                row.after,
                [],
            )
            for row in current.restatements.order_by("opportunity_id")
        ]
    else:
        items = restated_deals(merger=merger, since=since, until=until, through=through)
    described = _described(items, since, until) if items else []
    return Restatements(month, through, since, until, described)


def restated_deals(
    *, merger: Merger, since: datetime, until: datetime, through: date
) -> list[Restatement]:
    """The deals whose count in the closed months (to `through`) changed between the two
    instants, by deal, without their names and changes (_described adds them)."""
    history = changes_of(Opportunity).filter(merger=merger).order_by()
    changed_ids = set(
        history.filter(at__gt=since, at__lte=until).values_list("object_id", flat=True)
    ) & _may_count(merger, history.filter(at__gt=since), through)
    if not changed_ids:
        return []
    # A deal deleted since stood at either instant before its deletion.
    then = _states_at(merger, since, changed_ids)
    later = _states_at(merger, until, changed_ids)
    items = []
    for deal_id in sorted(changed_ids):
        before, month_before = _counted(then.get(deal_id), merger.day_one, through)
        after, month_after = _counted(later.get(deal_id), merger.day_one, through)
        if before != after:
            items.append(Restatement(deal_id, "", month_before, month_after, before, after, []))
    return items


def _may_count(merger: Merger, history: QuerySet, through: date) -> set[int]:
    """The deals that can count in the closed months' realized synergy at some instant
    of `history` (the changes since one): those won today in a closed month, and those
    whose close date, or a stage between won and not, changed since, or that were
    reopened or deleted. Any other deal stood outside the closed months throughout, so
    the replays below read these, not every deal changed in the month."""
    won_stages = Stage.objects.filter(merger=merger, outcome=WON).values_list("pk", flat=True)
    moved = Q(changes__has_key="closed_on") | Q(action__in=[Did.REOPENED, Did.DELETED])
    for stage_id in won_stages:
        # Stages are kept as "Name (#id)", before and after ([old, new]).
        mark = f"(#{stage_id})"
        moved |= Q(changes__stage__0__endswith=mark) | Q(changes__stage__1__endswith=mark)
    won = Opportunity.objects.filter(merger=merger, outcome=WON, closed_on__lte=through).order_by()
    return {
        *won.values_list("pk", flat=True),
        *history.filter(moved).values_list("object_id", flat=True),
    }


def _states_at(merger: Merger, at: datetime, ids: set[int]) -> dict[int, DealState]:
    states = deal_states_as_of(merger=merger, at=at, ids=ids, deleted=True).states
    return {state.id: state for state in states}


def _counted(state: DealState | None, day_one: date, through: date) -> tuple[Decimal, date | None]:
    """What the deal counts in the realized synergy of the closed months, and in which."""
    if state is None or not state_realized(state, day_one, through):
        return ZERO, None
    return state.amount, state.closed_on.replace(day=1)


def _described(items: list[Restatement], since: datetime, until: datetime) -> list[Restatement]:
    """Each restatement with its deal's name and the changes behind it, who and when."""
    ids = [item.opportunity_id for item in items]
    labels = {
        deal.pk: f"{deal.product.name} · {deal.account.name}"
        for deal in Opportunity.objects.filter(pk__in=ids)
        .select_related("product", "account")
        .order_by()
    }
    changes: dict[int, list[FieldChange]] = {}
    rows = list(
        changes_of(Opportunity, object_ids=ids)
        .filter(at__gt=since, at__lte=until)
        .exclude(action=RecordChange.Action.CREATED)
        .select_related("actor")
        .order_by("at", "id")
    )
    # A deletion is one line, not one per field it kept; the deal is gone, so its name is
    # the one its deletion kept.
    for row in rows:
        if row.action == RecordChange.Action.DELETED:
            labels.setdefault(row.object_id, row.object_repr)
            by = person_name(row.actor) if row.actor else row.actor_name
            changes.setdefault(row.object_id, []).append(
                FieldChange("", "", "", by, row.at, deleted=True)
            )
    edits = [row for row in rows if row.action != RecordChange.Action.DELETED]
    for line in history_lines(edits):
        by = person_name(line.changed_by) if line.changed_by else line.changed_by_name
        # Named and written as the activity page shows a change, in the reader's language.
        old, new = (
            shown_value(Opportunity, line.field, v) for v in (line.old_value, line.new_value)
        )
        changes.setdefault(line.object_id, []).append(
            FieldChange(field_label(Opportunity, line.field), old, new, by, line.changed_at)
        )
    for lines in changes.values():
        lines.sort(key=lambda change: change.at)
    return [
        Restatement(
            item.opportunity_id,
            labels.get(item.opportunity_id, f"#{item.opportunity_id}"),
            item.month_before,
            item.month_after,
            item.before,
            item.after,
            changes.get(item.opportunity_id, []),
        )
        for item in items
    ]
