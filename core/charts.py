"""A chart as pages hand it to templates/includes/chart.html.

The figure travels as JSON in a non-executable script element and
static/js/charts.js draws it, so pages need no inline script under the CSP.
Colours may be given as "var(--color-acquirer)": charts.js resolves them from
static/css/app.css, which keeps one palette for pages and charts.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from plotly.io.json import to_json_plotly

from core.numbers import escaped, number_text

# What django.utils.html.json_script escapes: nothing in the JSON can close the
# script element or start markup.
_SCRIPT_ESCAPES = {">": "\\u003E", "<": "\\u003C", "&": "\\u0026"}

# A Plotly figure as plotly.js reads it: {"data": [trace, ...], "layout": {...}}, plain
# dicts and lists. Plotly's graph objects would validate every property on the way, which
# costs more than a page's queries; the browser's plotly.js reads the same JSON.
type Figure = dict[str, Any]

# A legend above the plot, clear of the axis titles and tick labels below it.
LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0}
# Height of one horizontal bar and its gap, and what a bar chart needs besides its bars
# (axis, axis title, top margin): the chart grows with its bars, never squeezing them.
BAR_ROW = 26
BAR_CHART_FRAME = 130


def bar_chart_height(bars: int, *, least: int = 300) -> int:
    """The height of a horizontal bar chart whose every bar is legible."""
    return max(least, BAR_CHART_FRAME + BAR_ROW * bars)


def axis_label(text: str, width: int = 22) -> str:
    """A category label of at most two lines of about `width` characters, broken at spaces,
    cut short with an ellipsis beyond that: long names would take the plot's room.
    Pages give the whole name on hover."""
    lines = [""]
    for word in str(text).split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    lines = [lines[0], " ".join(lines[1:])] if len(lines) > 1 else lines
    return "<br>".join(
        line if len(line) <= width else line[: width - 1].rstrip() + "…" for line in lines
    )


def update(figure: Figure, **layout: Any) -> Figure:
    """The figure with `layout` merged into its layout, as Plotly's update_layout does:
    settings that are dicts on both sides merge key by key, anything else replaces."""
    _merge(figure.setdefault("layout", {}), layout)
    return figure


def _merge(into: dict[str, Any], changes: Mapping[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, Mapping):
            # Merged into a fresh dict where there was none, so that a later change to
            # this figure never reaches the caller's.
            if not isinstance(into.get(key), dict):
                into[key] = {}
            _merge(into[key], value)
        else:
            into[key] = value


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    figure: Mapping[str, Any]
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    description: str = ""
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def figure_json(self) -> SafeString:
        payload = {**self.figure, "config": dict(self.config)}
        # Three replaces rather than str.translate, which costs milliseconds on a large
        # chart's JSON; the escapes write no character that another one replaces.
        text = to_json_plotly(payload)
        for character, escape in _SCRIPT_ESCAPES.items():
            text = text.replace(character, escape)
        return mark_safe(text)

    @property
    def rows_html(self) -> SafeString:
        """The "View data" table's rows, each cell as `{{ cell }}` would write it.

        Written here rather than by template tags: a large program's tables have
        thousands of cells, and the tags cost more per cell than the page's queries.
        """
        lines = []
        for row in self.rows:
            if not isinstance(row, list | tuple):
                row = list(row)
            if not row:
                lines.append("<tr></tr>")
                continue
            cells = "".join([f'<td class="num">{_cell(cell)}</td>' for cell in row[1:]])
            lines.append(f'<tr><th scope="row">{_cell(row[0])}</th>{cells}</tr>')
        return mark_safe("\n".join(lines))


def _cell(value: Any) -> str:
    """A value as a template writes it (django.template.base.render_value_in_context):
    localized, and escaped unless it is safe HTML already. Text and numbers, nearly every
    cell, take the short paths of core.numbers."""
    kind = type(value)
    if kind is str or kind is SafeString:
        return escaped(value)
    if kind is int or kind is Decimal:
        return escaped(number_text(value))
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))
