"""Restatements: what changed in deals of closed months, who and when, booked now."""

from datetime import date, datetime
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from accounts.models import RecordChange
from tests import factories
from tests.history import change_kept
from tracker.models import MonthlySnapshot, Opportunity, Stage
from tracker.selectors import restatements as restatements_selectors
from tracker.selectors.restatements import restatements_of_month
from tracker.services.snapshots import snapshot_freeze


def test_an_edit_of_a_closed_month_is_listed_with_who_when_and_how_much(merger, rep, rep_user):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    won = factories.StageFactory(
        merger=merger, name="Won", order=9, probability=100, outcome=Stage.Outcome.WON
    )
    deal = factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=won,
        outcome="won",
        probability=100,
        amount=Decimal("5000"),
        closed_on=date(2026, 5, 20),
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )
    snapshot_freeze(merger_id=merger.pk, month=date(2026, 5, 1))
    Opportunity.objects.filter(pk=deal.pk).update(amount=Decimal("4200"))
    change_kept(
        deal,
        action=RecordChange.Action.CHANGED,
        field="amount",
        old="5000.00",
        new="4200.00",
        actor=rep_user,
        at=timezone.now(),
    )

    restatements = restatements_of_month(merger=merger, month=timezone.localdate())

    [item] = restatements.items
    assert (item.before, item.after, item.amount) == (Decimal("5000"), Decimal("4200"), -800)
    assert item.month_before == date(2026, 5, 1)
    [change] = item.changes
    # Named and written as the activity page shows it, not as the history keeps it.
    assert (change.field, change.old, change.new) == ("Amount", "5,000", "4,200")
    assert change.by == (rep_user.get_full_name() or rep_user.username)
    assert restatements.frozen_through == date(2026, 5, 31)


def _may_win(merger, rep, *, stage, closed_on, amount="5000"):
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        stage=stage,
        outcome=stage.outcome,
        probability=100 if stage.outcome == "won" else 0,
        amount=Decimal(amount),
        closed_on=closed_on,
        lost_reason="Budget",
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )


def test_a_win_moved_to_lost_or_a_loss_moved_to_won_restates_the_closed_month(
    merger, rep, rep_user
):
    """Only the stage changes (the close date stays): the replays must still read them,
    whatever else changed in the month."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    stages = factories.stages_of(merger, "identified", "won", "lost")
    lost_later = _may_win(merger, rep, stage=stages["won"], closed_on=date(2026, 5, 20))
    won_later = _may_win(merger, rep, stage=stages["lost"], closed_on=date(2026, 5, 10))
    # Deals that moved in the month but never counted in May.
    for _ in range(3):
        moving = _may_win(merger, rep, stage=stages["identified"], closed_on=None)
        change_kept(
            moving,
            action=RecordChange.Action.CHANGED,
            field="amount",
            old="1.00",
            new="5000.00",
            actor=rep_user,
            at=timezone.now(),
        )
    snapshot_freeze(merger_id=merger.pk, month=date(2026, 5, 1))
    for deal, before, after in ((lost_later, "won", "lost"), (won_later, "lost", "won")):
        Opportunity.objects.filter(pk=deal.pk).update(stage=stages[after], outcome=after)
        change_kept(
            deal,
            action=RecordChange.Action.CHANGED,
            field="stage",
            old=f"{stages[before].name} (#{stages[before].pk})",
            new=f"{stages[after].name} (#{stages[after].pk})",
            actor=rep_user,
            at=timezone.now(),
        )

    items = restatements_of_month(merger=merger, month=timezone.localdate()).items

    assert {(item.opportunity_id, item.amount) for item in items} == {
        (lost_later.pk, Decimal("-5000")),
        (won_later.pk, Decimal("5000")),
    }


def test_a_closed_months_restatements_are_kept_by_its_freeze_and_read_without_a_replay(
    merger, rep, rep_user
):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    stages = factories.stages_of(merger, "won")
    deal = _may_win(merger, rep, stage=stages["won"], closed_on=date(2026, 5, 20))
    snapshot_freeze(merger_id=merger.pk, month=date(2026, 5, 1))
    Opportunity.objects.filter(pk=deal.pk).update(amount=Decimal("4200"))
    june = timezone.make_aware(datetime(2026, 6, 15))
    change_kept(
        deal,
        action=RecordChange.Action.CHANGED,
        field="amount",
        old="5000.00",
        new="4200.00",
        actor=rep_user,
        at=june,
    )
    snapshot = snapshot_freeze(merger_id=merger.pk, month=date(2026, 6, 1))

    with mock.patch.object(
        restatements_selectors, "deal_states_as_of", wraps=restatements_selectors.deal_states_as_of
    ) as replay:
        kept = restatements_of_month(merger=merger, month=date(2026, 6, 1)).items
    snapshot.restatements.all().delete()
    MonthlySnapshot.objects.filter(pk=snapshot.pk).update(rows_kept=False)
    replayed = restatements_of_month(merger=merger, month=date(2026, 6, 1)).items

    assert replay.call_args is None
    assert [(i.opportunity_id, i.before, i.after, i.month_before) for i in kept] == [
        (deal.pk, Decimal("5000.00"), Decimal("4200.00"), date(2026, 5, 1))
    ]
    assert kept == replayed
