"""What Plotly needs to speak the reader's language: month and day names, separators, and
the chart toolbar's words.

Plotly ships its translations as separate scripts; these few words are kept in the
product's own catalogues instead, and the names come from the locale data (Babel's CLDR),
so a chart reads like the page around it.
"""

from functools import cache

from babel import Locale
from django.utils import formats, translation
from django.utils.translation import gettext as _

# Plotly's toolbar and hover labels, keyed by Plotly's own English.
TOOLBAR = {
    "Download plot as a png": lambda: _("Download the chart as PNG"),
    "Zoom": lambda: _("Zoom"),
    "Pan": lambda: _("Pan"),
    "Zoom in": lambda: _("Zoom in"),
    "Zoom out": lambda: _("Zoom out"),
    "Autoscale": lambda: _("Fit to data"),
    "Reset axes": lambda: _("Reset axes"),
    "Reset": lambda: _("Reset"),
    "Toggle Spike Lines": lambda: _("Show guide lines"),
    "Show closest data on hover": lambda: _("Show the nearest value on hover"),
    "Compare data on hover": lambda: _("Compare values on hover"),
    "Double-click to zoom back out": lambda: _("Double-click to zoom back out"),
    "Click to enter Colorscale title": lambda: _("Colour scale"),
    "Snapshot succeeded": lambda: _("Chart saved"),
    "Taking snapshot - this may take a few seconds": lambda: _("Saving the chart…"),
}


def chart_locale() -> dict:
    """The Plotly locale of the active language (English needs none)."""
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return {}
    return {
        "name": language,
        "dictionary": {english: str(word()) for english, word in TOOLBAR.items()},
        "format": {
            **_calendar(translation.to_locale(language)),
            "decimal": formats.get_format("DECIMAL_SEPARATOR"),
            "thousands": formats.get_format("THOUSAND_SEPARATOR"),
        },
    }


@cache
def _calendar(locale_name: str) -> dict[str, list[str]]:
    locale = Locale.parse(locale_name)
    # Plotly counts days from Sunday; CLDR from Monday.
    days = [locale.days["stand-alone"]["wide"][(index + 6) % 7] for index in range(7)]
    short_days = [locale.days["stand-alone"]["abbreviated"][(index + 6) % 7] for index in range(7)]
    return {
        "months": [locale.months["stand-alone"]["wide"][month] for month in range(1, 13)],
        "shortMonths": [
            locale.months["stand-alone"]["abbreviated"][month] for month in range(1, 13)
        ],
        "days": days,
        "shortDays": short_days,
    }
