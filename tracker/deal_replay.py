"""Deals as they stood at an instant, replayed from their history on plain values.

Every write of an opportunity keeps its changed fields in the history (RecordChange)
with the old and the new value as the history shows them (a related object as
"Name (#id)", a date in ISO form). Undoing, newest first, the changes made after
an instant gives each deal's values at that instant; a deal created after it did
not exist yet. Month-end snapshots are taken this way, so a month frozen late,
or rebuilt for months before the program used this product, shows the pipeline
of its own month end and not today's.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

REFERENCE = re.compile(r"\(#(\d+)\)$")
# Fields of an opportunity the history records, by the DealState attribute they set.
REPLAYED = {
    "account": "account_id",
    "product": "product_id",
    "owner": "owner_id",
    "segment": "segment_id",
    "stage": "stage_id",
    "kind": "kind",
    "direction": "direction",
    "probability": "probability",
    "amount": "amount",
    "expected_close": "expected_close",
    "closed_on": "closed_on",
}


@dataclass(frozen=True)
class DealState:
    """What the figures read of one opportunity."""

    id: int
    account_id: int
    product_id: int
    owner_id: int
    segment_id: int | None
    stage_id: int
    outcome: str
    kind: str
    direction: str
    probability: int
    amount: Decimal
    expected_close: date
    closed_on: date | None
    created_at: datetime
    progressed_at: datetime


@dataclass(frozen=True)
class Change:
    opportunity_id: int
    field: str
    old_value: str
    changed_at: datetime


@dataclass(frozen=True)
class Replayed:
    states: list[DealState]
    # Changes whose old value could not be read back; their field kept today's value.
    unreadable: list[Change]


def replay(
    deals: Iterable[DealState],
    changes_after: Iterable[Change],
    *,
    at: datetime,
    stage_outcomes: Mapping[int, str],
    progressed: Mapping[int, datetime],
) -> Replayed:
    """The deals as they stood at `at`.

    `changes_after` are the changes made after `at` (any order); `progressed`
    holds, per deal, its last move up to `at` (tracker.figures.PROGRESS_FIELDS).
    """
    by_deal: dict[int, list[Change]] = {}
    for change in changes_after:
        by_deal.setdefault(change.opportunity_id, []).append(change)
    states, unreadable = [], []
    for deal in deals:
        if deal.created_at > at:
            continue
        values: dict = {}
        for change in sorted(by_deal.get(deal.id, ()), key=_newest_first):
            attribute = REPLAYED.get(change.field)
            if attribute is None:
                continue
            try:
                values[attribute] = _parse(attribute, change.old_value)
            except ValueError:
                unreadable.append(change)
        outcome = stage_outcomes.get(values.get("stage_id", deal.stage_id), deal.outcome)
        # A deal without a recorded move up to `at` last moved when it was created.
        fallback = deal.progressed_at if deal.progressed_at <= at else deal.created_at
        moved = progressed.get(deal.id, fallback)
        if values or outcome != deal.outcome or moved != deal.progressed_at:
            deal = replace(deal, **values, outcome=outcome, progressed_at=moved)
        # Most deals did not change since `at`: they stand as they are, not copied.
        states.append(deal)
    return Replayed(states, unreadable)


def _newest_first(change: Change) -> tuple:
    return (-change.changed_at.timestamp(), change.field)


def state_of_deleted(
    deal_id: int, last: Mapping[str, str], *, created_at: datetime, deleted_at: datetime
) -> DealState:
    """A deleted deal as its deletion kept it: its last values, as the history shows them
    (ValueError if one cannot be read back)."""
    values = {
        attribute: _parse(attribute, last.get(field) or "")
        for field, attribute in REPLAYED.items()
    }
    moved = last.get("progressed_at")
    return DealState(
        id=deal_id,
        outcome=last.get("outcome") or "",
        created_at=created_at,
        progressed_at=datetime.fromisoformat(moved) if moved else deleted_at,
        **values,
    )


def _parse(attribute: str, shown: str):
    if attribute.endswith("_id"):
        if shown == "":
            if attribute == "segment_id":
                return None
            raise ValueError(shown)
        match = REFERENCE.search(shown)
        if match is None:
            raise ValueError(shown)
        return int(match.group(1))
    if attribute == "amount":
        try:
            return Decimal(shown)
        except InvalidOperation as error:
            raise ValueError(shown) from error
    if attribute == "probability":
        return int(shown)
    if attribute in ("expected_close", "closed_on"):
        if shown == "":
            if attribute == "closed_on":
                return None
            raise ValueError(shown)
        return date.fromisoformat(shown)
    return shown
