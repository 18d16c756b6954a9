"""Pipeline arithmetic on plain numbers: no database, shared by selectors and charts."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from tracker.team_tree import roll_up

ZERO = Decimal("0")
CENT = Decimal("0.01")


def cents(value: Decimal | int | float) -> Decimal:
    """Money to the cent, half up."""
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator / denominator, or None where the ratio means nothing (no denominator)."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class PipelineFigures:
    """What one slice of the pipeline (a rep, team, segment, direction or month) holds."""

    open_count: int = 0
    open_amount: Decimal = ZERO
    weighted_amount: Decimal = ZERO
    won_count: int = 0
    won_amount: Decimal = ZERO
    lost_count: int = 0
    stale_count: int = 0
    # None where the wins' cycle is not known: a closed month's frozen wins keep none.
    cycle_days_sum: Decimal | None = ZERO
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def win_rate(self) -> Decimal | None:
        return ratio(self.won_count, self.won_count + self.lost_count)

    @property
    def average_deal(self) -> Decimal | None:
        value = ratio(self.won_amount, self.won_count)
        return None if value is None else value.quantize(CENT)

    @property
    def cycle_days(self) -> Decimal | None:
        if self.cycle_days_sum is None:
            return None
        value = ratio(self.cycle_days_sum, self.won_count)
        return None if value is None else value.quantize(Decimal("0.1"))

    @property
    def stale_share(self) -> Decimal | None:
        return ratio(self.stale_count, self.open_count)

    @property
    def velocity(self) -> Decimal | None:
        """Expected won value per day: open deals x win rate x average deal / cycle length."""
        if not (self.win_rate and self.average_deal and self.cycle_days):
            return None
        per_day = self.open_count * self.win_rate * self.average_deal / self.cycle_days
        return per_day.quantize(CENT, ROUND_HALF_UP)

    def __add__(self, other: "PipelineFigures") -> "PipelineFigures":
        summed = {
            f.name: _sum(getattr(self, f.name), getattr(other, f.name))
            for f in fields(self)
            if f.name != "extra"
        }
        return PipelineFigures(**summed)


def _sum(one: Any, other: Any) -> Any:
    # A part not measured (None) leaves the whole not measured, never counted as 0.
    return None if one is None or other is None else one + other


def coverage(
    *, open_amount: Decimal | None, quota: Decimal, won_amount: Decimal
) -> Decimal | None:
    """Open pipeline over the quota still to win; None once the quota is met or unset, and
    for an ended period, which has no open pipeline (None) to cover it with."""
    remaining = quota - won_amount
    if open_amount is None or remaining <= 0:
        return None
    return ratio(open_amount, remaining)


def attainment(*, won_amount: Decimal, quota: Decimal) -> Decimal | None:
    return ratio(won_amount, quota)


def rollup[K](
    values: Mapping[K, PipelineFigures], parent_of: Mapping[K, K | None]
) -> dict[K, PipelineFigures]:
    """Adds every team's figures into all of the teams above it (pipeline rolls up)."""
    return roll_up(values, parent_of, PipelineFigures)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from the month of start to the month of end, inclusive."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def month_start(day: date) -> date:
    return day.replace(day=1)


# Quota totals call this once per quota row (thousands on a large program), for a few
# distinct months; relativedelta costs far more than the lookup. Dates are immutable.
@lru_cache(maxsize=4096)
def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the day's month."""
    return month_start(day) + relativedelta(months=months)


def month_end(day: date) -> date:
    """The last day of the day's month."""
    return day + relativedelta(day=31)


def ended_months(*, since: date, today: date) -> list[date]:
    """First days of the months from `since` up to, not including, today's month."""
    return [add_months(since, step) for step in range(months_between(since, today) - 1)]
