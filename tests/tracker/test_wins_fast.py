"""The wins page reads only the month's won deals; its totals are pipeline_figures' own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Direction, Kind
from tests import factories
from tracker.models import Stage
from tracker.pipeline_math import add_months, month_end
from tracker.selectors.metrics import SYNERGY, Dimension, pipeline_figures
from tracker.selectors.wins import wins_figures


@pytest.fixture
def today():
    return timezone.localdate()


def deal(merger, owner, *, outcome, on, amount, kind=Kind.CROSS_SELL, **fields):
    chance = {Stage.Outcome.WON: 100, Stage.Outcome.LOST: 0}.get(outcome, 50)
    stage = fields.pop("stage", None) or factories.StageFactory(
        merger=merger, name=f"Stage {outcome}", outcome=outcome, probability=chance
    )
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        product=factories.ProductFactory(company=owner.company),
        stage=stage,
        outcome=outcome,
        probability=chance,
        closed_on=on,
        amount=Decimal(amount),
        kind=kind,
        **fields,
    )


def win(merger, owner, *, on, amount, **fields):
    return deal(merger, owner, outcome=Stage.Outcome.WON, on=on, amount=amount, **fields)


def test_the_months_won_figures_match_the_plain_definition(merger, rep, other_rep, today):
    month = today.replace(day=1)
    last_day = month_end(month)
    earlier = add_months(month, -1)
    win(merger, rep, on=month, amount="1000.00")
    win(merger, other_rep, on=last_day, amount="2500.50", kind=Kind.UPSELL)
    win(merger, rep, on=month, amount="700.00", direction=Direction.B_TO_A)
    # Outside the figures: another month, within one company, lost, still open.
    win(merger, rep, on=earlier, amount="900.00")
    win(merger, rep, on=month, amount="400.00", direction=Direction.WITHIN)
    deal(merger, rep, outcome=Stage.Outcome.LOST, on=month, amount="300.00", lost_reason="Budget")
    deal(merger, other_rep, outcome=Stage.Outcome.OPEN, on=None, amount="800.00")

    plain = pipeline_figures(
        merger=merger,
        by=Dimension.PROGRAM,
        closed_from=month,
        closed_to=last_day,
        today=today,
        where=SYNERGY,
    )["program"]
    fast = wins_figures(merger=merger, closed_from=month, closed_to=last_day, today=today)
    shown = ("won_count", "won_amount", "average_deal", "cycle_days")
    assert {k: getattr(fast, k) for k in shown} == {k: getattr(plain, k) for k in shown}
    assert fast.won_count == 3


def test_a_month_without_wins_gives_zero(merger):
    month = dt.date(2020, 1, 1)
    figures = wins_figures(merger=merger, closed_from=month, closed_to=month_end(month))
    assert (figures.won_count, figures.won_amount, figures.average_deal) == (0, 0, None)
