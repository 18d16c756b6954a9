from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from core.charts import axis_label, bar_chart_height
from scorecards import charts, overlap_chart
from scorecards.charts import six_c_heatmap_figure
from scorecards.models import SixC
from scorecards.views.chart_text import c_score_text, chart_extremes, id_paths

MONTHS = [date(2026, 1, 1), date(2026, 2, 1)]


def test_impact_chart_draws_realized_against_target_with_a_forecast_band():
    figure = charts.impact_figure(
        months=MONTHS,
        realized=[Decimal("100"), Decimal("250")],
        target=[Decimal("120"), Decimal("240")],
        forecast_low=[None, Decimal("260")],
        forecast_high=[None, Decimal("400")],
        currency="EUR",
    )
    traces = figure["data"]
    assert [trace["name"] for trace in traces][-2:] == ["Target", "Realized synergy"]
    realized = traces[-1]
    assert realized["y"] == [100.0, 250.0]
    assert realized["x"] == ["2026-01-01", "2026-02-01"]
    assert traces[1]["fill"] == "tonexty"
    assert "EUR" in figure["layout"]["yaxis"]["title"]["text"]


def test_impact_chart_without_a_target_leaves_out_its_line():
    figure = charts.impact_figure(
        months=MONTHS,
        realized=[Decimal("100"), Decimal("250")],
        target=[None, None],
        forecast_low=[None, Decimal("260")],
        forecast_high=[None, Decimal("400")],
        currency="EUR",
        with_target=False,
    )
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Forecast, high", "Forecast band", "Realized synergy"]


def test_funnel_lists_stages_in_order_with_amounts():
    figure = charts.funnel_figure(
        stages=["Identified", "Qualified"],
        counts=[10, 4],
        amounts=[Decimal("5000"), Decimal("3000")],
        currency="USD",
    )
    [trace] = figure["data"]
    assert trace["y"] == ["Identified", "Qualified"]
    assert trace["x"] == [5000.0, 3000.0]


def test_segment_direction_chart_stacks_directions_in_company_colours():
    figure = charts.segment_direction_figure(
        segments=["Food", "Mining"],
        amounts_by_direction={"a_to_b": [Decimal("1"), Decimal("2")], "b_to_a": [Decimal("3"), 0]},
        direction_labels={"a_to_b": "A to B", "b_to_a": "B to A"},
        currency="USD",
    )
    assert figure["layout"]["barmode"] == "stack"
    assert [trace["marker"]["color"] for trace in figure["data"]] == [
        "var(--color-acquirer)",
        "var(--color-acquired)",
    ]
    assert figure["data"][1]["y"] == [3.0, 0.0]


def test_attainment_chart_marks_the_target_line_and_colours_met_quotas():
    figure = charts.attainment_figure(
        names=["Central", "East"],
        attainment_pct=[Decimal("120"), Decimal("40")],
        title_axis="Team",
    )
    [bar] = figure["data"]
    assert bar["marker"]["color"] == ["var(--color-won)", "var(--color-open)"]
    assert figure["layout"]["shapes"][0]["x0"] == figure["layout"]["shapes"][0]["x1"] == 100


def test_attainment_bars_keep_long_names_short_on_the_axis_and_whole_on_hover():
    """Long rep names along a vertical bar chart's axis left a plot too low to read."""
    long_name = "Konstantin Konstantinopolsky-Shchedrin"
    figure = charts.attainment_figure(
        names=[long_name, "Ann Lee", long_name],
        attainment_pct=[Decimal("120"), Decimal("40"), Decimal("10")],
        title_axis="Rep",
    )
    [bar] = figure["data"]
    assert bar["orientation"] == "h" and bar["x"] == [120.0, 40.0, 10.0]
    assert bar["customdata"][0] == long_name and "%{customdata}" in bar["hovertemplate"]
    axis = figure["layout"]["yaxis"]
    # One position per bar: two names shortened alike stay two bars.
    assert bar["y"] == axis["tickvals"] == [0, 1, 2]
    assert axis["ticktext"][1] == "Ann Lee"
    lines = axis["ticktext"][0].split("<br>")
    assert len(lines) <= 2 and all(len(line) <= 22 for line in lines)
    assert lines[0] == "Konstantin" and lines[1].endswith("…")


def test_axis_labels_break_at_spaces_into_two_lines_at_most():
    assert axis_label("Julia Novak") == "Julia Novak"
    assert axis_label("Predictive-maintenance specialists") == (
        "Predictive-maintenance<br>specialists"
    )
    assert axis_label("Discrete manufacturing, mid-market, North America", 30) == (
        "Discrete manufacturing,<br>mid-market, North America"
    )
    assert axis_label("Averyveryveryverylongsinglewordname") == "Averyveryveryverylong…"


def test_a_bar_chart_grows_with_its_bars():
    assert bar_chart_height(3) == 300
    assert bar_chart_height(40) >= 40 * 24


def test_six_c_heatmap_has_a_row_per_segment_and_a_column_per_c():
    figure = charts.six_c_heatmap_figure(
        segments=["Food"], scores=[[Decimal("1"), Decimal("2"), 3, 4, 5, Decimal("3.5")]]
    )
    [heatmap] = figure["data"]
    assert heatmap["x"] == [str(label) for label in SixC.labels]
    assert heatmap["z"][0][2] == 3
    assert heatmap["zmin"] == 1 and heatmap["zmax"] == 5


