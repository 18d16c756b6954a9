"""Reads of the synergy targets: a year's grid of months by scope, and the history."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from accounts.models import Merger, Segment
from accounts.selectors.history import FieldLine, changes_of, history_lines
from tracker.models import MonthlySnapshot, SynergyTarget
from tracker.pipeline_math import add_months

MEASURES = ("cross_sell", "revenue_synergy")
HISTORY_SHOWN = 30


@dataclass(frozen=True)
class Scope:
    segment_id: int | None
    label: str


@dataclass(frozen=True)
class TargetGrid:
    year: int
    years: list[int]
    months: list[date]
    first_month: date
    last_month: date
    scopes: list[Scope]
    # (month, segment id or None) -> the target row
    values: dict[tuple[date, int | None], SynergyTarget]
    # Months whose figures are frozen in a month-end snapshot.
    closed: frozenset[date]

    def value(self, month: date, segment_id: int | None, measure: str) -> Decimal | None:
        target = self.values.get((month, segment_id))
        return None if target is None else getattr(target, measure)


def target_months(*, merger: Merger) -> tuple[date, date]:
    """The first and last month a target may be set for: Day 1's month to the horizon's end."""
    first = merger.day_one.replace(day=1)
    return first, add_months(first, merger.horizon_months - 1)


def target_grid(*, merger: Merger, year: int | None, program_label: str) -> TargetGrid:
    """The months of one calendar year in the program's horizon, by program and segment."""
    first, last = target_months(merger=merger)
    years = list(range(first.year, last.year + 1))
    if year not in years:
        year = first.year
    months = [
        date(year, month, 1) for month in range(1, 13) if first <= date(year, month, 1) <= last
    ]
    segments = Segment.objects.filter(merger=merger).order_by("name").values_list("id", "name")
    scopes = [Scope(None, program_label), *(Scope(pk, name) for pk, name in segments)]
    rows = SynergyTarget.objects.filter(merger=merger, month__year=year)
    closed = MonthlySnapshot.objects.filter(merger=merger, month__year=year).values_list(
        "month", flat=True
    )
    return TargetGrid(
        year=year,
        years=years,
        months=months,
        first_month=first,
        last_month=last,
        scopes=scopes,
        values={(row.month, row.segment_id): row for row in rows},
        closed=frozenset(closed),
    )


def target_totals(*, merger: Merger) -> dict[str, Decimal]:
    """The program-wide targets over the whole horizon."""
    totals = SynergyTarget.objects.filter(merger=merger, segment__isnull=True).aggregate(
        cross_sell=Sum("cross_sell"), revenue_synergy=Sum("revenue_synergy")
    )
    return {measure: totals[measure] or Decimal("0") for measure in MEASURES}


def target_label(month: date, scope: str) -> str:
    """A target's name in its history: its month and scope, which never change. Pure."""
    return f"{month:%Y-%m} {scope}"


@dataclass(frozen=True)
class TargetLine:
    """One figure of one change of a target, with the month and scope the target is for."""

    line: FieldLine
    month: date
    scope_label: str

    def __getattr__(self, name: str):
        return getattr(self.line, name)


def target_history(*, merger_ids: Collection[int], limit: int = HISTORY_SHOWN) -> list[TargetLine]:
    """The latest changes of these programs' targets, figure by figure, newest first."""
    rows = changes_of(SynergyTarget).filter(merger_id__in=merger_ids).select_related("actor")
    lines = [line for line in history_lines(rows[:limit]) if line.field not in NAMING]
    return [_with_scope(line) for line in lines[:limit]]


# Fields a target's creation records that name it rather than measure it.
NAMING = ("month", "segment")


def _with_scope(line: FieldLine) -> TargetLine:
    month, _space, scope = line.object_repr.partition(" ")
    return TargetLine(line, date.fromisoformat(f"{month}-01"), scope)
