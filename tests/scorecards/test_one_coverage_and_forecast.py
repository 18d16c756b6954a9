"""Pipeline coverage and the forecast have one definition each (domain.md, "Figures"):
the dashboard, the quota board, the pipeline metrics and the program scorecard agree."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Direction, Kind
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from scorecards.selectors.program import program_scorecard
from tests import factories
from tracker.models import Stage
from tracker.quota_math import Period
from tracker.selectors.metrics import Dimension
from tracker.selectors.pipeline_metrics import pipeline_metrics
from tracker.selectors.quotas import quota_board

TODAY = date(2026, 6, 15)
JUNE = date(2026, 6, 1)


@pytest.fixture
def program(merger, rep, monkeypatch):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    commit = factories.StageFactory(
        merger=merger,
        name="Negotiation",
        order=4,
        probability=50,
        forecast_category=Stage.Forecast.COMMIT,
    )
    factories.QuotaFactory(rep=rep, period_start=JUNE, cross_sell_amount=Decimal("2000"))

    def deal(amount: str, due: date, **fields) -> None:
        factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            stage=commit,
            probability=50,
            amount=Decimal(amount),
            expected_close=due,
            **fields,
        )

    deal("1000", date(2026, 6, 20))  # due in the rest of June: counts
    deal("300", date(2026, 6, 30), kind=Kind.UPSELL)  # an upsell crosses the merger too
    deal("5000", date(2026, 6, 10))  # overdue: not expected in the rest of June
    deal("7000", date(2026, 6, 25), direction=Direction.WITHIN)  # business as usual
    deal("9000", date(2026, 7, 5))  # due next month
    deal("11000", date(2027, 7, 5))  # past the forecast's twelve months
    return merger


def _coverages(merger, month: date) -> dict[str, Decimal | None]:
    dashboard = program_dashboard(merger=merger, where=DashboardFilter(month=month), today=TODAY)
    board = quota_board(merger=merger, period=Period(month))
    [metrics] = pipeline_metrics(merger=merger, by=Dimension.PROGRAM, month=month, today=TODAY)
    return {
        "dashboard": next(tile.value for tile in dashboard.tiles if tile.key == "coverage"),
        "quota board": board.total.coverage,
        "quota board team": board.teams[0].figures.coverage,
        "quota board rep": board.teams[0].reps[0].figures.coverage,
        "pipeline metrics": metrics.coverage,
    }


def test_coverage_is_the_cross_company_pipeline_due_in_the_rest_of_the_period(program):
    # (1,000 + 300) due from today to June 30, over the 2,000 June quota still to win.
    expected = Decimal("0.6500")
    assert _coverages(program, JUNE) == dict.fromkeys(
        ("dashboard", "quota board", "quota board team", "quota board rep", "pipeline metrics"),
        expected,
    )


def test_a_period_that_has_ended_has_no_coverage(program, rep):
    may = date(2026, 5, 1)
    factories.QuotaFactory(rep=rep, period_start=may, cross_sell_amount=Decimal("2000"))
    assert set(_coverages(program, may).values()) == {None}
    board = quota_board(merger=program, period=Period(may))
    assert board.total.open_pipeline is None


def test_a_future_period_counts_its_whole_pipeline(program, rep):
    july = date(2026, 7, 1)
    factories.QuotaFactory(rep=rep, period_start=july, cross_sell_amount=Decimal("3000"))
    board = quota_board(merger=program, period=Period(july))
    assert board.total.open_pipeline == Decimal("9000.00")
    assert board.total.coverage == Decimal("3.0000")


def test_the_scorecard_states_the_dashboards_forecast(program):
    dashboard = program_dashboard(merger=program, where=DashboardFilter(month=JUNE), today=TODAY)
    scorecard = program_scorecard(merger=program, month=JUNE)
    # Committed cross-company deals expected by June 2027: 1,000 + 300 + 5,000 + 9,000,
    # in full (high) and at half (low); the July 2027 deal is past the period's end.
    assert scorecard.program.forecast_high == Decimal("15300.00")
    assert scorecard.program.forecast_low == Decimal("7650.00")
    assert scorecard.program.forecast == Decimal("7650.00")
    assert dashboard.impact.forecast_high[-1] == scorecard.program.forecast_high
    assert dashboard.impact.forecast_low[-1] == scorecard.program.forecast_low
