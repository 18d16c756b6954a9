"""The charts' JSON is the one Plotly's graph objects built before the figures became dicts.

chart_figures.json holds, for each case below, the parsed JSON that
`go.Figure.to_plotly_json()` (without the default template, as the pages sent
it) or the page's Chart gave on the same inputs before the change: plotly.js
draws what it reads, so equal JSON is an equal chart. A deliberate change to a
chart changes its entry here too.
"""

import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from plotly.io.json import to_json_plotly

from accounts.charts import whitespace_heatmap_figure
from accounts.selectors.whitespace import HeatmapData
from accounts.views.whitespace import heatmap_chart
from core.charts import Chart
from scorecards import charts, overlap_chart
from scorecards.dashboard_math import SegmentDirection
from scorecards.models import SixC
from scorecards.views.charts import (
    six_c_heatmap_chart,
    six_c_radar_chart,
    whitespace_column_urls,
)
from scorecards.views.dashboard_charts import DashboardCharts

RECORDED = json.loads((Path(__file__).parent / "chart_figures.json").read_text(encoding="utf-8"))
MONTHS = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
D = Decimal
SCORES = [[D("1.2"), D("2"), None, 4, D("5"), D("3.5")], [None] * 6, [D("3")] * 6]
SEGMENTS = ["Food, beverage, tobacco", "Mining", "Discrete manufacturing, mid-market, EMEA"]
HEAT = HeatmapData(
    x_labels=("Utilities, energy and water", "Automotive"),
    y_labels=("Analytics (B)", "Sensors <A&B>"),
    values=((D("100000.00"), D("0")), (D("2.5"), D("12345.67"))),
    counts=((2, 0), (1, 7)),
    x_title="Segment",
    y_title="Product",
    currency="EUR",
)


def _dashboard() -> SimpleNamespace:
    return SimpleNamespace(
        month=date(2026, 2, 1),
        currency="EUR",
        impact=SimpleNamespace(
            months=MONTHS[:2],
            forecast_months=[date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)],
            realized=[D("100"), D("250.5")],
            target=[D("120"), D("240")],
            forecast_low=[D("250.5"), D("300"), D("320")],
            forecast_high=[D("250.5"), D("400"), D("480")],
            realized_in_month=[D("100"), D("150.5")],
            sources=["snapshot", "live"],
        ),
        funnel=SimpleNamespace(
            stages=["Identified", "Qualified", "Won <soon>"],
            stage_ids=[1, 2, 3],
            counts=[10, 4, 0],
            amounts=[D("5000"), D("3000.50"), D("0")],
        ),
        segment_direction=SegmentDirection(
            segments=SEGMENTS,
            segment_ids=(11, 12, 13),
            amounts_by_direction={
                "a_to_b": [D("1"), D("2"), D("0")],
                "b_to_a": [D("3"), 0, D("7.5")],
                "within": [0, 0, D("1")],
            },
            direction_labels={"a_to_b": "A to B", "b_to_a": "B to A", "within": "Within"},
        ),
        attainment_teams=SimpleNamespace(
            ids=[1, 2, 3], names=["Central", "East", "West"], attainment=[D("120"), D("40"), None]
        ),
        attainment_reps=SimpleNamespace(
            ids=list(range(50)),
            names=[f"Rep {n}" for n in range(50)],
            attainment=[D(150 - 3 * n) for n in range(45)] + [None] * 5,
        ),
        six_c={
            "segments": SEGMENTS,
            "segment_ids": [11, 12, 13],
            "scores": SCORES,
            "missing": [["", "", "log deals", "", "", ""], ["data"] * 6, [""] * 6],
            "computed_at": None,
        },
        overlap={
            "months": MONTHS,
            "counts": {"acquirer_only": [10, 9, 7], "both": [5, 8, 11], "prospect": [3, 3, 2]},
            "transitions": {
                "acquirer_only_to_both": [0, 2, 3],
                "new_both": [1, 1, 0],
                "new_acquired_only": [0, 0, 4],
            },
        },
    )


UNFILTERED = {"segment": None, "direction": None}


def _builder(pipeline_params=None, **changes) -> DashboardCharts:
    dashboard = _dashboard()
    for name, value in changes.items():
        setattr(dashboard, name, value)
    return DashboardCharts(
        dashboard,
        pipeline_params=pipeline_params or {"segment": 11, "direction": None},
        open_params={"outcome": "open"},
        team_url=lambda team_id: f"/dashboards/teams/{team_id}/" if team_id != 2 else None,
        rep_url=lambda rep_id: f"/dashboards/reps/{rep_id}/",
        today=date(2026, 2, 14),
    )


