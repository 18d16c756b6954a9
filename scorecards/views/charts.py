"""The charts of the scorecard and dashboard pages, each with its "View data" table.

A chart drills down to the list behind it twice over: the "View data" rows are
plain links, and `config.drilldown` (or a trace's `meta.drilldown`) gives
static/js/charts.js the URL of each point to follow on a click. A point
without a URL (a team the user may not open) is None in those lists. The
dashboard's own charts are in scorecards.views.dashboard_charts.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.filter_fields import NO_SEGMENT
from accounts.models import Direction
from accounts.selectors.whitespace import HeatmapData
from core.charts import LEGEND_TOP, Chart, Figure, update
from scorecards import charts
from scorecards.models import SixC
from scorecards.views.chart_text import (
    Url,
    c_score_text,
    id_paths,
    link,
    path_with,
    url_with,
    wrap,
)


def chart_config(*, title: str, month: date, drilldown: Any = None) -> dict[str, Any]:
    """The modebar stays visible, so any chart downloads as a PNG named after it and the month."""
    config: dict[str, Any] = {
        "displayModeBar": True,
        "toImageButtonOptions": {
            "format": "png",
            "filename": f"{slugify(title)}-{month:%Y-%m}",
            "scale": 2,
        },
    }
    if drilldown is not None:
        config["drilldown"] = drilldown
    return config


def chart_of(
    chart_id: str,
    title: str,
    figure: Figure,
    *,
    month: date,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    description: str = "",
    drilldown: Any = None,
    height: int | None = None,
    top_margin: int = 40,
    legend_top: bool = False,
) -> Chart:
    # Room at the top for the modebar, which stays visible for the PNG download; a
    # legend goes above the plot, clear of the axis titles and tick labels below it.
    if legend_top:
        update(figure, legend=LEGEND_TOP)
        top_margin = max(top_margin, 90)
    update(figure, margin={"t": top_margin}, **({"height": height} if height else {}))
    return Chart(
        id=chart_id,
        title=title,
        figure=figure,
        columns=columns,
        rows=rows,
        description=description,
        config=chart_config(title=title, month=month, drilldown=drilldown),
    )


def six_c_heatmap_chart(
    *,
    chart_id: str,
    segments: Sequence[str],
    segment_ids: Sequence[int],
    scores: Sequence[Sequence[Decimal | None]],
    month: date,
    missing: Sequence[Sequence[str]] | None = None,
    computed_at: datetime | None = None,
) -> Chart:
    """Segments x the six Cs; a cell opens that segment's page on that C.

    `missing` gives, per cell, the data that would score a C that is not scored.
    """
    month_param = f"{month:%Y-%m}"
    # Each page's path reversed once, not once per segment and C.
    c_paths = [id_paths("scorecards:segment_c", c) for c in SixC.values]
    segment_path = id_paths("scorecards:segment")
    cell_urls = [
        [path_with(c_path(segment_id), month=month_param) for c_path in c_paths]
        for segment_id in segment_ids
    ]
    rows = [
        [
            link(path_with(segment_path(segment_id), month=month_param), name),
            *(link(url, c_score_text(score)) for url, score in zip(urls, row, strict=True)),
        ]
        for segment_id, name, urls, row in zip(
            segment_ids, segments, cell_urls, scores, strict=True
        )
    ]
    title = _("Six-C scores by segment")
    figure = charts.six_c_heatmap_figure(
        segments=[wrap(name) for name in segments], scores=scores, missing=missing
    )
    return chart_of(
        chart_id,
        title,
        # First segment on top, as in the table.
        update(figure, yaxis={"autorange": "reversed"}),
        month=month,
        columns=[_("Segment"), *(str(label) for label in SixC.labels)],
        rows=rows,
        description=_(
            "1 is weak, 5 is strong; grey is not scored (no data yet). Select a cell to see "
            "the evidence behind it."
        )
        + _scored_when(computed_at),
        drilldown=cell_urls,
        height=160 + 52 * len(segments),
    )


def _scored_when(computed_at: datetime | None) -> str:
    if computed_at is None:
        return ""
    moment = date_format(timezone.localtime(computed_at), "SHORT_DATETIME_FORMAT")
    return " " + _("Scored at %(moment)s.") % {"moment": moment}


def six_c_radar_chart(
    *,
    chart_id: str,
    segment_id: int,
    segment: str,
    scores: Mapping[str, Decimal],
    previous: Mapping[str, Decimal],
    month: date,
) -> Chart:
    month_param = f"{month:%Y-%m}"
    urls = [url_with("scorecards:segment_c", segment_id, c, month=month_param) for c in SixC]
    title = _("Six Cs of %(segment)s against last month") % {"segment": segment}
    figure = charts.six_c_radar_figure(segment=segment, scores=scores, previous=previous or None)
    # The radial axis title would sit across the spokes; the description says the scale.
    update(figure, polar={"radialaxis": {"title": {"text": ""}}}, margin={"l": 90, "r": 90})
    return chart_of(
        chart_id,
        title,
        figure,
        month=month,
        columns=[_("C"), _("This month"), _("Last month")],
        rows=[
            [link(url, label), c_score_text(scores.get(c)), c_score_text(previous.get(c))]
            for url, (c, label) in zip(urls, SixC.choices, strict=True)
        ],
        description=_(
            "Each spoke is one C, scored from 1 at the centre to 5 at the edge; the dotted "
            "line is last month. Select a C to see its evidence."
        ),
        # The ring repeats its first point to close.
        drilldown=[*urls, urls[0]],
        height=440,
        legend_top=True,
    )


def whitespace_column_urls(
    data: HeatmapData, *, segment_ids_by_name: Mapping[str, int], segment_id: int | None
) -> list[Url]:
    """Where each column of the whitespace heat map leads: a segment (or the accounts
    without one, the heat map's "No segment" column), or a direction in one."""
    if segment_id is None:
        choices = {_("No segment"): NO_SEGMENT, **segment_ids_by_name}
        return [
            url_with("accounts:whitespace", segment=choices[label]) if label in choices else None
            for label in data.x_labels
        ]
    directions = {str(label): value for value, label in Direction.choices}
    return [
        url_with("accounts:whitespace", segment=segment_id, direction=directions.get(label))
        for label in data.x_labels
    ]
