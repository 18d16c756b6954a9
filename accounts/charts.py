"""The charts of the accounts pages: the whitespace heatmap and the overlap transitions."""

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from core.charts import Chart, Figure

if TYPE_CHECKING:
    from accounts.selectors.whitespace import HeatmapData

# Plotly's "Blues" as plotly.py spells it out (ColorBrewer's): plotly.js has a different
# scale of that name, so the stops travel with the figure.
BLUES = [
    [0.0, "rgb(247,251,255)"],
    [0.125, "rgb(222,235,247)"],
    [0.25, "rgb(198,219,239)"],
    [0.375, "rgb(158,202,225)"],
    [0.5, "rgb(107,174,214)"],
    [0.625, "rgb(66,146,198)"],
    [0.75, "rgb(33,113,181)"],
    [0.875, "rgb(8,81,156)"],
    [1.0, "rgb(8,48,107)"],
]

# Bars of the overlap transitions: into "both" in the colour of the side the
# accounts came from, new customers in the greenfield colour (hatched by side).
TRANSITION_MARKERS: Mapping[str, Mapping[str, Any]] = {
    "acquirer_only_to_both": {"color": "var(--color-acquirer)"},
    "acquired_only_to_both": {"color": "var(--color-acquired)"},
    "new_both": {"color": "var(--color-both)"},
    "new_acquirer_only": {"color": "var(--color-greenfield)", "pattern": {"shape": "/"}},
    "new_acquired_only": {"color": "var(--color-greenfield)", "pattern": {"shape": "x"}},
}


@cache
def plotly_template() -> dict[str, Any]:
    """Plotly's default template, which the whitespace page's heatmap has always carried
    (the dashboards leave it out: it overrides the site's palette and weighs ~8 kB)."""
    # graph_objects is slow to import; only this template needs it, once per process.
    import plotly.io as pio

    return pio.templates[pio.templates.default].to_plotly_json()


def whitespace_heatmap_figure(data: "HeatmapData") -> Figure:
    """Potential whitespace value as a heatmap: products down, segments or directions across."""
    from django.utils.translation import gettext as _

    currency = data.currency
    heatmap = {
        "type": "heatmap",
        "z": [[float(value) for value in row] for row in data.values],
        "x": list(data.x_labels),
        "y": list(data.y_labels),
        "customdata": [list(row) for row in data.counts],
        "colorscale": BLUES,
        "colorbar": {"title": {"text": currency}},
        "hovertemplate": (
            "%{y}<br>%{x}<br>"
            + _("Potential value")
            + f": %{{z:,.0f}} {currency}<br>"
            + _("Candidates")
            + ": %{customdata}<extra></extra>"
        ),
    }
    return {
        "data": [heatmap],
        "layout": {
            "title": {
                "text": _("Whitespace potential value (%(currency)s)") % {"currency": currency}
            },
            "xaxis": {"title": {"text": data.x_title}, "side": "top"},
            "yaxis": {"title": {"text": data.y_title}, "autorange": "reversed"},
            "margin": {"l": 200, "r": 20, "t": 80, "b": 20},
        },
    }


def overlap_transitions_chart(
    *, chart_id: str, months: Sequence[Any], transitions: Mapping[str, Sequence[int]]
) -> Chart:
    """Stacked bars: accounts changing customer status in each month, by transition."""
    from django.utils.translation import gettext as _

    from accounts.overlap_transitions import TRANSITION_LABELS

    x = [f"{month:%Y-%m}" for month in months]
    traces = [
        {
            "type": "bar",
            "name": str(TRANSITION_LABELS[key]),
            "x": x,
            "y": list(transitions[key]),
            "marker": dict(TRANSITION_MARKERS[key]),
            "hovertemplate": "%{x}: %{y}<extra>" + str(TRANSITION_LABELS[key]) + "</extra>",
        }
        for key in TRANSITION_LABELS
    ]
    return Chart(
        id=chart_id,
        title=_("Accounts changing customer status, per month"),
        description=_(
            "Each bar counts the accounts whose first purchase from a side fell in the "
            "month: customers of one side becoming customers of both is cross-selling at "
            "work; prospects and greenfield accounts becoming customers are new logos."
        ),
        figure={
            "data": traces,
            "layout": {
                "barmode": "stack",
                "xaxis": {"title": {"text": _("Month")}, "type": "category"},
                "yaxis": {"title": {"text": _("Accounts")}, "rangemode": "tozero"},
                # Above the plot, clear of the month labels and the axis title below it.
                "legend": {
                    "orientation": "h",
                    "yanchor": "bottom",
                    "y": 1.02,
                    "xanchor": "left",
                    "x": 0,
                },
                "margin": {"t": 110},
                "height": 460,
            },
        },
        columns=[_("Month"), *(str(label) for label in TRANSITION_LABELS.values())],
        rows=[
            [month, *(transitions[key][index] for key in TRANSITION_LABELS)]
            for index, month in enumerate(x)
        ],
    )
