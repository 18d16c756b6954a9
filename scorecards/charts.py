"""Dashboard charts: plain data in, a Plotly figure (core.charts.Figure) out; pages render them.

Colours are CSS variables (static/css/app.css) that static/js/charts.js resolves,
so the two legacy companies and the six Cs look the same on every page.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.charts import Figure, axis_label
from core.numbers import number_text
from scorecards.models import SixC

DIRECTION_COLOURS = {
    "a_to_b": "var(--color-acquirer)",
    "b_to_a": "var(--color-acquired)",
    "within": "var(--color-prospect)",
}
SCORE_SCALE = [[0, "#b2182b"], [0.5, "#f7e08a"], [1, "#1a7f4b"]]
# A C without data: neutral, never on the red-to-green scale.
NOT_SCORED = "#d5dce5"


def c_score_number(value: Decimal | None) -> str:
    """A C's score as every page, chart and export writes it: two decimals, as stored."""
    return "" if value is None else number_text(value, 2)


def _numbers(values: Sequence[Decimal | int | float | None]) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


def title(text: str) -> dict[str, Any]:
    return {"title": {"text": text}}


def figure_of(
    data: list[dict[str, Any]],
    *,
    x_title: str,
    y_title: str,
    hovermode: str = "x unified",
    **layout: Any,
) -> Figure:
    """A figure with its axes named: the titles merge into any other settings of the axes."""
    xaxis, yaxis = layout.pop("xaxis", {}), layout.pop("yaxis", {})
    return {
        "data": data,
        "layout": {
            **layout,
            "xaxis": {**xaxis, **title(x_title)},
            "yaxis": {**yaxis, **title(y_title)},
            "hovermode": hovermode,
        },
    }


def _closed_ring(scores: Mapping[str, Decimal | None]) -> list[float | None]:
    """The six scores with the first repeated, so the radar's outline closes."""
    values = _numbers([scores.get(c) for c in SixC.values])
    return [*values, values[0]]


def impact_figure(
    *,
    months: Sequence[date],
    realized: Sequence[Decimal | None],
    target: Sequence[Decimal | None],
    forecast_low: Sequence[Decimal | None],
    forecast_high: Sequence[Decimal | None],
    currency: str,
    with_target: bool = True,
) -> Figure:
    """Cumulative realized synergy against the target line, with the forecast band.

    Without a target (a team, a rep or a direction has none of its own) the line is left out.
    """
    x = [month.isoformat() for month in months]
    band = {"type": "scatter", "x": x, "mode": "lines", "line": {"width": 0}}
    target_line = {
        "type": "scatter",
        "x": x,
        "y": _numbers(target),
        "name": _("Target"),
        "mode": "lines",
        "line": {"dash": "dash", "color": "var(--color-muted)"},
    }
    return figure_of(
        [
            {
                **band,
                "y": _numbers(forecast_high),
                "name": _("Forecast, high"),
                "showlegend": False,
                "hoverinfo": "skip",
            },
            {
                **band,
                "y": _numbers(forecast_low),
                "name": _("Forecast band"),
                "fill": "tonexty",
                "fillcolor": "rgba(29, 95, 168, 0.15)",
            },
            *([target_line] if with_target else []),
            {
                "type": "scatter",
                "x": x,
                "y": _numbers(realized),
                "name": _("Realized synergy"),
                "mode": "lines+markers",
                "line": {"color": "var(--color-won)", "width": 3},
            },
        ],
        x_title=_("Month"),
        y_title=_("Cumulative cross-sell revenue (%(currency)s)") % {"currency": currency},
    )


def funnel_figure(
    *, stages: Sequence[str], counts: Sequence[int], amounts: Sequence[Decimal], currency: str
) -> Figure:
    """Open pipeline by stage, as a funnel of amounts with the deal count beside it."""
    funnel = {
        "type": "funnel",
        "y": list(stages),
        "x": _numbers(amounts),
        "customdata": list(counts),
        "texttemplate": "%{x:,.0f} " + currency + " (%{customdata})",
        "marker": {"color": "var(--color-open)"},
        "name": _("Open pipeline"),
    }
    return figure_of(
        [funnel],
        x_title=_("Open pipeline (%(currency)s)") % {"currency": currency},
        y_title=_("Stage"),
        hovermode="closest",
    )


def segment_direction_figure(
    *,
    segments: Sequence[str],
    amounts_by_direction: Mapping[str, Sequence[Decimal]],
    direction_labels: Mapping[str, str],
    currency: str,
    horizontal: bool = False,
) -> Figure:
    """Open pipeline per segment, stacked by direction of the cross-sell.

    Horizontal bars suit long segment names: they read along the axis.
    """
    segment_axis, amount_axis = ("y", "x") if horizontal else ("x", "y")
    bars = [
        {
            "type": "bar",
            segment_axis: list(segments),
            amount_axis: _numbers(amounts),
            "orientation": "h" if horizontal else "v",
            "name": direction_labels.get(direction, direction),
            "marker": {"color": DIRECTION_COLOURS.get(direction, "var(--color-prospect)")},
        }
        for direction, amounts in amounts_by_direction.items()
    ]
    titles = {
        f"{segment_axis}_title": _("Segment"),
        f"{amount_axis}_title": _("Open pipeline (%(currency)s)") % {"currency": currency},
    }
    return figure_of(
        bars,
        barmode="stack",
        hovermode="y unified" if horizontal else "x unified",
        **({"yaxis": {"autorange": "reversed"}} if horizontal else {}),
        **titles,
    )


