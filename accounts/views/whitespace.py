"""The whitespace page of one segment: totals, heatmap and the account x product matrix."""

import textwrap
from typing import Any

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.charts import Chart, whitespace_heatmap_figure
from accounts.models import Direction, Segment
from accounts.selectors.whitespace import (
    HeatmapData,
    whitespace_heatmap,
    whitespace_matrix,
    whitespace_totals,
    whitespace_totals_by_direction,
)
from accounts.views.analysis_forms import WhitespaceFilterForm
from accounts.web import ProgramAccessMixin

PAGE_SIZE = 50
HEATMAP_BASE_HEIGHT = 140
HEATMAP_ROW_HEIGHT = 22
# Beyond any real segment; a larger number would overflow the database's integers.
LAST_PAGE = 100_000


def heatmap_chart(data: HeatmapData) -> Chart:
    figure = whitespace_heatmap_figure(data)
    title = str(figure.layout.title.text)
    # The card's caption names the chart, so the figure's own title would repeat it; one
    # row per product keeps every product's label readable, and column labels (directions,
    # segments) read better under the cells, broken into lines instead of slanted.
    figure.update_layout(
        title_text="",
        height=HEATMAP_BASE_HEIGHT + HEATMAP_ROW_HEIGHT * len(data.y_labels),
        margin={"t": 30},
        xaxis={
            "side": "bottom",
            "tickangle": 0,
            "tickvals": list(data.x_labels),
            "ticktext": ["<br>".join(textwrap.wrap(label, 22)) for label in data.x_labels],
        },
    )
    return Chart(
        id="whitespace-heatmap",
        title=title,
        figure=figure.to_plotly_json(),
        columns=[data.y_title, *data.x_labels],
        rows=[[label, *values] for label, values in zip(data.y_labels, data.values, strict=True)],
    )


def totals_table(totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows per segment with one (count, value) per direction, in Direction order."""
    by_segment: dict[Any, dict[str, Any]] = {}
    for row in totals:
        entry = by_segment.setdefault(
            row["segment_id"], {"segment_name": row["segment_name"], "cells": {}}
        )
        entry["cells"][row["direction"]] = row
    return [
        {
            "segment_name": entry["segment_name"],
            "cells": [entry["cells"].get(d) for d in Direction.values],
        }
        for entry in by_segment.values()
    ]


class WhitespaceView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/whitespace.html"
    resource = "whitespace"
    section = "whitespace"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = WhitespaceFilterForm(self.request.GET or None, merger=self.merger)
        default_segment = Segment.objects.filter(merger=self.merger).order_by("name").first()
        filters = form.filters(default_segment)
        segment = filters.pop("segment")
        context: dict[str, Any] = {"filter": {"form": form}, "segment": segment}
        totals = whitespace_totals(merger=self.merger)
        context["totals_rows"] = totals_table(totals)
        context["direction_totals"] = [
            {"label": label, **total}
            for label, total in zip(
                Direction.labels, whitespace_totals_by_direction(totals).values(), strict=True
            )
        ]
        context["directions"] = Direction.labels
        if segment is not None:
            try:
                page = min(max(1, int(self.request.GET.get("page", 1))), LAST_PAGE)
            except ValueError:
                page = 1
            context["matrix"] = whitespace_matrix(
                merger=self.merger, segment=segment, page=page, page_size=PAGE_SIZE, **filters
            )
            heat = whitespace_heatmap(merger=self.merger, segment=segment)
            context["chart"] = heatmap_chart(heat) if heat.y_labels else None
        context["heading"] = _("Whitespace")
        return super().get_context_data(**context, **kwargs)
