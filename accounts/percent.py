"""Percentages as the pages, exports and API show them. Pure.

One rounding everywhere (half up, to a tenth unless a caller needs whole
percent), so that a figure reads the same on every page that shows it.
"""

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")
WHOLE = Decimal("1")


def percent(ratio: Decimal | None, *, places: Decimal = TENTH) -> Decimal | None:
    """A ratio (0.125) in percent (12.5); None stays None."""
    if ratio is None:
        return None
    return (ratio * 100).quantize(places, ROUND_HALF_UP)


def percent_of(
    part: Decimal | int, whole: Decimal | int, *, places: Decimal = TENTH
) -> Decimal | None:
    """`part` as a percentage of `whole`; None where there is no whole to divide by."""
    if not whole:
        return None
    return percent(Decimal(part) / Decimal(whole), places=places)
