"""Template filters of the scorecard pages: score bands and signed changes."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from scorecards.scoring import unit_label

register = template.Library()


@register.filter
def score_band(score: Decimal | None) -> str:
    """1 to 5, the score rounded, for the colour of a cell that also shows the number."""
    if score is None or score == "":
        return "none"
    rounded = Decimal(score).quantize(Decimal("1"), ROUND_HALF_UP)
    return str(min(max(int(rounded), 1), 5))


@register.filter
def unit_of(indicator: Any) -> str:
    """The indicator's unit in the reader's language, agreeing with its value."""
    return unit_label(str(indicator.unit or ""), indicator.value)


@register.filter
def signed(value: Decimal | None, places: int = 2) -> str:
    """+0.25, −0.50 or ±0: the change of a score."""
    if value is None:
        return ""
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"
    return f"{sign}{number_format(abs(value), int(places))}"


@register.filter
def trend(value: Decimal | None) -> str:
    if value is None:
        return ""
    return "up" if value > 0 else "down" if value < 0 else "flat"
