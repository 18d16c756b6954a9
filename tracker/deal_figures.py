"""Pipeline figures over plain deal states: the same definitions as the SQL in
tracker.selectors.metrics, for deals replayed to an instant (tracker.deal_replay).

`manage.py reconcile` checks that both give the same figures for today's deals.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any, Protocol

from tracker.deal_replay import DealState
from tracker.figures import LOST, OPEN, WON, is_realized, stale_cutoff
from tracker.pipeline_math import ZERO, PipelineFigures, cents

type Key = Callable[[DealState], Any]
# (rep id, "split" or "overlay", percent) for each credit line of a deal.
type Splits = Mapping[int, list[tuple[int, str, Decimal]]]
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class OpenCell:
    """Open deals sharing a stage, segment, direction, kind and expected close month."""

    stage_id: int
    segment_id: int | None
    direction: str
    kind: str
    month: date | None
    count: int
    amount: Decimal
    weighted: Decimal
    stale: int

    def as_json(self) -> dict[str, Any]:
        return {
            "stage_id": self.stage_id,
            "segment_id": self.segment_id,
            "direction": self.direction,
            "kind": self.kind,
            "month": self.month.isoformat() if self.month else None,
            "count": self.count,
            "amount": str(self.amount),
            "weighted": str(self.weighted),
            "stale": self.stale,
        }

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> "OpenCell":
        month = date.fromisoformat(row["month"]) if row["month"] else None
        values = {**row, "month": month}
        return cls(
            **values | {"amount": Decimal(row["amount"]), "weighted": Decimal(row["weighted"])}
        )


def open_cells_of(states: Iterable[DealState], *, at: date, stale_days: int) -> list[OpenCell]:
    """The open deals at `at`, grouped as the dashboard's open-deal cube groups them."""
    cells: dict[tuple, list] = {}
    stale_before = stale_cutoff(at=at, days=stale_days)
    for state in states:
        if state.outcome != OPEN:
            continue
        month = state.expected_close.replace(day=1)
        key = (state.stage_id, state.segment_id, state.direction, state.kind, month)
        cell = cells.setdefault(key, [0, ZERO, ZERO, 0])
        cell[0] += 1
        cell[1] += state.amount
        cell[2] += state.amount * state.probability / HUNDRED
        cell[3] += state.progressed_at < stale_before
    return [
        OpenCell(*key, count=count, amount=cents(amount), weighted=cents(weighted), stale=stale)
        for key, (count, amount, weighted, stale) in sorted(cells.items(), key=_cell_order)
    ]


def open_figures_of(cells: Iterable[OpenCell]) -> PipelineFigures:
    """The open figures of a group of cells: the dashboard's open tiles, and a closed
    month's open deals by expected close month in the pipeline metrics."""
    cells = list(cells)
    return PipelineFigures(
        open_count=sum(cell.count for cell in cells),
        open_amount=cents(sum((cell.amount for cell in cells), ZERO)),
        weighted_amount=cents(sum((cell.weighted for cell in cells), ZERO)),
        stale_count=sum(cell.stale for cell in cells),
    )


def _cell_order(item: tuple) -> tuple:
    stage, segment, direction, kind, month = item[0]
    return (stage, segment or 0, direction, kind, month)


def figures_by(
    states: Iterable[DealState],
    *,
    key: Key,
    closed_from: date | None,
    closed_to: date | None,
    at: date,
    stale_days: int,
) -> dict[Any, PipelineFigures]:
    """Open pipeline at `at`, wins and losses closed in the period, per key."""
    sums: dict[Any, dict[str, Any]] = {}
    # tracker.figures.stale_q over plain values, with the cutoff worked out once.
    stale_before = stale_cutoff(at=at, days=stale_days)
    for state in states:
        row = sums.setdefault(key(state), _empty())
        if state.outcome == OPEN:
            row["open_count"] += 1
            row["open_amount"] += state.amount
            row["weighted_amount"] += state.amount * state.probability / HUNDRED
            row["stale_count"] += state.progressed_at < stale_before
            continue
        if not _closed_in(state.closed_on, closed_from, closed_to):
            continue
        if state.outcome == WON:
            row["won_count"] += 1
            row["won_amount"] += state.amount
            row["cycle_days_sum"] += (state.closed_on - state.created_at.date()).days
        elif state.outcome == LOST:
            row["lost_count"] += 1
    return {group: _figures(row) for group, row in sums.items()}


def realized_by(
    states: Iterable[DealState], *, key: Key, closed_from: date, closed_to: date
) -> dict[Any, Decimal]:
    """Realized revenue synergy per key (tracker.figures.is_realized)."""
    totals: dict[Any, Decimal] = {}
    for state in states:
        if state_realized(state, closed_from, closed_to):
            totals[key(state)] = totals.get(key(state), ZERO) + state.amount
    return {group: cents(total) for group, total in totals.items()}


