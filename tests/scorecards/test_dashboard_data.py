"""The cubes a dashboard is drawn from, and the sums read off them."""

from datetime import date
from decimal import Decimal

import pytest

from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.dashboard_data import DashboardData
from tests import factories

TODAY = date(2026, 6, 15)
JUNE, MAY = date(2026, 6, 1), date(2026, 5, 1)


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "commit", "won")


def _won(
    merger, rep, stages, *, closed_on: date, amount: str, kind="cross_sell", direction="a_to_b"
):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stages["won"],
        outcome="won",
        kind=kind,
        direction=direction,
        amount=Decimal(amount),
        closed_on=closed_on,
    )


def _data(merger, **filters) -> DashboardData:
    return DashboardData(merger=merger, where=DashboardFilter(month=JUNE, **filters), today=TODAY)


def test_realized_synergy_counts_cross_company_wins_up_to_each_month(merger, rep, stages):
    _won(merger, rep, stages, closed_on=date(2026, 4, 20), amount="1000")
    _won(merger, rep, stages, closed_on=date(2026, 6, 2), amount="500")
    _won(merger, rep, stages, closed_on=date(2026, 6, 3), amount="9000", kind="upsell")
    # Business as usual: won and tracked, never realized synergy.
    _won(merger, rep, stages, closed_on=date(2026, 6, 4), amount="300", direction="within")
    _won(merger, rep, stages, closed_on=date(2026, 7, 1), amount="7000")  # after June

    data = _data(merger)

    assert data.realized_to(MAY) == Decimal("1000")
    assert data.realized_to(JUNE) == Decimal("10500")
    assert data.closed_figures(JUNE).won_count == 3  # every won deal of the program
    assert data.closed_figures(JUNE).won_amount == Decimal("9800.00")
    assert data.closed_figures(MAY).won_count == 0


def test_open_cells_hold_each_deal_once_whatever_the_grouping(merger, rep, stages):
    for amount, stage in (("100", "identified"), ("300", "commit"), ("600", "commit")):
        factories.OpportunityFactory(
            merger=merger, owner=rep, stage=stages[stage], amount=Decimal(amount)
        )

    figures = _data(merger).open_figures()

    assert figures.open_count == 3
    assert figures.open_amount == Decimal("1000.00")
    assert figures.weighted_amount == Decimal("685.00")  # 10 + 225 + 450


def test_a_team_filter_keeps_only_deals_of_reps_in_and_below_the_team(merger, rep, stages):
    region = factories.TeamFactory(merger=merger, name="Region")
    rep.team = factories.TeamFactory(merger=merger, name="Squad", parent=region)
    rep.save()
    factories.OpportunityFactory(merger=merger, owner=rep, stage=stages["identified"])
    factories.OpportunityFactory(merger=merger, stage=stages["identified"])  # another team

    data = _data(merger, team_id=region.pk)

    assert data.open_figures().open_count == 1
    assert data.owner_ids == [rep.pk]


def test_forecast_band_takes_commit_deals_weighted_low_and_in_full_high(merger, rep, stages):
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stages["commit"],
        amount=Decimal("1000"),
        expected_close=date(2026, 8, 10),
    )
    factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stages["identified"],
        amount=Decimal("1000"),
        expected_close=date(2026, 8, 20),
    )

    impact = program_dashboard(
        merger=merger, where=DashboardFilter(month=JUNE), today=TODAY
    ).impact

    august = impact.forecast_months.index(date(2026, 8, 1))
    assert impact.forecast_low[august] == Decimal("750")
    assert impact.forecast_high[august] == Decimal("1100")  # 1,000 in full + 10% of 1,000


def test_quotas_outside_the_months_read_are_refused(merger):
    data = _data(merger)

    with pytest.raises(ValueError, match="quotas are read for"):
        data.quotas(date(2026, 1, 1), JUNE)
