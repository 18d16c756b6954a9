"""The overlap page: how the two customer bases intersect, overall and per segment."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.charts import overlap_transitions_chart
from accounts.models import Merger, UnifiedAccount
from accounts.overlap_transitions import TRANSITION_LABELS
from accounts.selectors.overlap import overlap_by_segment, overlap_counts_of_segments
from accounts.selectors.overlap_history import (
    first_purchase_groups,
    history_of_groups,
    transitions_of_groups,
)
from accounts.views.home import STATUS_COLORS
from core.charts import LEGEND_TOP, Chart, bar_chart_height
from core.web import ProgramAccessMixin


def overlap_chart(by_segment: list[dict[str, Any]]) -> Chart:
    """Stacked bars: accounts per segment, split by customer status."""
    segments = [row["segment_name"] for row in by_segment]
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": str(status.label),
            "y": segments,
            "x": [row["counts"][status] for row in by_segment],
            "marker": {"color": STATUS_COLORS[status]},
            "hovertemplate": "%{y}: %{x}<extra>" + str(status.label) + "</extra>",
        }
        for status in UnifiedAccount.Status
    ]
    return Chart(
        id="overlap-by-segment",
        title=_("Unified accounts per segment by customer status"),
        figure={
            "data": traces,
            "layout": {
                "barmode": "stack",
                "yaxis": {"autorange": "reversed", "title": {"text": _("Segment")}},
                "xaxis": {"title": {"text": _("Accounts")}, "rangemode": "tozero"},
                # Above the plot: below it, the legend ran over the axis title.
                "legend": LEGEND_TOP,
                "margin": {"t": 90},
                "height": bar_chart_height(len(segments)) + 60,
            },
        },
        columns=[_("Segment"), *(str(label) for label in UnifiedAccount.Status.labels)],
        rows=[
            [row["segment_name"], *(row["counts"][s] for s in UnifiedAccount.Status.values)]
            for row in by_segment
        ],
    )


# The months the overlap page charts: Day 1's to this one, the latest three years at most.
MONTHS_SHOWN = 36


def program_months(merger: Merger, today: date) -> list[date]:
    """First days of the months from Day 1's month to today's (just today's before Day 1)."""
    last = today.replace(day=1)
    first = merger.day_one.replace(day=1)
    months: list[date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-MONTHS_SHOWN:] or [last]


def overlap_over_time(merger: Merger, today: date) -> dict[str, Any]:
    """Transitions per month, their totals, and customers of both at the first and last month."""
    months = program_months(merger, today)
    groups = first_purchase_groups(merger=merger)
    transitions = transitions_of_groups(groups=groups, months=months)
    both = history_of_groups(groups=groups, months=months)["both"]
    return {
        "first_month": months[0],
        "both_first": both[0],
        "both_last": both[-1],
        "totals": [
            {"key": key, "label": label, "count": sum(transitions[key])}
            for key, label in TRANSITION_LABELS.items()
        ],
        "chart": overlap_transitions_chart(
            chart_id="overlap-transitions", months=months, transitions=transitions
        )
        if any(any(counts) for counts in transitions.values())
        else None,
    }


class OverlapView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/overlap.html"
    resource = "account"
    section = "whitespace"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        by_segment = overlap_by_segment(merger=self.merger)
        counts = overlap_counts_of_segments(by_segment)
        total = sum(counts.values())
        rows = [
            {
                "status": status,
                "label": status.label,
                "count": counts[status],
                "share": round(100 * counts[status] / total) if total else 0,
            }
            for status in UnifiedAccount.Status
        ]
        return super().get_context_data(
            rows=rows,
            total=total,
            segment_rows=[
                {
                    **row,
                    "cells": [
                        {"status": status, "count": row["counts"][status]}
                        for status in UnifiedAccount.Status
                    ],
                }
                for row in by_segment
            ],
            statuses=list(UnifiedAccount.Status),
            chart=overlap_chart(by_segment) if total else None,
            over_time=overlap_over_time(self.merger, timezone.localdate()) if total else None,
            **kwargs,
        )
