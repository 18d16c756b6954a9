"""The dashboard's customer overlap over time: plain data in, a Plotly figure out."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from accounts.charts import TRANSITION_MARKERS
from accounts.overlap_transitions import TRANSITION_LABELS
from core.charts import Figure
from scorecards.charts import figure_of, title

STATUS_COLOURS = {
    "acquirer_only": "var(--color-acquirer)",
    "acquired_only": "var(--color-acquired)",
    "both": "var(--color-both)",
    "prospect": "var(--color-prospect)",
    "neither": "var(--color-greenfield)",
    # Accounts whose status at the month end is not measured (accounts.customer_status).
    "not_measured": "var(--color-muted)",
    # An older freeze's prospects and greenfield together (scorecards.overlap_frozen).
    "prospect_or_neither": "var(--color-greenfield)",
}
# Transition bars over a date axis: about a third of a month wide, in milliseconds.
TRANSITION_BAR_WIDTH_MS = 10 * 24 * 3600 * 1000


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
    counts_by_status: Mapping[str, Sequence[int | None]],
    status_labels: Mapping[str, str],
    transitions: Mapping[str, Sequence[int | None]] | None = None,
    drilldown: Mapping[str, Sequence[str | None]] | None = None,
) -> Figure:
    """Unified accounts by customer status, month by month: A-only and B-only turning into both.

    With `transitions`, bars on a second axis count the accounts that changed
    status in each month (accounts.overlap_transitions), which the totals hide.
    A count not measured (None) is a gap, not 0; `drilldown` gives each status's
    accounts list per month.
    """
    x = [month.isoformat() for month in months]
    traces: list[dict[str, Any]] = []
    for status, counts in counts_by_status.items():
        area = {
            "type": "scatter",
            "x": x,
            "y": list(counts),
            "name": status_labels.get(status, status),
            "mode": "lines",
            "stackgroup": "accounts",
        }
        if status in STATUS_COLOURS:
            area["line"] = {"color": STATUS_COLOURS[status]}
        if drilldown and any(drilldown.get(status, ())):
            area["meta"] = {"drilldown": list(drilldown[status])}
        traces.append(area)
    for key, counts in (transitions or {}).items():
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": list(counts),
                "name": str(TRANSITION_LABELS[key]),
                "marker": dict(TRANSITION_MARKERS[key]),
                "yaxis": "y2",
                "width": TRANSITION_BAR_WIDTH_MS,
            }
        )
    if not transitions:
        return figure_of(traces, x_title=_("Month"), y_title=_("Unified accounts"))
    # The bars keep to the lower third, under the totals they change, not across them.
    tallest = max(
        (sum(n or 0 for n in column) for column in zip(*transitions.values(), strict=True)),
        default=0,
    )
    second_axis = {
        **title(_("Accounts changing status")),
        "overlaying": "y",
        "side": "right",
        "range": [0, max(tallest, 1) * 3],
        # Whole accounts, ticks only where bars reach, not aligned to the totals' grid.
        "tickmode": "linear",
        "tick0": 0,
        "dtick": _nice_step(max(tallest, 1) / 2),
        "showgrid": False,
    }
    return figure_of(
        traces,
        barmode="stack",
        yaxis2=second_axis,
        margin={"r": 70},
        x_title=_("Month"),
        y_title=_("Unified accounts"),
    )