CASES = {
    "impact": lambda: charts.impact_figure(
        months=MONTHS,
        realized=[D("100"), D("250"), None],
        target=[D("120"), None, D("400")],
        forecast_low=[None, D("250"), D("260")],
        forecast_high=[None, D("250"), D("400")],
        currency="EUR",
    ),
    "funnel": lambda: charts.funnel_figure(
        stages=["a", "b"], counts=[1, 2], amounts=[D("5"), D("6.25")], currency="USD"
    ),
    "segment_direction": lambda: charts.segment_direction_figure(
        segments=["s1", "s2"],
        amounts_by_direction={"a_to_b": [D(1), D(2)], "other": [D(3), 0]},
        direction_labels={"a_to_b": "A to B"},
        currency="EUR",
    ),
    "segment_direction_horizontal": lambda: charts.segment_direction_figure(
        segments=["s1", "s2"],
        amounts_by_direction={"a_to_b": [D(1), D(2)], "b_to_a": [D(3), 0]},
        direction_labels={"a_to_b": "A to B", "b_to_a": "B to A"},
        currency="EUR",
        horizontal=True,
    ),
    "attainment": lambda: charts.attainment_figure(
        names=["a", "b", "c"], attainment_pct=[D(120), D("99.9"), None], title_axis="Team"
    ),
    "six_c_heatmap": lambda: charts.six_c_heatmap_figure(segments=SEGMENTS, scores=SCORES),
    "six_c_heatmap_missing": lambda: charts.six_c_heatmap_figure(
        segments=SEGMENTS[:1], scores=SCORES[:1], missing=[["", "", "log deals", "", "", ""]]
    ),
    "six_c_heatmap_all_scored": lambda: charts.six_c_heatmap_figure(
        segments=["s"], scores=[[D(1), D(2), 3, 4, 5, D("3.5")]]
    ),
    "radar": lambda: charts.six_c_radar_figure(
        segment="Food",
        scores={c: D("3.2") for c in SixC.values[:5]},
        previous={c: D(2) for c in SixC.values},
    ),
    "radar_alone": lambda: charts.six_c_radar_figure(
        segment="Food", scores={c: D(4) for c in SixC.values}
    ),
    "overlap": lambda: overlap_chart.overlap_over_time_figure(
        months=MONTHS[:2],
        counts_by_status={"both": [5, 8], "unknown": [1, 2]},
        status_labels={"both": "Both"},
    ),
    "overlap_transitions": lambda: overlap_chart.overlap_over_time_figure(
        months=MONTHS[:2],
        counts_by_status={"both": [5, 8]},
        status_labels={"both": "Both"},
        transitions={"acquirer_only_to_both": [0, 2], "new_both": [1, 40]},
    ),
    "whitespace": lambda: whitespace_heatmap_figure(HEAT),
    "chart_impact": lambda: _builder().impact(),
    "chart_impact_without_target": lambda: _builder().impact(with_target=False),
    "chart_funnel": lambda: _builder().funnel(),
    # Every segment's bars: the dashboard is not filtered to one of them.
    "chart_segment_direction": lambda: _builder(UNFILTERED).segment_direction(),
    "chart_attainment_teams": lambda: _builder().attainment_teams(),
    "chart_attainment_reps": lambda: _builder().attainment_reps(),
    "chart_six_c": lambda: _builder().six_c_heatmap(),
    "chart_overlap": lambda: _builder().overlap(),
    "chart_overlap_without_transitions": lambda: _builder(
        overlap={"months": MONTHS[:2], "counts": {"both": [1, 2]}}
    ).overlap(),
    "chart_whitespace": lambda: _builder().whitespace(HEAT, ["/w/1/", None], None),
    "chart_whitespace_of_a_segment": lambda: _builder().whitespace(
        HEAT, ["/w/2/", "/w/3/"], "Mining"
    ),
    "whitespace_page": lambda: heatmap_chart(HEAT),
    "chart_scorecard_heatmap": lambda: six_c_heatmap_chart(
        chart_id="scorecard-heatmap",
        segments=SEGMENTS,
        segment_ids=[11, 12, 13],
        scores=SCORES,
        month=date(2026, 2, 1),
    ),
    "chart_radar": lambda: six_c_radar_chart(
        chart_id="segment-radar",
        segment_id=12,
        segment="Mining",
        scores={c: D("3.2") for c in SixC.values[1:]},
        previous={c: D(2) for c in SixC.values},
        month=date(2026, 2, 1),
    ),
    "chart_radar_without_last_month": lambda: six_c_radar_chart(
        chart_id="segment-radar",
        segment_id=12,
        segment="Mining",
        scores={c: D("3.2") for c in SixC.values},
        previous={},
        month=date(2026, 2, 1),
    ),
}


