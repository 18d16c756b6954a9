"""Connection strength: do we have a relationship to build a cross-sell on?

A relationship with the account is not one with its decision maker, and the
decision maker weighs most: accounts with strong decision-maker relationships
cross-buy within a year, accounts sold to strangers take about 18 months
longer. The strength is 0-100, the sum of the points below, and comes with
the reasons that earned (or cost) them. Pure: plain signals in, plain values out.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DECISION_MAKER_POINTS = 30
RELATIONSHIP_OWNER_POINTS = 10
TENURE_POINTS_PER_YEAR = 4
TENURE_MAX_POINTS = 20
REVENUE_POINTS = 5
GROWTH_STRONG_PCT = Decimal("10")
GROWTH_STRONG_POINTS = 15
GROWTH_SOME_POINTS = 8
NEW_REVENUE_POINTS = 8
PRODUCT_POINTS_EACH = 5
PRODUCT_MAX_POINTS = 20

MAX_STRENGTH = (
    DECISION_MAKER_POINTS
    + RELATIONSHIP_OWNER_POINTS
    + TENURE_MAX_POINTS
    + REVENUE_POINTS
    + GROWTH_STRONG_POINTS
    + PRODUCT_MAX_POINTS
)
ZERO = Decimal("0")


@dataclass(frozen=True)
class ConnectionSignals:
    """One unified account's signals, summed over its CRM records."""

    revenue_current: Decimal = ZERO
    revenue_prior: Decimal = ZERO
    products_held: int = 0
    relationship_since: dt.date | None = None
    decision_maker_known: bool = False
    has_relationship_owner: bool = False


@dataclass(frozen=True)
class ConnectionStrength:
    strength: int
    reasons: tuple[str, ...]


def growth_pct(current: Decimal, prior: Decimal) -> Decimal | None:
    """Year-on-year growth in whole percent; None without a prior year to compare."""
    if prior <= 0:
        return None
    return ((current - prior) * 100 / prior).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def tenure_years(since: dt.date | None, today: dt.date) -> int:
    if since is None or since > today:
        return 0
    years = today.year - since.year
    if (today.month, today.day) < (since.month, since.day):
        years -= 1
    return years


# A reason is built only when asked for: the nightly refresh scores 100k
# accounts and stores only the number, and translating every reason cost more
# than the scoring itself.
type Reason = Callable[[], str]
type Component = tuple[int, Reason]


def _revenue(signals: ConnectionSignals) -> Component:
    current, prior = signals.revenue_current, signals.revenue_prior
    if current <= 0:
        return 0, lambda: _("No revenue in the last 12 months")
    growth = growth_pct(current, prior)
    if growth is None:
        return REVENUE_POINTS + NEW_REVENUE_POINTS, lambda: _("New revenue this year")
    if growth > 0:
        points = GROWTH_STRONG_POINTS if growth >= GROWTH_STRONG_PCT else GROWTH_SOME_POINTS
        return (
            REVENUE_POINTS + points,
            lambda: _("Revenue grew %(pct)s%% last year") % {"pct": growth},
        )
    if growth == 0:
        return REVENUE_POINTS, lambda: _("Revenue flat last year")
    return REVENUE_POINTS, lambda: _("Revenue fell %(pct)s%% last year") % {"pct": -growth}


def _components(signals: ConnectionSignals, today: dt.date) -> list[Component]:
    """Points per signal with the reason for them, strongest signal first."""
    found: list[Component] = [
        (DECISION_MAKER_POINTS, lambda: _("Decision maker known"))
        if signals.decision_maker_known
        else (0, lambda: _("Decision maker not known")),
        (RELATIONSHIP_OWNER_POINTS, lambda: _("Named relationship owner"))
        if signals.has_relationship_owner
        else (0, lambda: _("No relationship owner")),
    ]
    years = tenure_years(signals.relationship_since, today)
    if years:
        found.append(
            (
                min(years * TENURE_POINTS_PER_YEAR, TENURE_MAX_POINTS),
                lambda: (
                    ngettext("Relationship of %(n)d year", "Relationship of %(n)d years", years)
                    % {"n": years}
                ),
            )
        )
    found.append(_revenue(signals))
    held = signals.products_held
    if held:
        found.append(
            (
                min(held * PRODUCT_POINTS_EACH, PRODUCT_MAX_POINTS),
                lambda: (
                    ngettext("Holds %(n)d product", "Holds %(n)d products", held) % {"n": held}
                ),
            )
        )
    return found


def connection_score(signals: ConnectionSignals, *, today: dt.date) -> int:
    """The strength 0-100 alone, without building the reasons."""
    return min(sum(points for points, _reason in _components(signals, today)), MAX_STRENGTH)


def connection_strength(signals: ConnectionSignals, *, today: dt.date) -> ConnectionStrength:
    """Strength 0-100 with its reasons, strongest signal first."""
    components = _components(signals, today)
    return ConnectionStrength(
        strength=min(sum(points for points, _reason in components), MAX_STRENGTH),
        reasons=tuple(reason() for _points, reason in components),
    )
