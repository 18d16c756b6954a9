"""Product affinity from the install base: do owners of P really also own Q?

Teams tend to overestimate how well their products complement each other, so
every mapped pair is checked against co-ownership, the way market-basket
analysis reads association rules, within the population that could own both:

- population: a pair of one company's products is measured among that
  company's customers; a pair across the companies among the customers of
  both, since only they can own products of both sides (measured over every
  account, each cross-company pair looked weaker than chance);
- n: the source product's owners in that population, the sample;
- support: those of them that also own the target;
- confidence: support / n, the share of the source's owners that own the target;
- base rate: the share of the population that owns the target;
- lift: confidence / base rate. Above 1, owning P makes owning Q more likely.

The confidence comes with a 95% Wilson score interval, and the lift with that
interval divided by the base rate (the base rate is counted over the whole
population and taken as known). The verdict compares the interval with the
base rate: supports when the whole interval lies above it, contradicts when it
lies below, inconclusive when it spans it, and "no evidence" only when fewer
than MIN_OWNERS owners of the source are there to judge by.

Counts are per unified account, so a customer of both companies counts once.
Pure: plain counts in, plain values out.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# Fewer owners of the source than this in the population: too few to say.
MIN_OWNERS = 20
# A suggestion must be supported and make the target this much more likely.
MIN_LIFT = Decimal("1.2")
SUGGESTION_LIMIT = 25
# Two-sided 95%: the normal quantile of 0.975.
Z_95 = 1.959963984540054
_PLACES = Decimal("0.0001")

type Pair = tuple[int, int]


class Population(StrEnum):
    """Whose install base a pair is measured in."""

    BOTH = "both"  # customers of both companies
    ACQUIRER = "acquirer"  # customers of the acquirer (same value as the company role)
    ACQUIRED = "acquired"  # customers of the acquired company


class Verdict(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    INCONCLUSIVE = "inconclusive"
    NO_EVIDENCE = "no_evidence"
    # Upgrades and alternatives replace the source, so co-ownership cannot judge them.
    NOT_MEASURED = "not_measured"


def pair_population(source_role: str, target_role: str) -> Population:
    """The customers who could own both products: one company's, or both companies'."""
    if source_role == target_role:
        return Population(source_role)
    return Population.BOTH


@dataclass(frozen=True)
class Thresholds:
    min_owners: int = MIN_OWNERS
    min_lift: Decimal = MIN_LIFT


DEFAULT_THRESHOLDS = Thresholds()


# population, product, other product, accounts
CountedRow = tuple[str, int | None, int | None, int]


@dataclass(frozen=True)
class InstallBaseCounts:
    """What the database knows, per population.

    populations: accounts with an install base in each population;
    owners: (population, product) -> owners of the product there;
    co_owners: (population, source, target) -> owners of both there, where the
    population is the pair's own (pair_population).
    """

    populations: Mapping[Population, int]
    owners: Mapping[tuple[Population, int], int]
    co_owners: Mapping[tuple[Population, int, int], int]

    @classmethod
    def of_rows(cls, rows: Iterable[CountedRow]) -> "InstallBaseCounts":
        """From counted rows (population, product, other product, accounts): no product is
        the population's size, no other product the product's owners, both the co-owners."""
        populations: dict[Population, int] = {}
        owners: dict[tuple[Population, int], int] = {}
        co_owners: dict[tuple[Population, int, int], int] = {}
        for population, product_id, other_id, accounts in rows:
            key = Population(population)
            if product_id is None:
                populations[key] = accounts
            elif other_id is None:
                owners[(key, product_id)] = accounts
            else:
                co_owners[(key, product_id, other_id)] = accounts
        return cls(populations=populations, owners=owners, co_owners=co_owners)


@dataclass(frozen=True)
class Affinity:
    source_id: int
    target_id: int
    population: Population
    population_size: int
    support: int
    source_owners: int
    target_owners: int
    confidence: Decimal
    confidence_low: Decimal
    confidence_high: Decimal
    base_rate: Decimal
    lift: Decimal
    lift_low: Decimal
    lift_high: Decimal
    verdict: Verdict
    # Supported and strong enough to suggest adding the pair to the map.
    has_evidence: bool

    @property
    def pair(self) -> Pair:
        return (self.source_id, self.target_id)


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(_PLACES)


def _ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal:
    if denominator <= 0:
        return Decimal(0)
    return (Decimal(numerator) / Decimal(denominator)).quantize(_PLACES)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[Decimal, Decimal]:
    """The Wilson score interval of a share successes / trials; (0, 1) without trials.

    Unlike the normal approximation it stays within [0, 1] and is not zero-wide
    at 0% or 100%, which matters for the small samples a product map sees.
    """
    if trials <= 0:
        return Decimal(0), Decimal(1)
    share = successes / trials
    z2 = z * z
    centre = share + z2 / (2 * trials)
    spread = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials))
    scale = 1 + z2 / trials
    low, high = (centre - spread) / scale, (centre + spread) / scale
    return _decimal(max(0.0, low)), _decimal(min(1.0, high))


def verdict_of(
    *,
    owners: int,
    target_owners: int,
    low: Decimal,
    high: Decimal,
    base_rate: Decimal,
    min_owners: int,
) -> Verdict:
    if owners < min_owners or target_owners <= 0:
        return Verdict.NO_EVIDENCE
    if low > base_rate:
        return Verdict.SUPPORTS
    if high < base_rate:
        return Verdict.CONTRADICTS
    return Verdict.INCONCLUSIVE


def pair_affinity(
    source_id: int,
    target_id: int,
    population: Population,
    counts: InstallBaseCounts,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Affinity:
    """Affinity of one ordered pair within `population`, zero support included."""
    size = counts.populations.get(population, 0)
    support = counts.co_owners.get((population, source_id, target_id), 0)
    source_owners = counts.owners.get((population, source_id), 0)
    target_owners = counts.owners.get((population, target_id), 0)
    base_rate = _ratio(target_owners, size)
    low, high = wilson_interval(support, source_owners)
    # lift = (support / source_owners) / (target_owners / size), in one division so
    # that a boundary value such as 1.2 is exact.
    lift = _ratio(support * size, source_owners * target_owners)
    lift_low = _ratio(low, base_rate)
    lift_high = _ratio(high, base_rate)
    verdict = verdict_of(
        owners=source_owners,
        target_owners=target_owners,
        low=low,
        high=high,
        base_rate=base_rate,
        min_owners=thresholds.min_owners,
    )
    return Affinity(
        source_id=source_id,
        target_id=target_id,
        population=population,
        population_size=size,
        support=support,
        source_owners=source_owners,
        target_owners=target_owners,
        confidence=_ratio(support, source_owners),
        confidence_low=low,
        confidence_high=high,
        base_rate=base_rate,
        lift=lift,
        lift_low=lift_low,
        lift_high=lift_high,
        verdict=verdict,
        has_evidence=verdict == Verdict.SUPPORTS and lift >= thresholds.min_lift,
    )


def affinities(
    counts: InstallBaseCounts, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Affinity]:
    """Every co-owned ordered pair in its own population, strongest lift first."""
    found = [
        pair_affinity(source, target, population, counts, thresholds)
        for population, source, target in counts.co_owners
    ]
    return sorted(found, key=lambda a: (-a.lift, -a.support, a.source_id, a.target_id))


def suggestions(
    counts: InstallBaseCounts,
    mapped: Iterable[Pair],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    limit: int = SUGGESTION_LIMIT,
) -> list[Affinity]:
    """Pairs the install base supports that the product map lacks.

    The same as `affinities` filtered on has_evidence, but a pair that cannot
    pass is dropped on plain integers first: a large program co-owns thousands
    of pairs and few of them are worth the Decimal work of a full affinity.
    """
    known = set(mapped)
    found = [
        pair_affinity(source, target, population, counts, thresholds)
        for population, source, target in counts.co_owners
        if (source, target) not in known
        and _may_have_evidence(population, source, target, counts, thresholds)
    ]
    found = [a for a in found if a.has_evidence]
    found.sort(key=lambda a: (-a.lift, -a.support, a.source_id, a.target_id))
    return found[:limit]


# The lift is rounded to four places; a float a little below the threshold may round up to it.
_LIFT_MARGIN = 0.001


def _may_have_evidence(
    population: Population, source: int, target: int, counts: InstallBaseCounts, t: Thresholds
) -> bool:
    """False only when the pair's affinity certainly lacks evidence (too few owners, low lift)."""
    source_owners = counts.owners.get((population, source), 0)
    target_owners = counts.owners.get((population, target), 0)
    if source_owners < t.min_owners or target_owners <= 0:
        return False  # verdict_of says "no evidence"
    denominator = source_owners * target_owners
    support = counts.co_owners.get((population, source, target), 0)
    size = counts.populations.get(population, 0)
    lift = support * size / denominator if denominator > 0 else 0.0
    return lift >= float(t.min_lift) - _LIFT_MARGIN
