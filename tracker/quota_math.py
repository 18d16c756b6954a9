"""Quota periods and quota roll-ups on plain values: no database.

A quota covers a calendar month or a calendar quarter (starting in January,
April, July or October). Periods are written "2026-03" and "2026-Q1" in forms,
files and the API.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

from accounts.percent import percent
from core.dates import FIRST_YEAR, LAST_YEAR
from tracker.pipeline_math import ZERO, add_months, attainment, coverage
from tracker.team_tree import roll_up

MONTH = "month"
QUARTER = "quarter"
_MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


class PeriodError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, order=True)
class Period:
    start: date
    kind: str = MONTH

    @property
    def months(self) -> int:
        return 3 if self.kind == QUARTER else 1

    @property
    def last_month(self) -> date:
        return add_months(self.start, self.months - 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        return date.fromordinal(add_months(self.start, self.months).toordinal() - 1)

    @property
    def quarter(self) -> int:
        """The quarter of the year the period starts in, 1 to 4."""
        return (self.start.month - 1) // 3 + 1

    @property
    def code(self) -> str:
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{self.quarter}"
        return f"{self.start:%Y-%m}"

    def __str__(self) -> str:
        return self.code

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.last_month and other.start <= self.last_month

    def shifted(self, steps: int) -> "Period":
        return Period(add_months(self.start, steps * self.months), self.kind)


CENT = Decimal("0.01")


def spread_share(amount: Decimal, *, months: int, first: int, last: int) -> Decimal:
    """The part of `amount`, spread evenly over `months` months, in months `first` to
    `last` (counted from 0, both included).

    Each month gets its share rounded down to the cent and the period's last month the
    cent(s) left over, so that any months add up to what they show one by one and all of
    them to the amount: a quarter of 10,000.00 is 3,333.33, 3,333.33 and 3,333.34. A
    month-end snapshot stores one month's share, and a quarter read from its frozen
    months must come to the quota entered, as it does read live.
    """
    if months == 1:
        return amount
    part = (amount / months).quantize(CENT, rounding=ROUND_DOWN)
    share = part * (last - first + 1)
    if last == months - 1:
        share += amount - part * months
    return share


# Years a period may fall in: the pages step a period back and forth from any of them.
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)


def period_of(day: date, kind: str = MONTH) -> Period:
    """The month or quarter that `day` falls in."""
    if kind not in (MONTH, QUARTER):
        raise PeriodError(_("A period is a month or a quarter."))
    month = day.month if kind == MONTH else (day.month - 1) // 3 * 3 + 1
    return Period(date(day.year, month, 1), kind)


def parse_period(text: str) -> Period:
    """'2026-03' is March 2026, '2026-Q1' the first quarter."""
    raw = str(text or "")
    if (match := _QUARTER_PATTERN.match(raw)) and int(match[1]) in YEARS:
        year, quarter = int(match[1]), int(match[2])
        return Period(date(year, quarter * 3 - 2, 1), QUARTER)
    month = _MONTH_PATTERN.match(raw)
    if month and int(month[1]) in YEARS and 1 <= int(month[2]) <= 12:
        return Period(date(int(month[1]), int(month[2]), 1), MONTH)
    raise PeriodError(
        _("'%(value)s' is not a period: write a month as 2026-03 or a quarter as 2026-Q1.")
        % {"value": raw.strip()[:40]}
    )


def overlapping(period: Period, others: list[Period]) -> Period | None:
    """The first of `others` that shares a month with `period`, if any."""
    return next((other for other in others if other.overlaps(period)), None)


@dataclass
class QuotaFigures:
    """One rep's or team's quota and results for a period; teams add up their reps'."""

    core_quota: Decimal = ZERO
    cross_sell_quota: Decimal = ZERO
    credited_won: Decimal = ZERO
    # Open cross-company pipeline expected to close in the rest of the period
    # (tracker.figures.closing_q); None once the period has ended.
    open_pipeline: Decimal | None = ZERO
    reps: int = 0

    def __add__(self, other: "QuotaFigures") -> "QuotaFigures":
        return QuotaFigures(
            **{f.name: _plus(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)}
        )

    @property
    def attainment(self) -> Decimal | None:
        return attainment(won_amount=self.credited_won, quota=self.cross_sell_quota)

    @property
    def attainment_pct(self) -> Decimal | None:
        return percent(self.attainment)

    @property
    def coverage(self) -> Decimal | None:
        return coverage(
            open_amount=self.open_pipeline,
            quota=self.cross_sell_quota,
            won_amount=self.credited_won,
        )


def _plus(one, other):
    """A sum in which an ended period's pipeline (None) stays None: it has none to add."""
    if one is None or other is None:
        return None
    return one + other


def quota_rollup[K](
    values: Mapping[K, QuotaFigures], parent_of: Mapping[K, K | None]
) -> dict[K, QuotaFigures]:
    """Adds each team's own figures into the team and every team above it."""
    return roll_up(values, parent_of, QuotaFigures)


def tree_order[K](
    parent_of: Mapping[K, K | None], name_of: Mapping[K, str]
) -> list[tuple[K, int]]:
    """Teams depth first, children by name under their parent, with their depth."""
    children: dict[K | None, list[K]] = {}
    for key, parent in parent_of.items():
        children.setdefault(parent if parent in parent_of else None, []).append(key)
    ordered: list[tuple[K, int]] = []
    seen: set[K] = set()

    def visit(key: K, depth: int) -> None:
        if key in seen:
            return
        seen.add(key)
        ordered.append((key, depth))
        for child in sorted(children.get(key, []), key=lambda k: name_of.get(k, "")):
            visit(child, depth + 1)

    for root in sorted(children.get(None, []), key=lambda k: name_of.get(k, "")):
        visit(root, 0)
    # A cycle has no root: list its teams at the top rather than drop them.
    for key in sorted(parent_of, key=lambda k: name_of.get(k, "")):
        visit(key, 0)
    return ordered
