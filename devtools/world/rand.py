"""Small helpers on an explicit `random.Random`, so the demo never touches global state."""

import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal


def weighted[T](rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def money(rng: random.Random, median: float, sigma: float, step: int = 100) -> Decimal:
    """A log-normal amount around `median`, rounded to `step` and never zero."""
    value = median * math.exp(rng.gauss(0, sigma))
    rounded = max(step, round(value / step) * step)
    return Decimal(rounded).quantize(Decimal("0.01"))


def cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def working_day(day: date) -> date:
    # Sellers rarely update the CRM at weekends: move Saturday and Sunday to Monday.
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def moment(rng: random.Random, day: date, earliest: int = 8, latest: int = 18) -> datetime:
    """A time of day in office hours, in UTC so the demo does not depend on TIME_ZONE."""
    minute = rng.randint(earliest * 60, latest * 60 - 1)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=UTC)


def sample_weighted[T](
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """k distinct items, each drawn with probability growing with its weight.

    Efraimidis-Spirakis keys keep it one pass and deterministic for a given rng.
    """
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0]
    keyed.sort(reverse=True)
    return [items[i] for _, i in keyed[:k]]
