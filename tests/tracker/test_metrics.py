from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Direction, Kind
from tests import factories
from tracker.models import CreditSplit, Opportunity, Quota, Stage
from tracker.pipeline_math import PipelineFigures
from tracker.selectors.metrics import (
    Dimension,
    PipelineFilter,
    credited_won,
    month_to_date_figures,
    pipeline_figures,
    quota_totals,
    realized_synergy,
    team_pipeline_rollup,
)

TODAY = date(2026, 6, 15)


@pytest.fixture
def stages(merger):
    make = factories.StageFactory
    return {
        "open": make(merger=merger, name="Proposal", order=3, probability=50),
        "won": make(
            merger=merger,
            name="Closed won",
            order=5,
            probability=100,
            forecast_category=Stage.Forecast.CLOSED,
            outcome=Stage.Outcome.WON,
        ),
        "lost": make(
            merger=merger,
            name="Closed lost",
            order=6,
            probability=0,
            forecast_category=Stage.Forecast.OMITTED,
            outcome=Stage.Outcome.LOST,
        ),
    }


def _opportunity(merger, rep, stage, amount, **extra):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stage,
        outcome=stage.outcome,
        amount=Decimal(amount),
        **{"probability": stage.probability, **extra},
    )


def test_pipeline_figures_split_open_won_and_lost(merger, rep, stages):
    won_on = date(2026, 6, 1)
    _opportunity(merger, rep, stages["open"], "1000")
    _opportunity(merger, rep, stages["open"], "3000")
    _opportunity(
        merger,
        rep,
        stages["won"],
        "500",
        closed_on=won_on,
        created_at=timezone.now().replace(year=2026, month=5, day=2),
    )
    _opportunity(merger, rep, stages["lost"], "700", closed_on=won_on, lost_reason="Budget")

    program = pipeline_figures(merger=merger, closed_from=date(2026, 6, 1), today=TODAY)["program"]

    assert program.open_count == 2
    assert program.open_amount == Decimal("4000.00")
    assert program.weighted_amount == Decimal("2000.00")
    assert program.won_amount == Decimal("500.00")
    assert program.win_rate == Decimal("0.5")
    assert program.cycle_days == Decimal("30.0")


def test_wins_outside_the_period_are_not_counted(merger, rep, stages):
    _opportunity(merger, rep, stages["won"], "500", closed_on=date(2026, 1, 10))
    figures = pipeline_figures(merger=merger, closed_from=date(2026, 6, 1), today=TODAY)
    assert figures["program"].won_count == 0


def test_stale_counts_open_deals_without_recent_activity(merger, rep, stages):
    old = timezone.now() - timedelta(days=400)
    _opportunity(merger, rep, stages["open"], "100", progressed_at=old)
    _opportunity(merger, rep, stages["open"], "100")
    figures = pipeline_figures(merger=merger, today=timezone.localdate())["program"]
    assert figures.stale_count == 1
    assert figures.stale_share == Decimal("0.5")


def test_figures_group_by_direction_and_filter_by_owner(merger, rep, other_rep, stages):
    _opportunity(merger, rep, stages["open"], "100", direction=Direction.A_TO_B)
    _opportunity(merger, other_rep, stages["open"], "200", direction=Direction.B_TO_A)
    by_direction = pipeline_figures(merger=merger, by=Dimension.DIRECTION, today=TODAY)
    assert by_direction["a_to_b"].open_amount == Decimal("100.00")
    assert by_direction["b_to_a"].open_amount == Decimal("200.00")
    mine = pipeline_figures(merger=merger, today=TODAY, where=PipelineFilter(owner_id=rep.id))
    assert mine["program"].open_amount == Decimal("100.00")


def test_team_figures_roll_up_the_hierarchy(merger, rep, team, stages):
    region = factories.TeamFactory(merger=merger, name="Region")
    team.parent = region
    team.save()
    _opportunity(merger, rep, stages["open"], "100")
    by_team = pipeline_figures(merger=merger, by=Dimension.TEAM, today=TODAY)
    rolled = team_pipeline_rollup(merger=merger, figures_by_team=by_team)
    assert rolled[region.id].open_amount == Decimal("100.00")
    assert rolled[team.id].open_amount == Decimal("100.00")


