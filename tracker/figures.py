"""One definition per figure, as ../shared/domain.md states them ("Figures: one definition each").

Every page, API response, export, snapshot and check reads a figure through
these definitions: as a Q object where the database counts, and as a predicate
over plain values where a figure is replayed from history (tracker.deal_replay).
`manage.py reconcile` compares the two ways and fails on any difference.

- Cross-company deal: the product's company did not have the account as a
  customer on Day 1 (Direction a_to_b or b_to_a, derived from the Day-1 install
  base); "within" is business as usual, tracked but never realized synergy.
- Realized revenue synergy (month M): won cross-company deals, cross-sell and
  upsell alike, with a close date in M.
- Stale deal at date D: open at D, and no change of stage, amount, close date,
  owner or next step in the program's `stale_after_days` before D.
- Win rate: won / (won + lost) among deals closed in the period.
- Pipeline coverage: open cross-company pipeline expected to close in the rest
  of the period / cross-sell quota not yet attained in the period; none once the
  period has ended (closing_q, rest_of_period).
- Forecast: realized to date + open cross-company pipeline expected to close by
  the period's end, weighted by stage probability (expected), committed deals
  only (low), commit and best case in full (high) (forecast).
- Attainment: credited won cross-company amount / cross-sell quota of the period.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from django.db.models import DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Direction
from tracker.models import Stage
from tracker.pipeline_math import ZERO, add_months, cents, month_end, ratio

OPEN, WON, LOST = Stage.Outcome.OPEN, Stage.Outcome.WON, Stage.Outcome.LOST
# What moves a deal along: a change of any of these resets the stale clock.
PROGRESS_FIELDS = ("stage", "amount", "expected_close", "owner", "next_step")
# A deal's terms as entered: what it sells, how likely, how much and when. Edited by the
# opportunity services, replayed by the figures' history.
DEAL_TERMS = ("kind", "direction", "probability", "amount", "expected_close", "closed_on")
CROSS_COMPANY_DIRECTIONS = (Direction.A_TO_B, Direction.B_TO_A)
# A month's forecast counts the deals expected to close by the end of the twelfth month
# after it: the dashboard draws its band that far, and the scorecard states where it ends.
FORECAST_MONTHS = 12
# Sums of amounts in SQL: room for a program's total and for weighted fractions of a cent.
MONEY = DecimalField(max_digits=20, decimal_places=4)


def is_cross_company(direction: str) -> bool:
    return direction in CROSS_COMPANY_DIRECTIONS


def cross_company_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}direction__in": CROSS_COMPANY_DIRECTIONS})


def closed_in_q(*, closed_from: date | None, closed_to: date | None, prefix: str = "") -> Q:
    period = Q()
    if closed_from is not None:
        period &= Q(**{f"{prefix}closed_on__gte": closed_from})
    if closed_to is not None:
        period &= Q(**{f"{prefix}closed_on__lte": closed_to})
    return period


def realized_q(*, closed_from: date | None, closed_to: date | None, prefix: str = "") -> Q:
    """The deals whose amounts are realized revenue synergy in the period."""
    return (
        Q(**{f"{prefix}outcome": WON})
        & cross_company_q(prefix)
        & closed_in_q(closed_from=closed_from, closed_to=closed_to, prefix=prefix)
    )


def is_realized(
    *, outcome: str, direction: str, closed_on: date | None, closed_from: date, closed_to: date
) -> bool:
    return (
        outcome == WON
        and is_cross_company(direction)
        and closed_on is not None
        and closed_from <= closed_on <= closed_to
    )


def stale_cutoff(*, at: date, days: int) -> datetime:
    """Deals last moved before this moment are stale at the start of day `at`."""
    start_of_day = timezone.make_aware(datetime.combine(at, time.min))
    return start_of_day - timedelta(days=days)


def stale_q(*, at: date, days: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}outcome": OPEN}) & Q(
        **{f"{prefix}progressed_at__lt": stale_cutoff(at=at, days=days)}
    )


def win_rate(*, won: int, lost: int) -> Decimal | None:
    """Won over decided deals; None when nothing closed (never a stand-in constant)."""
    return ratio(won, won + lost)


def rest_of_period(*, first: date, last: date, today: date) -> tuple[date, date] | None:
    """The days of the period from `first` to `last` still to come, today included; None
    once the period has ended, when there is no time left to cover."""
    if last < today:
        return None
    return max(first, today), last


def closing_q(*, first: date, last: date, today: date, prefix: str = "") -> Q | None:
    """Open cross-company deals expected to close in the rest of the period: the pipeline
    that pipeline coverage counts. Deals overdue (expected before today) are not expected
    in the rest of the period. None once the period has ended."""
    rest = rest_of_period(first=first, last=last, today=today)
    if rest is None:
        return None
    return (
        Q(**{f"{prefix}outcome": OPEN})
        & cross_company_q(prefix)
        & Q(**{f"{prefix}expected_close__range": rest})
    )


class ForecastCell(Protocol):
    """Open deals summed by stage, direction and expected close month (an OpenCell)."""

    @property
    def stage_id(self) -> int: ...
    @property
    def direction(self) -> str: ...
    @property
    def month(self) -> date | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def weighted(self) -> Decimal: ...


@dataclass(frozen=True)
class ForecastBand:
    low: Decimal
    expected: Decimal
    high: Decimal


def forecast_end(month: date) -> date:
    """The last day of the period a month's forecast covers (FORECAST_MONTHS after it)."""
    return month_end(add_months(month, FORECAST_MONTHS))


def forecast(
    *,
    cells: Iterable[ForecastCell],
    categories: Mapping[int, str],
    realized: Decimal,
    until: date,
) -> ForecastBand:
    """Realized to date plus the open cross-company deals expected to close by `until`
    (overdue ones too): weighted (expected), committed deals weighted (low), commit and
    best case in full and the rest weighted (high). `categories` maps a stage id to its
    forecast category; deals without an expected close date are expected by no date."""
    low = expected = high = ZERO
    for cell in cells:
        if cell.month is None or cell.month > until or not is_cross_company(cell.direction):
            continue
        category = categories.get(cell.stage_id)
        expected += cell.weighted
        if category == Stage.Forecast.COMMIT:
            low += cell.weighted
        upside = category in (Stage.Forecast.COMMIT, Stage.Forecast.BEST_CASE)
        high += cell.amount if upside else cell.weighted
    return ForecastBand(
        low=cents(realized + low), expected=cents(realized + expected), high=cents(realized + high)
    )


def amount_sums(*, where: Q | None = None) -> dict[str, Coalesce]:
    """The total and the probability-weighted amount of the deals a query groups (of
    those `where` selects), as annotations: `total` and `weighted`, 0 where none.
    Weighted is divided once, after the sum: the same figure as dividing each deal's,
    without a numeric division per row of a few hundred thousand open deals."""
    return {
        "total": Coalesce(Sum("amount", filter=where), ZERO, output_field=MONEY),
        "weighted": Coalesce(
            Sum(F("amount") * F("probability"), filter=where, output_field=MONEY) / 100,
            ZERO,
            output_field=MONEY,
        ),
    }
