"""The overlap page: how the two customer bases intersect, overall and per segment."""

from typing import Any

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.charts import Chart
from accounts.models import UnifiedAccount
from accounts.selectors.overlap import overlap_by_segment, overlap_counts
from accounts.views.home import STATUS_COLORS
from accounts.web import ProgramAccessMixin


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
                "legend": {"orientation": "h"},
            },
        },
        columns=[_("Segment"), *(str(label) for label in UnifiedAccount.Status.labels)],
        rows=[
            [row["segment_name"], *(row["counts"][s] for s in UnifiedAccount.Status.values)]
            for row in by_segment
        ],
    )


class OverlapView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/overlap.html"
    resource = "account"
    section = "whitespace"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        counts = overlap_counts(merger=self.merger)
        by_segment = overlap_by_segment(merger=self.merger)
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
            **kwargs,
        )
