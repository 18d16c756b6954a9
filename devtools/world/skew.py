"""How a generated program's volumes are spread: evenly, or with the hot spots real ones have.

Zipf weights put most accounts and deals in a few segments and reps; a power law
gives most CRM records one or two products and a few dozens.
"""

import random


def even_spread(total: int, buckets: int, most: int) -> list[int]:
    """Counts per bucket that sum to `total`, varied by +-2 in pairs, at most `most` each."""
    if not buckets:
        return []
    base, extra = divmod(total, buckets)
    counts = [base + (1 if i < extra else 0) for i in range(buckets)]
    for i in range(0, buckets - 1, 2):
        shift = (i // 2) % 5 - 2
        if 1 <= counts[i] + shift <= most and 1 <= counts[i + 1] - shift <= most:
            counts[i] += shift
            counts[i + 1] -= shift
    if max(counts) > most:
        raise ValueError(f"{total} do not fit {buckets} buckets of at most {most}")
    return counts


# Zipf exponent of the skewed data: the first of 20 segments holds about a third of
# the accounts, the first three about half.
ZIPF_EXPONENT = 1.1
# Pareto shape of holdings per CRM record: most hold one or two products, a few dozens.
PARETO_SHAPE = 1.2


def zipf_weights(count: int, *, skewed: bool) -> list[float]:
    """Weights of `count` items by rank: equal, or Zipf-distributed when skewed."""
    if not skewed:
        return [1.0] * count
    return [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(count)]


def power_spread(rng: random.Random, total: int, buckets: int, most: int) -> list[int]:
    """Counts per bucket summing to `total`, each 1 to `most`, drawn from a power law."""
    if not buckets:
        return []
    if not buckets <= total <= buckets * most:
        raise ValueError(f"{total} holdings do not fit {buckets} records of 1 to {most}")
    draws = [rng.paretovariate(PARETO_SHAPE) for _ in range(buckets)]
    scale = total / sum(draws)
    counts = [min(most, max(1, round(d * scale))) for d in draws]
    # Rounding and the bounds leave the sum off; settle it one unit at a time,
    # on the heaviest buckets first so the tail stays heavy.
    order = sorted(range(buckets), key=lambda i: -draws[i])
    gap = total - sum(counts)
    step = 1 if gap > 0 else -1
    while gap:
        moved = False
        for i in order:
            if gap == 0:
                break
            if 1 <= counts[i] + step <= most:
                counts[i] += step
                gap -= step
                moved = True
        if not moved:
            raise ValueError("holdings cannot be spread")
    return counts
