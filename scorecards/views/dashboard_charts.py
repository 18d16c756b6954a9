"""The charts of the program, team and rep dashboards, each with its "View data" table.

Each chart's table and drill-down lists show what the chart counted: the same
slice of the pipeline, the same months (see scorecards.views.charts).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.charts import whitespace_heatmap_figure
from accounts.selectors.whitespace import HeatmapData
from core.charts import Chart, bar_chart_height, update
from core.numbers import number_text
from scorecards import charts
from scorecards.dashboard_math import Attainment
from scorecards.selectors.dashboard import Dashboard
from scorecards.views import dashboard_overlap
from scorecards.views.chart_text import (
    Url,
    chart_extremes,
    link,
    money,
    moneys,
    percents,
    wrap,
)
from scorecards.views.charts import chart_of, six_c_heatmap_chart
from scorecards.views.pipeline_links import PipelineLinks, realized_month_url

# Whitespace columns (segments) shown level under the cells; more are slanted.
MAX_UPRIGHT_COLUMNS = 6
WHITESPACE_PRODUCTS_SHOWN = 15
# Bars a rep chart can show legibly; a larger sales org shows its two ends.
REPS_CHARTED = 40


class DashboardCharts:
    """Builds every chart of one dashboard; `team_url` and `rep_url` give None where closed."""

    def __init__(
        self,
        dashboard: Dashboard,
        *,
        pipeline_params: Mapping[str, Any],
        open_params: Mapping[str, Any],
        pipeline_path: str | None = None,
        team_url: Callable[[int], Url],
        rep_url: Callable[[int], Url],
        today: date,
    ) -> None:
        self.dashboard = dashboard
        self.month = dashboard.month
        self.currency = dashboard.currency
        self.pipeline = PipelineLinks(pipeline_params, open_params=open_params, path=pipeline_path)
        self.team_url = team_url
        self.rep_url = rep_url
        self.today = today

    def impact(self, *, with_target: bool = True) -> Chart | None:
        """Realized against target; a team, a rep or a direction has no target of its own."""
        impact = self.dashboard.impact
        future = impact.forecast_months[1:]
        months = [*impact.months, *future]
        padding: list[Decimal | None] = [None] * len(future)
        past: list[Decimal | None] = [None] * (len(impact.months) - 1)
        low = [*past, *impact.forecast_low]
        high = [*past, *impact.forecast_high]
        targets = impact.target if with_target else []
        if not any([*impact.realized, *targets, *high]):
            return None
        # Each month opens the slice's realized synergy of that month, which its column
        # shows: the point to date adds it (and a closed month's restatements).
        urls = [
            realized_month_url(self.pipeline.params, month=month, source=source)
            for month, source in zip(impact.months, impact.sources, strict=True)
        ] + [None] * len(future)
        in_month = [*impact.realized_in_month, *padding]
        realized = [*impact.realized, *padding]
        target = [*impact.target, *padding] if with_target else [None] * len(months)
        figure = charts.impact_figure(
            months=months,
            realized=realized,
            target=target,
            forecast_low=low,
            forecast_high=high,
            currency=self.currency,
            with_target=with_target,
        )
        title = (
            _("Realized cross-sell synergy against target")
            if with_target
            else _("Realized cross-sell synergy and forecast")
        )
        target_column = [_("Target (%(currency)s)") % {"currency": self.currency}]
        return chart_of(
            "chart-impact",
            title,
            figure,
            month=self.month,
            columns=[
                _("Month"),
                _("Realized in the month (%(currency)s)") % {"currency": self.currency},
                _("Realized (%(currency)s)") % {"currency": self.currency},
                *(target_column if with_target else []),
                _("Forecast, low"),
                _("Forecast, high"),
            ],
            rows=[
                [
                    link(url, f"{month:%Y-%m}"),
                    link(url, money(own)),
                    money(r),
                    *([money(t)] if with_target else []),
                    money(lo),
                    money(hi),
                ]
                for url, month, own, r, t, lo, hi in zip(
                    urls, months, in_month, realized, target, low, high, strict=True
                )
            ],
            description=_(
                "Cumulative won cross-sell revenue since Day 1; the band is the forecast from "
                "committed deals (low) to commit and best case in full (high). Select a month "
                "to see its wins."
            ),
            drilldown=urls,
            height=460,
            legend_top=True,
        )

    def funnel(self) -> Chart | None:
        funnel = self.dashboard.funnel
        if not any(funnel.counts):
            return None
        urls = [self.pipeline.url(stage=stage_id) for stage_id in funnel.stage_ids]
        title = _("Open pipeline by stage")
        return chart_of(
            "chart-funnel",
            title,
            charts.funnel_figure(
                stages=funnel.stages,
                counts=funnel.counts,
                amounts=funnel.amounts,
                currency=self.currency,
            ),
            month=self.month,
            columns=[
                _("Stage"),
                _("Opportunities"),
                _("Amount (%(currency)s)") % {"currency": self.currency},
            ],
            rows=[
                [link(url, stage), count, money(amount)]
                for url, stage, count, amount in zip(
                    urls, funnel.stages, funnel.counts, funnel.amounts, strict=True
                )
            ],
            description=_("Select a stage to list its opportunities."),
            drilldown=urls,
        )

    def segment_direction(self) -> Chart | None:
        data = self.dashboard.segment_direction
        by_direction = data.amounts_by_direction
        if not any(amount for amounts in by_direction.values() for amount in amounts):
            return None
        figure = charts.segment_direction_figure(
            segments=[wrap(name, 30) for name in data.segments],
            amounts_by_direction=by_direction,
            direction_labels=data.direction_labels,
            currency=self.currency,
            horizontal=True,
        )
        urls = {
            direction: [
                self.pipeline.open_url(segment=segment_id, direction=direction)
                for segment_id in data.segment_choices
            ]
            for direction in by_direction
        }
        for trace, direction in zip(figure["data"], by_direction, strict=True):
            trace["meta"] = {"drilldown": urls[direction]}
        rows = []
        for index, (segment_id, name) in enumerate(
            zip(data.segment_choices, data.segments, strict=True)
        ):
            cells = [
                link(urls[direction][index], money(amounts[index]))
                for direction, amounts in by_direction.items()
            ]
            rows.append([link(self.pipeline.open_url(segment=segment_id), name), *cells])
        title = _("Open pipeline by segment and direction")
        return chart_of(
            "chart-segment-direction",
            title,
            figure,
            month=self.month,
            columns=[
                _("Segment"),
                *(data.direction_labels[direction] for direction in by_direction),
            ],
            rows=rows,
            description=_(
                "Select a bar to list the open opportunities of that segment and direction."
            ),
            height=160 + 52 * len(data.segments),
            legend_top=True,
        )

    def _attainment(
        self,
        chart_id: str,
        title: str,
        axis: str,
        data: Attainment,
        url_of: Callable[[int], Url],
        *,
        shown: int | None = None,
    ) -> Chart | None:
        """Attainment bars; with `shown`, a long list keeps its highest and lowest bars."""
        if not any(value is not None for value in data.attainment):
            return None
        urls = [url_of(item_id) for item_id in data.ids]
        rows = list(zip(urls, data.names, data.attainment, strict=True))
        charted, cut = chart_extremes(rows=rows, count=shown)
        # xgettext:no-python-format
        description = _("The dashed line is 100% of the cross-sell quota.")
        if cut:
            description += " " + _(
                "The chart shows the %(half)d highest and %(half)d lowest of %(count)s; "
                "View data lists every one."
            ) % {"half": shown // 2, "count": number_text(len(rows), force_grouping=True)}
        elif len(charted) < len(rows):
            description += " " + _(
                "Those without a cross-sell quota this month are left out of the chart; "
                "View data lists every one."
            )
        return chart_of(
            chart_id,
            title,
            charts.attainment_figure(
                names=[name for _url, name, _value in charted],
                attainment_pct=[value for _url, _name, value in charted],
                title_axis=axis,
            ),
            month=self.month,
            columns=[axis, _("Cross-sell quota attainment")],
            rows=[
                [link(url, name), text]
                for (url, name, _value), text in zip(
                    rows, percents(value for _url, _name, value in rows), strict=True
                )
            ],
            description=description,
            drilldown=[url for url, _name, _value in charted],
            height=bar_chart_height(len(charted)),
            # Room above the plot for the target line's label, clear of the modebar.
            top_margin=60,
        )

    def attainment_teams(self) -> Chart | None:
        return self._attainment(
            "chart-attainment-teams",
            _("Cross-sell quota attainment by team"),
            _("Team"),
            self.dashboard.attainment_teams,
            self.team_url,
        )

    def attainment_reps(self) -> Chart | None:
        return self._attainment(
            "chart-attainment-reps",
            _("Cross-sell quota attainment by rep"),
            _("Rep"),
            self.dashboard.attainment_reps,
            self.rep_url,
            shown=REPS_CHARTED,
        )

    def six_c_heatmap(self) -> Chart | None:
        six_c = self.dashboard.six_c
        # Segments without data show grey "not scored" cells rather than no chart.
        if not six_c["segments"]:
            return None
        return six_c_heatmap_chart(
            chart_id="chart-six-c",
            segments=six_c["segments"],
            segment_ids=six_c["segment_ids"],
            scores=six_c["scores"],
            missing=six_c.get("missing"),
            month=self.month,
            computed_at=six_c.get("computed_at"),
        )

    def overlap(self) -> Chart | None:
        return dashboard_overlap.overlap_chart(self.dashboard.overlap, month=self.month)

    def whitespace(
        self, data: HeatmapData, column_urls: Sequence[Url], segment_name: str | None
    ) -> Chart | None:
        if not data.y_labels:
            return None
        shown = replace(
            data,
            y_labels=data.y_labels[:WHITESPACE_PRODUCTS_SHOWN],
            values=data.values[:WHITESPACE_PRODUCTS_SHOWN],
            counts=data.counts[:WHITESPACE_PRODUCTS_SHOWN],
        )
        # Many columns (segments) are slanted, in longer lines: broken short, Plotly turned
        # them upright, into the axis title.
        many = len(shown.x_labels) > MAX_UPRIGHT_COLUMNS
        width = 30 if many else 16
        figure = whitespace_heatmap_figure(
            replace(shown, x_labels=tuple(wrap(label, width) for label in shown.x_labels))
        )
        # The page's caption names the chart; the figure's own title would repeat it, and
        # column labels read better under the cells, clear of the modebar.
        slanted = {"tickangle": -40, "automargin": True} if many else {}
        update(figure, title={"text": ""}, xaxis={"side": "bottom", **slanted})
        title = (
            _("Whitespace of %(segment)s by product and direction (%(currency)s)")
            % {"segment": segment_name, "currency": self.currency}
            if segment_name
            else _("Whitespace by product and segment (%(currency)s)")
            % {"currency": self.currency}
        )
        return chart_of(
            "chart-whitespace",
            title,
            figure,
            month=self.month,
            columns=[
                shown.y_title,
                *(
                    link(url, label)
                    for url, label in zip(column_urls, shown.x_labels, strict=True)
                ),
            ],
            rows=[
                [label, *moneys(values)]
                for label, values in zip(shown.y_labels, shown.values, strict=True)
            ],
            description=_(
                "Potential value of the cross-sell candidates, the %(count)s products with the "
                "most first. Select a cell to open that segment's whitespace."
            )
            % {"count": WHITESPACE_PRODUCTS_SHOWN},
            drilldown=[list(column_urls) for _row in shown.y_labels],
            height=260 + 30 * len(shown.y_labels),
        )