def as_json(built) -> dict:
    """What the page sends: a Chart's figure with its config, or a bare figure's JSON.

    Plotly's default template, which the whitespace page carries, is Plotly's to
    change from one version to the next: it is left out of the comparison.
    """
    if isinstance(built, Chart):
        sent = json.loads(built.figure_json)
    else:
        sent = json.loads(to_json_plotly(built))
    sent["layout"].pop("template", None)
    return sent


def test_every_case_was_recorded():
    assert set(CASES) == set(RECORDED)


def test_the_whitespace_page_keeps_plotlys_default_template():
    assert "template" in json.loads(heatmap_chart(HEAT).figure_json)["layout"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_figure_is_the_json_plotly_graph_objects_gave(case):
    assert as_json(CASES[case]()) == RECORDED[case]


def test_many_segment_columns_are_slanted_on_both_whitespace_heatmaps():
    """Nine segments: columns narrower than a long word; broken labels ran into each other
    (the page) or were turned upright into the axis title (the dashboard)."""
    segments = tuple(f"Discrete manufacturing, mid-market, region {n}" for n in range(9))
    rows = len(HEAT.y_labels)
    many = dataclasses.replace(
        HEAT,
        x_labels=segments,
        values=tuple((D("1"),) * len(segments) for _ in range(rows)),
        counts=tuple((1,) * len(segments) for _ in range(rows)),
    )
    page = heatmap_chart(many).figure["layout"]["xaxis"]
    dashboard = _builder().whitespace(many, [None] * 9, None).figure["layout"]["xaxis"]
    assert page["tickangle"] == dashboard["tickangle"] == -40
    assert "mid-market" in page["ticktext"][0]  # whole, not broken at its hyphen
    assert heatmap_chart(HEAT).figure["layout"]["xaxis"]["tickangle"] == 0
    few = _builder().whitespace(HEAT, [None, None], None).figure["layout"]["xaxis"]
    assert "tickangle" not in few


def test_a_team_without_a_quota_gets_no_bar_but_its_row_under_view_data():
    chart = _builder().attainment_teams()
    [bars] = chart.figure["data"]
    assert bars["customdata"] == ["Central", "East"]
    assert None not in bars["x"]
    assert "West" in chart.rows_html
    assert "left out of the chart" in chart.description


def test_the_rep_chart_grows_with_its_reps_so_that_each_bar_stays_legible():
    """Forty reps in a chart of a fixed 440 px left each bar a few pixels."""
    reps = as_json(_builder().attainment_reps())
    teams = as_json(_builder().attainment_teams())
    assert len(reps["data"][0]["x"]) == 40
    assert reps["layout"]["height"] >= 40 * 24 > teams["layout"]["height"]


def test_the_no_segment_bars_and_row_list_the_deals_without_a_segment():
    data = SegmentDirection(
        segments=("Mining", "No segment"),
        segment_ids=(12, None),
        amounts_by_direction={"a_to_b": (D("1"), D("2"))},
        direction_labels={"a_to_b": "A to B"},
    )
    chart = _builder(UNFILTERED, segment_direction=data).segment_direction()
    [bars] = chart.figure["data"]
    assert bars["meta"]["drilldown"] == [
        "/pipeline/?segment=12&direction=a_to_b&outcome=open",
        "/pipeline/?segment=none&direction=a_to_b&outcome=open",
    ]
    assert 'href="/pipeline/?segment=none&amp;outcome=open"' in chart.rows_html


def test_the_whitespace_heatmaps_no_segment_column_opens_the_unsegmented_whitespace():
    heat = dataclasses.replace(HEAT, x_labels=("Mining", "No segment"))
    urls = whitespace_column_urls(heat, segment_ids_by_name={"Mining": 12}, segment_id=None)
    assert urls == ["/whitespace/?segment=12", "/whitespace/?segment=none"]


def test_a_products_whitespace_total_reads_the_same_on_the_dashboard_and_the_page():
    """The total is its exact amounts summed, then rounded once; the parts, each rounded,
    may add up to a unit more (63,320,611 + 8,527,666), which is rounding, not an error."""
    by_segment = dataclasses.replace(
        HEAT,
        x_labels=("Mining",),
        y_labels=("Analytics (B)",),
        values=((D("71848276.70"),),),
        counts=((9,),),
    )
    within = dataclasses.replace(
        HEAT,
        x_labels=("Acquirer to acquired", "Acquired to acquirer"),
        y_labels=("Analytics (B)",),
        values=((D("63320610.60"), D("8527666.10")),),
        counts=((5, 4),),
        x_title="Direction",
    )
    dashboard = _builder().whitespace(by_segment, ["/w/1/"], None)
    page = heatmap_chart(within)
    assert dashboard.rows[0][1:] == ["71,848,277"]
    assert page.columns[-1] == "Total"
    assert page.rows[0][1:] == ["63,320,611", "8,527,666", "71,848,277"]
