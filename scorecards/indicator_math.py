"""Indicator arithmetic on plain numbers: shares, ratios, weights and win rates.

The win rates themselves follow tracker.figures.win_rate; this module only
says how a segment's cross-sell win rate is set against the core win rate of
the companies whose reps sold there.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tracker.figures import win_rate

HUNDRED = Decimal("100")
ZERO = Decimal("0")
type Outcomes = tuple[int, int]  # (won, lost)


def pct(part: Any, whole: Any) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"))


def ratio(part: Any, whole: Any) -> Decimal | None:
    if not whole or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def shares_of(counts: Mapping[Any, Mapping[Any, int]]) -> dict[Any, dict[Any, Decimal]]:
    """{segment: {rep: deals}} to {segment: {rep: the rep's share of their own deals}}.

    A rep who sells in three segments counts a third of their quota, pay and
    headcount in each (by deal count), so that the segments add up to the
    program instead of counting every rep in full everywhere they sell.
    """
    totals: dict[Any, int] = {}
    for by_rep in counts.values():
        for rep, deals in by_rep.items():
            totals[rep] = totals.get(rep, 0) + deals
    return {
        segment: {rep: Decimal(deals) / totals[rep] for rep, deals in by_rep.items() if deals}
        for segment, by_rep in counts.items()
    }


def weighted_sum(amounts: Mapping[Any, Decimal], weights: Mapping[Any, Decimal]) -> Decimal:
    return sum((amounts.get(key, ZERO) * weight for key, weight in weights.items()), ZERO)


def weighted_mean(
    values: Mapping[Any, Decimal | None], weights: Mapping[Any, Decimal]
) -> Decimal | None:
    """The mean of the values present, each weighted; None when none is present."""
    present = {key: weight for key, weight in weights.items() if values.get(key) is not None}
    total = sum(present.values(), ZERO)
    if not total:
        return None
    mean = sum((values[key] * weight for key, weight in present.items()), ZERO) / total
    return mean.quantize(Decimal("0.01"))


def win_rate_against_core(
    cross_sell: Mapping[int, Outcomes], core: Mapping[int, Outcomes]
) -> Decimal | None:
    """Cross-sell win rate over the sellers' core win rate, by the sellers' company.

    Only the deals of reps whose company has core win rates count; their core
    rate is each company's, weighted by that company's decided cross-sell deals.
    None ("not measured") without core data or without a decided cross-sell deal.
    """
    rates = {
        company: rate
        for company, (won, lost) in core.items()
        if (rate := win_rate(won=won, lost=lost)) is not None
    }
    sold = {company: outcome for company, outcome in cross_sell.items() if company in rates}
    won = sum(won for won, _lost in sold.values())
    lost = sum(lost for _won, lost in sold.values())
    cross_rate = win_rate(won=won, lost=lost)
    if cross_rate is None:
        return None
    expected = sum(
        (
            Decimal(company_won + company_lost) * rates[company]
            for company, (company_won, company_lost) in sold.items()
        ),
        ZERO,
    ) / (won + lost)
    return ratio(cross_rate, expected)
