"""Warnings and suggestions for a new or changed opportunity, on plain values.

Warnings are not errors: the rule of thumb says an upsell should not raise a
customer's spend by more than about 25%, and a cross-sell deal around a tenth
of a normal deal signals that cross-selling does not pay for the rep's time.
Both can be right for a given customer, so the seller confirms and saves anyway.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import UPSELL_MAX_RAISE, Kind
from accounts.percent import WHOLE, percent

ZERO = Decimal("0")
SMALL_CROSS_SELL_SHARE = Decimal("0.1")
DEFAULT_CYCLE_DAYS = 90

UPSELL_RAISE = "upsell_raise"
SMALL_CROSS_SELL = "small_cross_sell"


@dataclass(frozen=True)
class RuleWarning:
    code: str
    field: str
    message: str


@dataclass(frozen=True)
class CurrentSpend:
    """What the account pays now for the product an upsell raises, or its predecessor."""

    amount: Decimal
    product_name: str
    upgraded_from: bool = False


def _money(value: Decimal) -> str:
    return number_format(value.quantize(Decimal("0.01")), decimal_pos=2, force_grouping=True)


def opportunity_warnings(
    *,
    kind: str,
    amount: Decimal,
    current_spend: CurrentSpend | None,
    typical_core_deal: Decimal,
) -> list[RuleWarning]:
    """The rules of thumb an opportunity's values break; empty when none.

    An amount of zero means "not estimated yet" and warns of nothing.
    """
    warnings: list[RuleWarning] = []
    if amount <= ZERO:
        return warnings
    if kind == Kind.UPSELL and current_spend is not None and current_spend.amount > ZERO:
        raise_share = amount / current_spend.amount
        if raise_share > UPSELL_MAX_RAISE:
            raise_pct = percent(raise_share, places=WHOLE)
            if current_spend.upgraded_from:
                message = _(
                    "This upsell raises the customer's spend by %(percent)s%%: they pay "
                    "%(current)s a year for %(product)s, which it upgrades. Upsells above "
                    "25%% often meet resistance; check the amount."
                )
            else:
                message = _(
                    "This upsell raises the customer's spend on %(product)s by %(percent)s%% "
                    "(they pay %(current)s a year now). Upsells above 25%% often meet "
                    "resistance; check the amount."
                )
            warnings.append(
                RuleWarning(
                    code=UPSELL_RAISE,
                    field="amount",
                    message=message
                    % {
                        "percent": raise_pct,
                        "current": _money(current_spend.amount),
                        "product": current_spend.product_name,
                    },
                )
            )
    floor = typical_core_deal * SMALL_CROSS_SELL_SHARE
    if kind == Kind.CROSS_SELL and floor > ZERO and amount < floor:
        warnings.append(
            RuleWarning(
                code=SMALL_CROSS_SELL,
                field="amount",
                message=_(
                    "This cross-sell deal is smaller than a tenth of the owner's typical core "
                    "deal (%(core)s). Deals this small rarely pay for the time they take; "
                    "check the amount or the scope."
                )
                % {"core": _money(typical_core_deal)},
            )
        )
    return warnings


def suggested_amount(
    *, kind: str, typical_deal_size: Decimal, current_spend: CurrentSpend | None
) -> Decimal:
    """A starting amount: the product's typical deal, an upsell capped at the 25% rule."""
    if kind == Kind.UPSELL and current_spend is not None and current_spend.amount > ZERO:
        cap = (current_spend.amount * UPSELL_MAX_RAISE).quantize(Decimal("0.01"))
        return min(typical_deal_size, cap) if typical_deal_size > ZERO else cap
    return typical_deal_size