def credited_by_rep(
    states: Iterable[DealState], *, splits: Splits, closed_from: date, closed_to: date
) -> dict[int, Decimal]:
    """Realized synergy credited to reps: the owner unless splits say otherwise, plus overlay."""
    return credited_of(
        credit_lines(states, splits=splits, closed_from=closed_from, closed_to=closed_to)
    )


@dataclass(frozen=True)
class CreditLine:
    """One share of a realized deal's credit (credit_shares), with the deal's amount."""

    opportunity_id: int
    rep_id: int
    # "owner" (no split lines), "split" or "overlay".
    kind: str
    percent: Decimal
    amount: Decimal


def credit_lines(
    states: Iterable[DealState], *, splits: Splits, closed_from: date, closed_to: date
) -> list[CreditLine]:
    """Every share of credit of the deals realized in the period."""
    return [
        CreditLine(state.id, rep, kind, pct, state.amount)
        for state in states
        if state_realized(state, closed_from, closed_to)
        for rep, kind, pct in credit_shares(state.owner_id, splits.get(state.id, []))
    ]


class Credited(Protocol):
    """A share of a deal's credit: a CreditLine, or a row that lists one."""

    amount: Decimal
    percent: Decimal


def credited_of[K](
    lines: Iterable[Credited], *, key: Callable[[Any], K] = attrgetter("rep_id")
) -> dict[K, Decimal]:
    """The credit over `lines` per `key` (each rep by default), rounded to the cent once
    per key, as the SQL of tracker.selectors.metrics.credited_won rounds it: the lines
    of one rep in one month add up to that rep's line of the month exactly."""
    credits: dict[K, Decimal] = {}
    for line in lines:
        group = key(line)
        credits[group] = credits.get(group, ZERO) + line.amount * line.percent / HUNDRED
    return {group: cents(total) for group, total in credits.items()}


OWNER = "owner"


def credit_shares(
    owner_id: int, lines: list[tuple[int, str, Decimal]]
) -> list[tuple[int, str, Decimal]]:
    """Who a won deal credits, how and by what percent: its split lines, or its owner at
    100% without any, then its overlay lines on top."""
    shares = [line for line in lines if line[1] == "split"] or [(owner_id, OWNER, HUNDRED)]
    return shares + [line for line in lines if line[1] == "overlay"]


def credited_count_by_rep(
    states: Iterable[DealState], *, splits: Splits, closed_from: date, closed_to: date
) -> dict[int, int]:
    """The realized deals each rep is credited on, as credited_by_rep credits them: a
    deal counts once for its owner unless split, and once for each rep on its credit
    lines (tracker.selectors.period_figures.credited_won_counts is the same in SQL)."""
    counts: dict[int, int] = {}
    for state in states:
        if not state_realized(state, closed_from, closed_to):
            continue
        lines = splits.get(state.id, [])
        reps = {rep for rep, _kind, _pct in lines}
        if not any(kind == "split" for _rep, kind, _pct in lines):
            counts[state.owner_id] = counts.get(state.owner_id, 0) + 1
        for rep in reps:
            counts[rep] = counts.get(rep, 0) + 1
    return counts


def state_realized(state: DealState, closed_from: date, closed_to: date) -> bool:
    """Whether the replayed deal is realized synergy closed in the period (is_realized)."""
    return is_realized(
        outcome=state.outcome,
        direction=state.direction,
        closed_on=state.closed_on,
        closed_from=closed_from,
        closed_to=closed_to,
    )


def _closed_in(closed_on: date | None, first: date | None, last: date | None) -> bool:
    if closed_on is None:
        return False
    return (first is None or closed_on >= first) and (last is None or closed_on <= last)


def _empty() -> dict[str, Any]:
    return {
        "open_count": 0,
        "open_amount": ZERO,
        "weighted_amount": ZERO,
        "won_count": 0,
        "won_amount": ZERO,
        "lost_count": 0,
        "stale_count": 0,
        "cycle_days_sum": 0,
    }


def _figures(row: dict[str, Any]) -> PipelineFigures:
    return PipelineFigures(
        open_count=row["open_count"],
        open_amount=cents(row["open_amount"]),
        weighted_amount=cents(row["weighted_amount"]),
        won_count=row["won_count"],
        won_amount=cents(row["won_amount"]),
        lost_count=row["lost_count"],
        stale_count=row["stale_count"],
        cycle_days_sum=Decimal(row["cycle_days_sum"]),
    )
