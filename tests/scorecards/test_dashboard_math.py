"""The dashboard's arithmetic on plain values: no database."""

from datetime import date
from decimal import Decimal

from django.utils import translation

from scorecards import dashboard_math as dm
from scorecards.views.chart_text import money
from tracker.deal_figures import OpenCell
from tracker.pipeline_math import PipelineFigures

JUNE = date(2026, 6, 1)
COMMIT, BEST, PIPE = 1, 2, 3
CATEGORIES = {COMMIT: "commit", BEST: "best_case", PIPE: "pipeline"}


def cell(stage, month, amount, *, weighted=None, direction="a_to_b", segment=None, count=1):
    return OpenCell(
        stage_id=stage,
        segment_id=segment,
        direction=direction,
        kind="cross_sell",
        month=month,
        count=count,
        amount=Decimal(amount),
        weighted=Decimal(weighted if weighted is not None else amount),
        stale=0,
    )


def figures(realized="0", target="0", *, credited="0", quota="0", closing=None, won=0, lost=0):
    return dm.MonthFigures(
        realized_to_date=Decimal(realized),
        target_to_date=Decimal(target),
        figures=PipelineFigures(won_count=won, lost_count=lost),
        cross_quota=Decimal(quota),
        credited=Decimal(credited),
        closing_pipeline=None if closing is None else Decimal(closing),
    )


def test_the_forecast_starts_at_realized_and_adds_deals_in_their_close_month():
    cells = [
        cell(COMMIT, date(2026, 8, 1), "1000", weighted="800"),
        cell(BEST, date(2026, 8, 1), "500", weighted="100"),
        cell(PIPE, date(2026, 9, 1), "400", weighted="40"),
    ]
    result = dm.forecast(cells=cells, categories=CATEGORIES, month=JUNE, realized=Decimal(100))

    assert len(result.months) == dm.FORECAST_MONTHS + 1
    assert result.months[:4] == (JUNE, date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1))
    # Low: commit at its weight. High: commit and best case in full, the rest weighted.
    assert result.low[:4] == (100, 100, 900, 900)
    assert result.high[:4] == (100, 100, 1600, 1640)


def test_overdue_deals_count_from_the_start_and_undated_or_internal_ones_never():
    cells = [
        cell(COMMIT, date(2026, 3, 1), "300"),
        cell(COMMIT, None, "9999"),
        cell(COMMIT, date(2026, 7, 1), "9999", direction="within"),
    ]
    result = dm.forecast(cells=cells, categories=CATEGORIES, month=JUNE, realized=Decimal(0))

    assert result.low[0] == 0  # the month itself shows what was realized
    assert set(result.low[1:]) == {Decimal(300)}


def test_the_funnel_lists_every_open_stage_in_order_with_its_deals():
    cells = [cell(BEST, JUNE, "10.005", count=2), cell(BEST, None, "5"), cell(COMMIT, JUNE, "1")]
    funnel = dm.funnel(stages=[(PIPE, "Lead"), (BEST, "Proposal"), (COMMIT, "Won?")], cells=cells)

    assert funnel.stages == ("Lead", "Proposal", "Won?")
    assert funnel.counts == (0, 3, 1)
    assert funnel.amounts == (0, Decimal("15.01"), Decimal("1.00"))


def test_segment_direction_has_a_series_only_for_directions_with_pipeline():
    cells = [
        cell(PIPE, JUNE, "7", segment=1),
        cell(PIPE, JUNE, "3", segment=2, direction="b_to_a"),
    ]
    result = dm.segment_direction(
        segments=[(1, "Mid"), (2, "Large")],
        directions=[("a_to_b", "A to B"), ("b_to_a", "B to A"), ("within", "Within")],
        cells=cells,
    )

    assert result.amounts_by_direction == {"a_to_b": (7, 0), "b_to_a": (0, 3)}
    assert result.direction_labels["within"] == "Within"


