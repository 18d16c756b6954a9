from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from tracker.models import MonthlySnapshot, SnapshotLine, Stage, SynergyTarget
from tracker.services.snapshots import snapshot_due_months, snapshot_freeze


@pytest.fixture
def won_stage(merger):
    return factories.StageFactory(
        merger=merger,
        name="Closed won",
        order=5,
        probability=100,
        forecast_category=Stage.Forecast.CLOSED,
        outcome=Stage.Outcome.WON,
    )


@pytest.fixture
def won_in_may(merger, rep, won_stage):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won_stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("5000"),
        closed_on=date(2026, 5, 20),
    )


def test_snapshot_holds_program_rep_and_team_lines(merger, rep, team, won_in_may):
    factories.QuotaFactory(
        rep=rep, period_start=date(2026, 5, 1), cross_sell_amount=Decimal("10000")
    )
    SynergyTarget.objects.create(merger=merger, month=date(2026, 5, 1), cross_sell=Decimal("9000"))

    snapshot = snapshot_freeze(merger_id=merger.id, month=date(2026, 5, 31))

    program = snapshot.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    assert program.won_amount == Decimal("5000.00")
    assert program.realized_synergy == Decimal("5000.00")
    assert program.cross_sell_quota == Decimal("10000.00")
    assert program.target == Decimal("9000.00")
    rep_line = snapshot.lines.get(scope=SnapshotLine.Scope.REP, key=str(rep.id))
    assert rep_line.realized_synergy == Decimal("5000.00")
    team_line = snapshot.lines.get(scope=SnapshotLine.Scope.TEAM, key=str(team.id))
    assert team_line.cross_sell_quota == Decimal("10000.00")


def test_a_frozen_month_never_changes_when_data_changes_later(merger, won_in_may):
    first = snapshot_freeze(merger_id=merger.id, month=date(2026, 5, 1))
    won_in_may.amount = Decimal("99999")
    won_in_may.save()

    again = snapshot_freeze(merger_id=merger.id, month=date(2026, 5, 1))

    assert again.pk == first.pk
    assert MonthlySnapshot.objects.count() == 1
    program = again.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    assert program.won_amount == Decimal("5000.00")


def test_due_months_are_the_ended_months_since_day_one_not_yet_frozen(merger):
    merger.day_one = date(2026, 2, 15)
    merger.save()
    snapshot_freeze(merger_id=merger.id, month=date(2026, 3, 1))
    due = snapshot_due_months(merger_id=merger.id, today=date(2026, 5, 3))
    assert due == [date(2026, 2, 1), date(2026, 4, 1)]