def attainment_figure(
    *, names: Sequence[str], attainment_pct: Sequence[Decimal | None], title_axis: str
) -> Figure:
    """Cross-sell quota attainment per team or rep, a bar each, with the 100% target line.

    Horizontal bars in the given order, top down: names read along the axis however many
    there are. A long name is shortened on the axis, whole on hover; the bars sit at
    positions 0, 1, ... so that two names shortened alike stay two bars.
    """
    values = _numbers(attainment_pct)
    colours = [
        "var(--color-won)" if value is not None and value >= 100 else "var(--color-open)"
        for value in values
    ]
    positions = list(range(len(values)))
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": positions,
        "x": values,
        "customdata": list(names),
        "marker": {"color": colours},
        "name": _("Attainment"),
        "hovertemplate": "%{customdata}: %{x:.0f}%<extra></extra>",
    }
    # The dashed 100% line down the whole plot, labelled at its top.
    across = {"xref": "x", "yref": "y domain"}
    target_line = {
        **across,
        "type": "line",
        "x0": 100,
        "x1": 100,
        "y0": 0,
        "y1": 1,
        "line": {"color": "var(--color-muted)", "dash": "dash"},
    }
    label = {
        **across,
        "text": _("Target"),
        "showarrow": False,
        "x": 100,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
    }
    names_axis = {
        "tickmode": "array",
        "tickvals": positions,
        "ticktext": [axis_label(name) for name in names],
        "autorange": "reversed",
    }
    return figure_of(
        [bars],
        shapes=[target_line],
        annotations=[label],
        x_title=_("Cross-sell quota attainment (%)"),
        y_title=title_axis,
        hovermode="closest",
        xaxis={"rangemode": "tozero"},
        yaxis=names_axis,
    )


def six_c_heatmap_figure(
    *,
    segments: Sequence[str],
    scores: Sequence[Sequence[Decimal | None]],
    missing: Sequence[Sequence[str]] | None = None,
) -> Figure:
    """Segments down, the six Cs across, coloured from 1 (red) to 5 (green).

    A C that is not scored is grey and says so, with the data that would score
    it on hover: no data is not a weak score.
    """
    labels = [str(label) for label in SixC.labels]
    z = [_numbers(row) for row in scores]
    layers = []
    if any(value is None for row in z for value in row):
        layers.append(_not_scored_layer(labels, segments, z, missing))
    layers.append(
        {
            "type": "heatmap",
            "z": z,
            "x": labels,
            "y": list(segments),
            "zmin": 1,
            "zmax": 5,
            "colorscale": SCORE_SCALE,
            # As the scorecard, its table and exports write a score: two decimals, the
            # reader's separator; never rounded here and cut there.
            "text": [[c_score_number(value) for value in row] for row in scores],
            "texttemplate": "%{text}",
            "colorbar": title(_("Score")),
            "hovertemplate": "%{y}<br>%{x}: %{z:.2f}/5<extra></extra>",
            "hoverongaps": False,
        }
    )
    return figure_of(layers, x_title=_("The six Cs"), y_title=_("Segment"), hovermode="closest")


def _not_scored_layer(labels, segments, z, missing) -> dict[str, Any]:
    needs = missing or [["" for _value in row] for row in z]
    not_scored = _("not scored")
    to_score = _("To score it: %(needs)s")
    return {
        "type": "heatmap",
        "z": [[1 if value is None else None for value in row] for row in z],
        "x": labels,
        "y": list(segments),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, NOT_SCORED], [1, NOT_SCORED]],
        "showscale": False,
        "text": [[not_scored if value is None else "" for value in row] for row in z],
        "texttemplate": "%{text}",
        "customdata": [
            [to_score % {"needs": need} if need else "" for need in row] for row in needs
        ],
        "hovertemplate": "%{y}<br>%{x}: " + not_scored + "<br>%{customdata}<extra></extra>",
        "hoverongaps": False,
    }


def six_c_radar_figure(
    *, segment: str, scores: Mapping[str, Decimal], previous: Mapping[str, Decimal] | None = None
) -> Figure:
    """One segment's six C scores on a radar, with last month's for comparison.

    A C that is not scored has no point on its spoke, and its label says so.
    """
    not_scored = _("not scored")
    labels = [
        str(label) if c in scores else f"{label}<br>({not_scored})" for c, label in SixC.choices
    ]
    theta = [*labels, labels[0]]
    rings = []
    if previous:
        rings.append(
            {
                "type": "scatterpolar",
                "r": _closed_ring(previous),
                "theta": theta,
                "name": _("Last month"),
                "line": {"dash": "dot", "color": "var(--color-muted)"},
            }
        )
    rings.append(
        {
            "type": "scatterpolar",
            "r": _closed_ring(scores),
            "theta": theta,
            "name": segment,
            "fill": "toself",
            "line": {"color": "var(--color-primary)"},
        }
    )
    radial = {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5], **title(_("Score (1-5)"))}
    return {"data": rings, "layout": {"polar": {"radialaxis": radial}}}
