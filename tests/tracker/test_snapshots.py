from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import RecordChange
from tests import factories
from tests.history import change_kept
from tracker.models import (
    MonthlySnapshot,
    Opportunity,
    SnapshotLine,
    Stage,
    SynergyTarget,
)
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
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
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


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


def test_a_later_edit_of_a_frozen_month_is_a_restatement_in_the_month_it_was_made(
    merger, won_in_may
):
    may = snapshot_freeze(merger_id=merger.id, month=date(2026, 5, 1))
    # In June someone corrects the May deal's amount: May stays as frozen.
    Opportunity.objects.filter(pk=won_in_may.pk).update(amount=Decimal("7000"))
    change_kept(
        won_in_may,
        action=RecordChange.Action.CHANGED,
        field="amount",
        old="5000.00",
        new="7000.00",
        at=_moment(date(2026, 6, 10)),
    )
    june = snapshot_freeze(merger_id=merger.id, month=date(2026, 6, 1))

    may_line = may.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    june_line = june.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    assert (may_line.realized_synergy, may_line.realized_to_date) == (Decimal("5000.00"),) * 2
    assert june_line.realized_synergy == Decimal("0.00")
    assert june_line.restated == Decimal("2000.00")
    assert june_line.realized_to_date == Decimal("7000.00")


def test_a_month_frozen_late_shows_its_own_month_end_from_the_history(merger, rep, won_stage):
    open_stage = factories.StageFactory(merger=merger, name="Proposal", order=2, probability=50)
    deal = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won_stage,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("8000"),
        closed_on=date(2026, 6, 10),
        created_at=_moment(date(2026, 4, 2)),
    )
    changes = [
        ("stage", f"{open_stage} (#{open_stage.pk})", f"{won_stage} (#{won_stage.pk})"),
        ("probability", "50", "100"),
        ("amount", "6000.00", "8000.00"),
        ("closed_on", "", "2026-06-10"),
    ]
    for field, old, new in changes:
        change_kept(
            deal,
            action=RecordChange.Action.CHANGED,
            field=field,
            old=old,
            new=new,
            at=_moment(date(2026, 6, 10)),
        )

    may = snapshot_freeze(merger_id=merger.id, month=date(2026, 5, 1))

    line = may.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    assert (line.open_count, line.open_pipeline) == (1, Decimal("6000.00"))
    assert line.weighted_pipeline == Decimal("3000.00")
    assert (line.won_count, line.realized_synergy) == (0, Decimal("0.00"))
    assert may.as_of == timezone.make_aware(datetime(2026, 6, 1))