def test_a_c_without_data_is_a_grey_not_scored_cell_never_a_red_one():
    figure = charts.six_c_heatmap_figure(
        segments=["Food"],
        scores=[[Decimal("1"), Decimal("2"), None, 4, 5, Decimal("3.5")]],
        missing=[["", "", "log opportunities", "", "", ""]],
    )
    not_scored, heatmap = figure["data"]
    assert heatmap["z"][0][2] is None  # off the red-to-green scale
    assert not_scored["z"][0] == [None, None, 1, None, None, None]
    scale = not_scored["colorscale"]
    assert scale[0][1] == scale[-1][1] == charts.NOT_SCORED
    assert not_scored["text"][0][2] == "not scored"
    assert not_scored["customdata"][0][2] == "To score it: log opportunities"
    assert not not_scored["showscale"]


def test_radar_closes_the_shape_and_compares_with_last_month():
    scores = {c: Decimal("3") for c in SixC.values}
    figure = charts.six_c_radar_figure(segment="Food", scores=scores, previous=scores)
    assert len(figure["data"]) == 2
    assert len(figure["data"][1]["r"]) == 7
    assert figure["data"][1]["name"] == "Food"


def test_overlap_over_time_stacks_statuses():
    figure = overlap_chart.overlap_over_time_figure(
        months=MONTHS,
        counts_by_status={"both": [5, 8], "acquirer_only": [10, 7]},
        status_labels={"both": "Both"},
    )
    assert [trace["name"] for trace in figure["data"]] == ["Both", "acquirer_only"]
    assert figure["data"][0]["stackgroup"] == "accounts"


def test_overlap_over_time_adds_the_months_transitions_as_bars_on_a_second_axis():
    figure = overlap_chart.overlap_over_time_figure(
        months=MONTHS,
        counts_by_status={"both": [5, 8]},
        status_labels={"both": "Both"},
        transitions={"acquirer_only_to_both": [0, 2], "new_both": [1, 1]},
    )
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert [bar["name"] for bar in bars] == [
        "Acquirer's customer → customer of both",
        "Prospect or greenfield → customer of both",
    ]
    assert bars[0]["y"] == [0, 2]
    assert {bar["yaxis"] for bar in bars} == {"y2"}
    assert figure["layout"]["yaxis2"]["overlaying"] == "y"


def test_segment_direction_chart_can_lay_long_segment_names_along_the_vertical_axis():
    figure = charts.segment_direction_figure(
        segments=["Discrete manufacturing, mid-market, EMEA"],
        amounts_by_direction={"a_to_b": [Decimal("5")]},
        direction_labels={"a_to_b": "A to B"},
        currency="USD",
        horizontal=True,
    )
    [trace] = figure["data"]
    layout = figure["layout"]
    assert trace["orientation"] == "h"
    assert trace["y"] == ["Discrete manufacturing, mid-market, EMEA"]
    assert trace["x"] == [5.0]
    assert layout["xaxis"]["title"]["text"] == "Open pipeline (USD)"
    assert layout["yaxis"]["title"]["text"] == "Segment"


def _ranked(values):
    return [(f"/reps/{n}/", f"Rep {n}", value) for n, value in enumerate(values)]


def test_a_short_list_of_reps_is_charted_whole_but_for_those_without_a_quota():
    # An empty bar reads as 0%: those without a quota are listed under View data only.
    rows = _ranked([Decimal("120"), Decimal("80"), None])

    assert chart_extremes(rows=rows, count=40) == (rows[:2], False)
    assert chart_extremes(rows=rows) == (rows[:2], False)


def test_a_long_list_of_reps_keeps_its_highest_and_lowest():
    rows = _ranked([Decimal(value) for value in range(100, 0, -1)] + [None] * 5)

    charted, cut = chart_extremes(rows=rows, count=10)

    assert cut
    assert [value for _url, _name, value in charted] == [
        Decimal(v) for v in (100, 99, 98, 97, 96, 5, 4, 3, 2, 1)
    ]


def test_reps_without_a_quota_are_left_out_first():
    rows = _ranked([Decimal("90"), Decimal("50")] + [None] * 10)

    charted, cut = chart_extremes(rows=rows, count=4)

    assert [name for _url, name, _value in charted] == ["Rep 0", "Rep 1"]
    assert not cut


def test_id_paths_are_the_reversed_urls():
    rep_path = id_paths("scorecards:rep_dashboard")
    for rep_id in (1, 7, 98, 987_654_321_987, 10**15):
        assert rep_path(rep_id) == reverse("scorecards:rep_dashboard", args=[rep_id])


def test_a_score_reads_the_same_in_the_heatmap_its_table_and_the_scorecard():
    """4.67 was 4.7 in the heatmap (rounded) and 4.6 in its table (cut); the scorecard,
    the API and the exports say 4.67."""
    scores = [[Decimal("4.67"), Decimal("4.75"), None, Decimal("1"), Decimal("2.5"), None]]
    with translation.override("ru"):
        figure = six_c_heatmap_figure(segments=["Chemicals"], scores=scores)
        texts = figure["data"][-1]["text"][0]
        assert texts[:2] == ["4,67", "4,75"]
        assert texts == [("" if s is None else c_score_text(s)) for s in scores[0]]