def test_quarterly_quota_counts_a_third_per_month(merger, rep):
    factories.QuotaFactory(
        rep=rep,
        period_start=date(2026, 4, 1),
        period_kind=Quota.Period.QUARTER,
        core_amount=Decimal("300"),
        cross_sell_amount=Decimal("90"),
    )
    totals = quota_totals(merger=merger, month_from=date(2026, 5, 1), month_to=date(2026, 5, 1))
    assert totals[rep.id] == (Decimal("100.00"), Decimal("30.00"))


def test_won_deal_credits_owner_or_its_splits_plus_overlay(merger, rep, other_rep, stages):
    closed = date(2026, 6, 2)
    _opportunity(merger, rep, stages["won"], "1000", closed_on=closed)
    split = _opportunity(merger, rep, stages["won"], "2000", closed_on=closed)
    CreditSplit.objects.create(opportunity=split, rep=rep, percent=Decimal("60"))
    CreditSplit.objects.create(opportunity=split, rep=other_rep, percent=Decimal("40"))
    CreditSplit.objects.create(
        opportunity=split, rep=other_rep, kind=CreditSplit.Kind.OVERLAY, percent=Decimal("10")
    )
    credits = credited_won(
        merger=merger, closed_from=date(2026, 6, 1), closed_to=date(2026, 6, 30)
    )
    assert credits[rep.id] == Decimal("2200.00")
    assert credits[other_rep.id] == Decimal("1000.00")
    # Splits and overlay never inflate the program's realized synergy.
    assert realized_synergy(
        merger=merger, closed_from=None, closed_to=date(2026, 6, 30)
    ) == Decimal("3000.00")


def test_realized_synergy_is_cross_company_deals_cross_sell_and_upsell_alike(merger, rep, stages):
    won_on = date(2026, 6, 2)
    _opportunity(merger, rep, stages["won"], "1000", closed_on=won_on, kind=Kind.UPSELL)
    _opportunity(merger, rep, stages["won"], "200", closed_on=won_on, direction="b_to_a")
    # A company selling its own product to its own Day-1 customer is business as usual.
    _opportunity(merger, rep, stages["won"], "5000", closed_on=won_on, direction="within")
    _opportunity(
        merger, rep, stages["won"], "5000", closed_on=won_on, kind=Kind.UPSELL, direction="within"
    )
    assert realized_synergy(
        merger=merger, closed_from=None, closed_to=date(2026, 6, 30)
    ) == Decimal("1200")


def test_pipeline_figures_use_a_constant_number_of_queries(
    merger, rep, stages, django_assert_num_queries
):
    for _ in range(5):
        _opportunity(merger, rep, stages["open"], "100", product=factories.ProductFactory())
    with django_assert_num_queries(1):
        pipeline_figures(merger=merger, by=Dimension.REP, today=TODAY)


def test_month_to_date_figures_are_the_pipeline_figures_of_the_month(merger, rep, stages):
    """Read in two parts (open deals, deals closed this month), the figures are those of
    the one grouped read over every deal, odd cents and a stale deal included."""
    today = timezone.localdate()
    first = today.replace(day=1)
    old = timezone.now() - timedelta(days=400)
    _opportunity(merger, rep, stages["open"], "333.33", probability=33)
    _opportunity(merger, rep, stages["open"], "1000.01", probability=67, progressed_at=old)
    _opportunity(merger, rep, stages["open"], "50", kind=Kind.UPSELL)
    _opportunity(merger, rep, stages["won"], "500", closed_on=today)
    _opportunity(merger, rep, stages["won"], "900", closed_on=first - timedelta(days=1))
    _opportunity(merger, rep, stages["lost"], "700", closed_on=first, lost_reason="Budget")
    deals = Opportunity.objects.filter(merger=merger)

    month = month_to_date_figures(merger=merger, opportunities=deals, today=today)

    [whole] = pipeline_figures(
        merger=merger, closed_from=first, closed_to=today, today=today
    ).values()
    assert month == whole
    assert (month.open_count, month.stale_count, month.won_count, month.lost_count) == (3, 1, 1, 1)
    # 333.33 x 33% + 1,000.01 x 67% + 50 x 50% = 805.0056: exact, then to the cent.
    assert month.weighted_amount == Decimal("805.01")


def test_month_to_date_figures_of_a_program_without_deals_are_zero(merger):
    deals = Opportunity.objects.filter(merger=merger)
    today = timezone.localdate()
    assert month_to_date_figures(merger=merger, opportunities=deals, today=today) == (
        PipelineFigures()
    )
