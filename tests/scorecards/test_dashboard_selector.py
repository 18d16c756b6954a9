from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from tests import factories
from tracker.models import Opportunity, Stage, SynergyTarget
from tracker.services.snapshots import snapshot_freeze

TODAY = date(2026, 6, 15)
JUNE = date(2026, 6, 1)
APRIL = timezone.make_aware(datetime(2026, 4, 1))


@pytest.fixture
def program(merger, rep, acquirer):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    segment = factories.SegmentFactory(merger=merger, name="Mining")
    won = factories.StageFactory(
        merger=merger,
        name="Closed won",
        order=9,
        probability=100,
        forecast_category=Stage.Forecast.CLOSED,
        outcome=Stage.Outcome.WON,
    )
    factories.StageFactory(merger=merger, name="Identified", order=1, probability=10)
    for month in range(1, 13):
        SynergyTarget.objects.create(
            merger=merger, month=date(2026, month, 1), cross_sell=Decimal("1000")
        )
    factories.QuotaFactory(
        rep=rep, period_start=date(2026, 5, 1), cross_sell_amount=Decimal("2000")
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome="won",
        probability=100,
        segment=segment,
        amount=Decimal("1500"),
        closed_on=date(2026, 5, 12),
        product__company=acquirer,
        created_at=APRIL,
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        segment=segment,
        amount=Decimal("4000"),
        product__company=acquirer,
        created_at=APRIL,
    )
    return merger


def test_past_month_shows_its_frozen_snapshot(program):
    snapshot_freeze(merger_id=program.id, month=date(2026, 5, 1))
    dashboard = program_dashboard(
        merger=program, where=DashboardFilter(month=date(2026, 5, 1)), today=TODAY
    )
    tiles = {tile.key: tile for tile in dashboard.tiles}
    assert dashboard.source == "snapshot"
    assert tiles["attainment"].value == Decimal("75.0")
    assert tiles["realized"].value == Decimal("30.0")  # 1,500 of 5,000 targeted to date
    assert dashboard.impact.realized[-1] == Decimal("1500")
    assert dashboard.impact.target[-1] == Decimal("5000")
    assert [win.amount for win in dashboard.wins] == [Decimal("1500.00")]


def test_current_month_is_live(program):
    dashboard = program_dashboard(
        merger=program, where=DashboardFilter(month=date(2026, 6, 1)), today=TODAY
    )
    assert dashboard.source == "live"
    tiles = {tile.key: tile for tile in dashboard.tiles}
    assert tiles["open_pipeline"].value == Decimal("4000.00")
    assert list(dashboard.funnel.amounts) == [Decimal("4000.00")]


def test_empty_program_says_what_is_missing(merger):
    dashboard = program_dashboard(
        merger=merger, where=DashboardFilter(month=date(2026, 6, 1)), today=TODAY
    )
    assert not dashboard.has_data
    assert len(dashboard.missing) == 3


def test_query_count_does_not_grow_with_data(program, rep, django_assert_max_num_queries):
    where = DashboardFilter(month=date(2026, 6, 1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        program_dashboard(merger=program, where=where, today=TODAY)
    for _ in range(10):
        factories.OpportunityFactory(merger=program, owner=factories.RepFactory(merger=program))
    with django_assert_max_num_queries(len(small.captured_queries)):
        program_dashboard(merger=program, where=where, today=TODAY)


def test_coverage_is_pipeline_due_this_month_over_this_months_quota_still_to_win(program, rep):
    # The open 4,000 is due by June 30 (the factory's expected close); a deal due in
    # July does not cover June's quota.
    factories.OpportunityFactory(
        merger=program, owner=rep, amount=Decimal("9000"), expected_close=date(2026, 7, 15)
    )
    factories.QuotaFactory(
        rep=rep, period_start=date(2026, 6, 1), cross_sell_amount=Decimal("1000")
    )
    factories.QuotaFactory(
        rep=rep, period_start=date(2026, 7, 1), cross_sell_amount=Decimal("2000")
    )
    dashboard = program_dashboard(
        merger=program, where=DashboardFilter(month=date(2026, 6, 1)), today=TODAY
    )
    coverage = next(tile for tile in dashboard.tiles if tile.key == "coverage")
    assert coverage.value == Decimal("4")


def test_cached_dashboard_is_computed_once_per_program_filter_and_day(
    program, settings, django_assert_num_queries
):
    from django.core.cache import cache

    from scorecards.selectors.dashboard import program_dashboard_cached

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    where = DashboardFilter(month=date(2026, 6, 1))
    first = program_dashboard_cached(merger=program, where=where, today=TODAY)
    with django_assert_num_queries(0):
        again = program_dashboard_cached(merger=program, where=where, today=TODAY)
    assert again.computed_at == first.computed_at
    other = program_dashboard_cached(
        merger=program, where=DashboardFilter(month=date(2026, 5, 1)), today=TODAY
    )
    assert other.month == date(2026, 5, 1)
    # Words are cached per language: a Russian reader never gets the English copy.
    with translation.override("ru"):
        russian = program_dashboard_cached(merger=program, where=where, today=TODAY)
    assert russian.tiles != first.tiles


def test_a_closed_month_never_moves_and_the_edit_shows_as_a_restatement_now(program):
    snapshot_freeze(merger_id=program.id, month=date(2026, 5, 1))
    may = DashboardFilter(month=date(2026, 5, 1))
    before = program_dashboard(merger=program, where=may, today=TODAY)
    deal = Opportunity.objects.get(merger=program, outcome="won")
    Opportunity.objects.filter(pk=deal.pk).update(amount=Decimal("2500"))

    after = program_dashboard(merger=program, where=may, today=TODAY)
    june = program_dashboard(merger=program, where=DashboardFilter(month=JUNE), today=TODAY)

    assert after.tiles == before.tiles
    assert after.impact == before.impact
    assert after.funnel == before.funnel
    assert [win.amount for win in after.wins] == [Decimal("1500.00")]
    realized = {tile.key: tile for tile in june.tiles}["realized"]
    assert realized.value == Decimal("41.7")  # 2,500 of 6,000
    assert "+1,000 restated" in realized.note
    assert list(june.impact.realized[-2:]) == [Decimal("1500.00"), Decimal("2500")]


def test_a_month_in_progress_compares_with_the_same_days_of_last_month(program, rep):
    won = Stage.objects.get(merger=program, name="Closed won")
    # Won on 20 May: after the 15th, so not among the days June is compared with.
    factories.OpportunityFactory(
        merger=program,
        owner=rep,
        stage=won,
        outcome="won",
        probability=100,
        amount=Decimal("500"),
        closed_on=date(2026, 5, 20),
        created_at=APRIL,
    )
    june = program_dashboard(merger=program, where=DashboardFilter(month=JUNE), today=TODAY)
    tiles = {tile.key: tile for tile in june.tiles}
    assert tiles["attainment"].previous == Decimal("75.0")  # 1,500 of May's 2,000 by the 15th
    assert "same days of May 2026 (1 to 15)" in june.compared_with