def test_segment_direction_adds_deals_without_a_segment_as_a_last_no_segment_row():
    directions = [("a_to_b", "A to B"), ("b_to_a", "B to A")]
    cells = [
        cell(PIPE, JUNE, "7", segment=1),
        cell(PIPE, JUNE, "2", segment=None),
        cell(PIPE, JUNE, "1.50", segment=None, direction="b_to_a"),
    ]
    result = dm.segment_direction(
        segments=[(1, "Mid"), (2, "Large")], directions=directions, cells=cells
    )

    assert result.segments == ("Mid", "Large", "No segment")
    assert result.segment_ids == (1, 2, None)
    assert result.segment_choices == (1, 2, "none")  # the pipeline list's filter value
    assert result.amounts_by_direction == {"a_to_b": (7, 0, 2), "b_to_a": (0, 0, Decimal("1.50"))}
    total = sum(sum(amounts) for amounts in result.amounts_by_direction.values())
    assert total == sum(c.amount for c in cells)  # the parts add up to the whole

    # Nothing without a segment: no such row.
    segmented = dm.segment_direction(segments=[(1, "Mid")], directions=directions, cells=cells[:1])
    assert segmented.segment_ids == (1,)


def test_tiles_compare_shares_of_target_quota_and_win_rate_with_the_month_before():
    now = figures("500", "2000", credited="50", quota="200", closing="300", won=3, lost=1)
    before = figures("100", "1000", credited="0", quota="100", won=1, lost=1)
    tiles = {tile.key: tile for tile in dm.tiles(now, before, pipeline_before=None)}

    assert (tiles["realized"].value, tiles["realized"].previous) == (25, 10)
    assert tiles["realized"].change == 15
    assert (tiles["attainment"].value, tiles["attainment"].previous) == (25, 0)
    assert (tiles["win_rate"].value, tiles["win_rate"].previous) == (75, 50)
    assert tiles["coverage"].value is not None and tiles["coverage"].previous is None
    assert tiles["open_pipeline"].previous is None  # a stock is compared only with a freeze


def test_no_target_and_no_quota_give_no_percentage_rather_than_zero():
    tiles = {tile.key: tile for tile in dm.tiles(figures(), figures(), pipeline_before=None)}

    assert tiles["realized"].value is None
    assert tiles["attainment"].value is None
    assert tiles["win_rate"].value is None


def test_a_slice_without_target_shows_what_it_won_instead():
    impact = dm.Impact(
        months=(date(2026, 5, 1), JUNE),
        realized=(Decimal(10), Decimal(30)),
        target=(Decimal(100), Decimal(200)),
        forecast_months=(JUNE,),
        forecast_low=(Decimal(30),),
        forecast_high=(Decimal(30),),
    )
    tiles = dm.tiles(figures("30", "200"), figures(), pipeline_before=None)

    tiles, impact = dm.without_target(tiles, impact)

    assert tiles[0].key == "won_to_date"
    assert (tiles[0].value, tiles[0].previous) == (30, 10)
    assert "realized" not in {tile.key for tile in tiles}
    assert impact.target == (None, None)


def test_a_month_summed_from_its_kept_deals_does_not_measure_what_they_do_not_keep():
    now = figures("30", credited="50", quota="200", won=3, lost=1)
    impact = dm.Impact(
        months=(date(2026, 5, 1), JUNE),
        realized=(Decimal(10), None),
        target=(None, None),
        forecast_months=(JUNE,),
        forecast_low=(None,),
        forecast_high=(None,),
    )
    tiles, _impact = dm.without_target(dm.tiles(now, now, pipeline_before=None), impact)

    shown = {tile.key: tile for tile in dm.kept_not_measured(tiles)}

    for key in ("win_rate", "attainment", "coverage", "won_to_date"):
        assert not shown[key].measured and shown[key].value is None, key
        assert shown[key].previous is None, key
    assert shown["open_pipeline"].measured


def test_no_forecast_is_added_to_a_realized_figure_that_is_not_measured():
    band = dm.forecast(
        cells=[cell(COMMIT, JUNE, "1000")], categories=CATEGORIES, month=JUNE, realized=None
    )
    assert band.months[0] == JUNE and len(band.months) > 1
    assert set(band.low) == set(band.high) == {None}


def test_whole_amounts_round_half_up_as_pages_do_not_cut_the_cents():
    with translation.override("en"):
        assert dm.whole(Decimal("71848276.70")) == "71,848,277"
        assert money(Decimal("71848276.70")) == "71,848,277"
        assert money(Decimal("0.49")) == "0"
