"""Dashboard charts: plain data in, a Plotly figure out; pages render them.

Colours are CSS variables (static/css/app.css) that static/js/charts.js resolves,
so the two legacy companies and the six Cs look the same on every page.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from accounts.charts import TRANSITION_MARKERS
from accounts.overlap_transitions import TRANSITION_LABELS
from scorecards.models import SixC

DIRECTION_COLOURS = {
    "a_to_b": "var(--color-acquirer)",
    "b_to_a": "var(--color-acquired)",
    "within": "var(--color-prospect)",
}
STATUS_COLOURS = {
    "acquirer_only": "var(--color-acquirer)",
    "acquired_only": "var(--color-acquired)",
    "both": "var(--color-both)",
    "prospect": "var(--color-prospect)",
    "neither": "var(--color-greenfield)",
}
# Transition bars over a date axis: about a third of a month wide, in milliseconds.
TRANSITION_BAR_WIDTH_MS = 10 * 24 * 3600 * 1000
SCORE_SCALE = [[0, "#b2182b"], [0.5, "#f7e08a"], [1, "#1a7f4b"]]
# A C without data: neutral, never on the red-to-green scale.
NOT_SCORED = "#d5dce5"


def _numbers(values: Sequence[Decimal | int | float | None]) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


def _layout(
    figure: go.Figure, *, x_title: str, y_title: str, hovermode: str = "x unified"
) -> go.Figure:
    figure.update_layout(xaxis_title=x_title, yaxis_title=y_title, hovermode=hovermode)
    return figure


def _closed_ring(scores: Mapping[str, Decimal | None]) -> list[float | None]:
    """The six scores with the first repeated, so the radar's outline closes."""
    values = _numbers([scores.get(c) for c in SixC.values])
    return [*values, values[0]]


def impact_figure(
    *,
    months: Sequence[date],
    realized: Sequence[Decimal],
    target: Sequence[Decimal],
    forecast_low: Sequence[Decimal | None],
    forecast_high: Sequence[Decimal | None],
    currency: str,
) -> go.Figure:
    """Cumulative realized synergy against the target line, with the forecast band."""
    x = [month.isoformat() for month in months]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=x,
            y=_numbers(forecast_high),
            name=_("Forecast, high"),
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=_numbers(forecast_low),
            name=_("Forecast band"),
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(29, 95, 168, 0.15)",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=_numbers(target),
            name=_("Target"),
            mode="lines",
            line={"dash": "dash", "color": "var(--color-muted)"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=_numbers(realized),
            name=_("Realized synergy"),
            mode="lines+markers",
            line={"color": "var(--color-won)", "width": 3},
        )
    )
    return _layout(
        figure,
        x_title=_("Month"),
        y_title=_("Cumulative cross-sell revenue (%(currency)s)") % {"currency": currency},
    )


def funnel_figure(
    *, stages: Sequence[str], counts: Sequence[int], amounts: Sequence[Decimal], currency: str
) -> go.Figure:
    """Open pipeline by stage, as a funnel of amounts with the deal count beside it."""
    figure = go.Figure(
        go.Funnel(
            y=list(stages),
            x=_numbers(amounts),
            customdata=list(counts),
            texttemplate="%{x:,.0f} " + currency + " (%{customdata})",
            marker={"color": "var(--color-open)"},
            name=_("Open pipeline"),
        )
    )
    return _layout(
        figure,
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
) -> go.Figure:
    """Open pipeline per segment, stacked by direction of the cross-sell.

    Horizontal bars suit long segment names: they read along the axis.
    """
    segment_axis, amount_axis = ("y", "x") if horizontal else ("x", "y")
    figure = go.Figure(
        [
            go.Bar(
                **{segment_axis: list(segments), amount_axis: _numbers(amounts)},
                orientation="h" if horizontal else "v",
                name=direction_labels.get(direction, direction),
                marker={"color": DIRECTION_COLOURS.get(direction, "var(--color-prospect)")},
            )
            for direction, amounts in amounts_by_direction.items()
        ]
    )
    figure.update_layout(barmode="stack")
    titles = {
        f"{segment_axis}_title": _("Segment"),
        f"{amount_axis}_title": _("Open pipeline (%(currency)s)") % {"currency": currency},
    }
    if horizontal:
        figure.update_layout(yaxis={"autorange": "reversed"})
    return _layout(figure, hovermode="y unified" if horizontal else "x unified", **titles)


def attainment_figure(
    *, names: Sequence[str], attainment_pct: Sequence[Decimal | None], title_axis: str
) -> go.Figure:
    """Cross-sell quota attainment per team or rep, with the 100% target line."""
    values = _numbers(attainment_pct)
    colours = [
        "var(--color-won)" if value is not None and value >= 100 else "var(--color-open)"
        for value in values
    ]
    figure = go.Figure(
        go.Bar(
            x=list(names),
            y=values,
            marker={"color": colours},
            name=_("Attainment"),
            hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
        )
    )
    figure.add_hline(
        y=100,
        line_dash="dash",
        line_color="var(--color-muted)",
        annotation_text=_("Target"),
        annotation_position="top left",
    )
    return _layout(
        figure,
        x_title=title_axis,
        y_title=_("Cross-sell quota attainment (%)"),
        hovermode="closest",
    )


