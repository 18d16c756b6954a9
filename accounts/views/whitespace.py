"""The whitespace page of one segment: totals, heatmap and the account x product matrix."""

import textwrap
from typing import Any

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.charts import plotly_template, whitespace_heatmap_figure
from accounts.models import ZERO, Direction
from accounts.money import whole
from accounts.pipeline import deals_loggable_by
from accounts.selectors.my_accounts import my_accounts_condition
from accounts.selectors.whitespace import (
    AccountFilter,
    HeatmapData,
    MatrixSort,
    whitespace_heatmap,
    whitespace_matrix,
    whitespace_totals,
    whitespace_totals_by_direction,
)
from accounts.views.analysis_forms import WhitespaceFilterForm
from core.charts import Chart, update
from core.numbers import number_writer
from core.web import ProgramAccessMixin

PAGE_SIZE = 50
HEATMAP_BASE_HEIGHT = 140
HEATMAP_ROW_HEIGHT = 22
# Beyond any real program (a page past the end shows the last one); a larger number
# would overflow the database's integers in the offset.
LAST_PAGE = 100_000


def _lines(label: str, width: int) -> str:
    """A label broken into lines between words, never inside one."""
    return "<br>".join(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False))


def heatmap_chart(data: HeatmapData) -> Chart:
    figure = whitespace_heatmap_figure(data)
    # Few columns (directions, a handful of segments): labels broken into lines under the
    # cells. Many: a column is narrower than a long word ("manufacturing,") and broken
    # labels ran into each other, so they are slanted instead.
    columns = len(data.x_labels)
    wrap = 22 if columns <= 4 else 12 if columns <= 6 else 28
    tick_angle = 0 if columns <= 6 else -40
    title = figure["layout"]["title"]["text"]
    write = number_writer()
    # The card's caption names the chart, so the figure's own title would repeat it; one
    # row per product keeps every product's label readable, and column labels (directions,
    # segments) read best under the cells, broken into lines while they fit.
    update(
        figure,
        title={"text": ""},
        height=HEATMAP_BASE_HEIGHT + HEATMAP_ROW_HEIGHT * len(data.y_labels),
        margin={"t": 30},
        xaxis={
            "side": "bottom",
            "automargin": True,
            "tickangle": tick_angle,
            "tickvals": list(data.x_labels),
            "ticktext": [_lines(label, wrap) for label in data.x_labels],
        },
        template=plotly_template(),
    )
    return Chart(
        id="whitespace-heatmap",
        title=title,
        figure=figure,
        columns=[data.y_title, *data.x_labels, _("Total")],
        # Whole amounts, grouped in the reader's locale, as the matrix below shows them.
        # A product's total is its exact amounts summed, then rounded once: within a
        # segment, the product's cell for that segment on the heat map by segment. Its
        # parts, each rounded, may add up to a unit more or less.
        rows=[
            [
                label,
                *(
                    write(whole(value), force_grouping=True)
                    for value in (*values, sum(values, ZERO))
                ),
            ]
            for label, values in zip(data.y_labels, data.values, strict=True)
        ],
    )


def totals_table(totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows per segment with one (count, value) per direction, in Direction order.

    Each row keeps its segment's id (None for "No segment"): its link opens that segment.
    """
    by_segment: dict[Any, dict[str, Any]] = {}
    for row in totals:
        entry = by_segment.setdefault(
            row["segment_id"], {"segment_name": row["segment_name"], "cells": {}}
        )
        entry["cells"][row["direction"]] = row
    return [
        {
            "segment_id": segment_id,
            "segment_name": entry["segment_name"],
            "cells": [entry["cells"].get(d) for d in Direction.values],
        }
        for segment_id, entry in by_segment.items()
    ]


class WhitespaceView(ProgramAccessMixin, TemplateView):
    template_name = "accounts/whitespace.html"
    resource = "whitespace"
    section = "whitespace"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = WhitespaceFilterForm(self.request.GET or None, merger=self.merger)
        filters = form.filters()
        segment, unsegmented = filters["segment"], filters["unsegmented"]
        context: dict[str, Any] = {
            "filter": {"form": form},
            "segment": segment,
            "unsegmented": unsegmented,
        }
        totals = whitespace_totals(merger=self.merger)
        context["totals_rows"] = totals_table(totals)
        # Each total opens the direction's candidates of every segment.
        context["direction_totals"] = [
            {"label": label, "direction": direction, **total}
            for label, (direction, total) in zip(
                Direction.labels, whitespace_totals_by_direction(totals).items(), strict=True
            )
        ]
        context["directions"] = Direction.labels
        mine = (
            my_accounts_condition(merger_id=self.merger.pk, user=self.request.user)
            if filters["mine"]
            else None
        )
        accounts = AccountFilter(
            segment=segment,
            unsegmented=unsegmented,
            search=filters["search"],
            recommendation=filters["recommendation"],
            mine=mine,
        )
        context["matrix"] = whitespace_matrix(
            merger=self.merger,
            accounts=accounts,
            direction=filters["direction"],
            company=filters["company"],
            product_family=filters["product_family"],
            sort=MatrixSort(filters["sort"]),
            page=page_number(self.request.GET.get("page")),
            page_size=PAGE_SIZE,
        )
        heat = whitespace_heatmap(merger=self.merger, segment=segment, unsegmented=unsegmented)
        context["chart"] = heatmap_chart(heat) if heat.y_labels else None
        context["heading"] = _("Whitespace")
        # Executives read the whitespace; a link to a form they may not open would end on
        # "Not allowed".
        context["can_log"] = deals_loggable_by(user=self.request.user)
        return super().get_context_data(**context, **kwargs)


def page_number(raw: str | None) -> int:
    """The page asked for, at most LAST_PAGE; anything but a positive number is the first."""
    try:
        return min(max(1, int(raw or 1)), LAST_PAGE)
    except ValueError:
        return 1
