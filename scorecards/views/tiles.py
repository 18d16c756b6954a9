"""KPI tiles as a page shows them: the value, and the change since last month in words."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from core.numbers import rounded_text
from scorecards.dashboard_math import Tile


@dataclass(frozen=True)
class TileView:
    key: str
    label: str
    value: str
    note: str
    trend: str  # "up", "down", "flat" or "" when last month has no figure
    change: str
    change_text: str
    # The list of the records behind the figure (scorecards.views.tile_links), if any.
    url: str = ""


def _number(value: Decimal, unit: str, currency: str) -> str:
    # Rounded as the quota page's and every template's floatformat round.
    if unit == "money":
        return f"{rounded_text(value, 0, force_grouping=True)} {currency}"
    if unit == "percent":
        return f"{rounded_text(value, 1)}%"
    return f"{rounded_text(value, 1)}×"


def _amount(value: Decimal, unit: str, currency: str) -> str:
    """A change: money in the currency, percentages in points, ratios as a multiple."""
    if unit == "percent":
        return _("%(points)s points") % {"points": rounded_text(value, 1)}
    return _number(value, unit, currency)


def tile_view(tile: Tile, *, currency: str, url: str = "") -> TileView:
    if not tile.measured:
        return TileView(tile.key, tile.label, _("Not measured"), tile.note, "", "", "")
    view = _tile_view(tile, currency=currency)
    return replace(view, url=url) if tile.value is not None else view


def _tile_view(tile: Tile, *, currency: str) -> TileView:
    value = _("No figure yet") if tile.value is None else _number(tile.value, tile.unit, currency)
    change = tile.change
    if change is None:
        return TileView(
            tile.key, tile.label, value, tile.note, "", "", _("No figure for last month")
        )
    if change == 0:
        return TileView(
            tile.key, tile.label, value, tile.note, "flat", "±0", _("Unchanged since last month")
        )
    size = _amount(abs(change), tile.unit, currency)
    if change > 0:
        sign, trend, text = "+", "up", _("Up %(amount)s since last month")
    else:
        sign, trend, text = "−", "down", _("Down %(amount)s since last month")
    return TileView(
        tile.key,
        tile.label,
        value,
        tile.note,
        trend,
        f"{sign}{size}",
        text % {"amount": size},
    )