def six_c_heatmap_figure(
    *,
    segments: Sequence[str],
    scores: Sequence[Sequence[Decimal | None]],
    missing: Sequence[Sequence[str]] | None = None,
) -> go.Figure:
    """Segments down, the six Cs across, coloured from 1 (red) to 5 (green).

    A C that is not scored is grey and says so, with the data that would score
    it on hover: no data is not a weak score.
    """
    labels = [str(label) for label in SixC.labels]
    z = [_numbers(row) for row in scores]
    figure = go.Figure()
    if any(value is None for row in z for value in row):
        figure.add_trace(_not_scored_layer(labels, segments, z, missing))
    figure.add_trace(
        go.Heatmap(
            z=z,
            x=labels,
            y=list(segments),
            zmin=1,
            zmax=5,
            colorscale=SCORE_SCALE,
            text=[[("" if value is None else f"{value:.1f}") for value in row] for row in z],
            texttemplate="%{text}",
            colorbar={"title": {"text": _("Score")}},
            hovertemplate="%{y}<br>%{x}: %{z:.2f}/5<extra></extra>",
            hoverongaps=False,
        )
    )
    return _layout(figure, x_title=_("The six Cs"), y_title=_("Segment"), hovermode="closest")


def _not_scored_layer(labels, segments, z, missing) -> go.Heatmap:
    needs = missing or [["" for _value in row] for row in z]
    return go.Heatmap(
        z=[[1 if value is None else None for value in row] for row in z],
        x=labels,
        y=list(segments),
        zmin=0,
        zmax=1,
        colorscale=[[0, NOT_SCORED], [1, NOT_SCORED]],
        showscale=False,
        text=[[_("not scored") if value is None else "" for value in row] for row in z],
        texttemplate="%{text}",
        customdata=[
            [_("To score it: %(needs)s") % {"needs": need} if need else "" for need in row]
            for row in needs
        ],
        hovertemplate="%{y}<br>%{x}: " + _("not scored") + "<br>%{customdata}<extra></extra>",
        hoverongaps=False,
    )


def six_c_radar_figure(
    *, segment: str, scores: Mapping[str, Decimal], previous: Mapping[str, Decimal] | None = None
) -> go.Figure:
    """One segment's six C scores on a radar, with last month's for comparison.

    A C that is not scored has no point on its spoke, and its label says so.
    """
    labels = [
        str(label) if c in scores else f"{label}<br>({_('not scored')})"
        for c, label in SixC.choices
    ]
    figure = go.Figure()
    if previous:
        figure.add_trace(
            go.Scatterpolar(
                r=_closed_ring(previous),
                theta=labels + labels[:1],
                name=_("Last month"),
                line={"dash": "dot", "color": "var(--color-muted)"},
            )
        )
    figure.add_trace(
        go.Scatterpolar(
            r=_closed_ring(scores),
            theta=labels + labels[:1],
            name=segment,
            fill="toself",
            line={"color": "var(--color-primary)"},
        )
    )
    figure.update_layout(
        polar={
            "radialaxis": {
                "range": [0, 5],
                "tickvals": [1, 2, 3, 4, 5],
                "title": {"text": _("Score (1-5)")},
            }
        }
    )
    return figure


def _nice_step(rough: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least `rough`."""
    step = 1
    while step < rough:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if step >= rough:
                break
    return step


def overlap_over_time_figure(
    *,
    months: Sequence[date],
    counts_by_status: Mapping[str, Sequence[int]],
    status_labels: Mapping[str, str],
    transitions: Mapping[str, Sequence[int]] | None = None,
) -> go.Figure:
    """Unified accounts by customer status, month by month: A-only and B-only turning into both.

    With `transitions`, bars on a second axis count the accounts that changed
    status in each month (accounts.overlap_transitions), which the totals hide.
    """
    x = [month.isoformat() for month in months]
    figure = go.Figure(
        [
            go.Scatter(
                x=x,
                y=list(counts),
                name=status_labels.get(status, status),
                mode="lines",
                stackgroup="accounts",
                line={"color": STATUS_COLOURS.get(status)},
            )
            for status, counts in counts_by_status.items()
        ]
    )
    for key, counts in (transitions or {}).items():
        figure.add_trace(
            go.Bar(
                x=x,
                y=list(counts),
                name=str(TRANSITION_LABELS[key]),
                marker=dict(TRANSITION_MARKERS[key]),
                yaxis="y2",
                width=TRANSITION_BAR_WIDTH_MS,
            )
        )
    if transitions:
        # The bars keep to the lower third, under the totals they change, not across them.
        tallest = max(
            (sum(column) for column in zip(*transitions.values(), strict=True)), default=0
        )
        figure.update_layout(
            barmode="stack",
            yaxis2={
                "title": {"text": _("Accounts changing status")},
                "overlaying": "y",
                "side": "right",
                "range": [0, max(tallest, 1) * 3],
                # Whole accounts, ticks only where bars reach, not aligned to the totals' grid.
                "tickmode": "linear",
                "tick0": 0,
                "dtick": _nice_step(max(tallest, 1) / 2),
                "showgrid": False,
            },
            margin={"r": 70},
        )
    return _layout(figure, x_title=_("Month"), y_title=_("Unified accounts"))
