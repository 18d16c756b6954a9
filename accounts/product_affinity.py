"""Product affinity from the install base: do owners of P really also own Q?

Teams tend to overestimate how well their products complement each other, so
every mapped pair is checked against co-ownership, the way market-basket
analysis reads association rules:

- support: accounts that own both P and Q;
- confidence: the share of P's owners that also own Q;
- base rate: the share of all accounts with an install base that own Q;
- lift: confidence / base rate. Above 1, owning P makes owning Q more likely
  than it is in the base at large.

Counts are per unified account, so a customer of both companies counts once.
Pure: plain counts in, plain values out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# A pair has evidence when enough accounts co-own it and owning the source
# product makes the target noticeably more likely than its base rate.
MIN_SUPPORT = 5
MIN_LIFT = Decimal("1.2")
SUGGESTION_LIMIT = 25
_PLACES = Decimal("0.0001")

type Pair = tuple[int, int]


@dataclass(frozen=True)
class Thresholds:
    min_support: int = MIN_SUPPORT
    min_lift: Decimal = MIN_LIFT


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class InstallBaseCounts:
    """What the database knows: owners per product and co-owners per ordered pair."""

    population: int
    owners: Mapping[int, int]
    co_owners: Mapping[Pair, int]


@dataclass(frozen=True)
class Affinity:
    source_id: int
    target_id: int
    support: int
    source_owners: int
    target_owners: int
    confidence: Decimal
    base_rate: Decimal
    lift: Decimal
    has_evidence: bool

    @property
    def pair(self) -> Pair:
        return (self.source_id, self.target_id)


def _ratio(numerator: int, denominator: int) -> Decimal:
    if denominator <= 0:
        return Decimal(0)
    return (Decimal(numerator) / Decimal(denominator)).quantize(_PLACES)


def pair_affinity(
    source_id: int,
    target_id: int,
    counts: InstallBaseCounts,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Affinity:
    """Affinity of one ordered pair, zero support included."""
    support = counts.co_owners.get((source_id, target_id), 0)
    source_owners = counts.owners.get(source_id, 0)
    target_owners = counts.owners.get(target_id, 0)
    # lift = (support / source_owners) / (target_owners / population), in one
    # division so that a boundary value such as 1.2 is exact.
    lift = _ratio(support * counts.population, source_owners * target_owners)
    return Affinity(
        source_id=source_id,
        target_id=target_id,
        support=support,
        source_owners=source_owners,
        target_owners=target_owners,
        confidence=_ratio(support, source_owners),
        base_rate=_ratio(target_owners, counts.population),
        lift=lift,
        has_evidence=support >= thresholds.min_support and lift >= thresholds.min_lift,
    )


def affinities(
    counts: InstallBaseCounts, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Affinity]:
    """Every co-owned ordered pair, strongest lift first."""
    found = [pair_affinity(s, t, counts, thresholds) for s, t in counts.co_owners]
    return sorted(found, key=lambda a: (-a.lift, -a.support, a.source_id, a.target_id))


def suggestions(
    counts: InstallBaseCounts,
    mapped: Iterable[Pair],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    limit: int = SUGGESTION_LIMIT,
) -> list[Affinity]:
    """Pairs with evidence in the install base that the product map lacks."""
    known = set(mapped)
    found = [a for a in affinities(counts, thresholds) if a.has_evidence and a.pair not in known]
    return found[:limit]
