"""A deal deleted after a month's end still stood at it: the month's snapshot, however
late it is taken, counts it, and the month it is deleted in lists the deletion among
its restatements, with who deleted it."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.people import person_name
from scorecards.reconcile.snapshots import check_history_replays_to_today
from tests import factories
from tracker.models import SnapshotLine, Stage
from tracker.selectors.restatements import restatements_of_month
from tracker.services.opportunities import opportunity_delete
from tracker.services.snapshots import snapshot_freeze

MAY = date(2026, 5, 1)


@pytest.fixture
def may_win(merger, rep):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    won = factories.stages_of(merger, "identified", "won")["won"]
    return factories.OpportunityFactory(
        merger=merger,
        owner=rep,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=rep.company),
        stage=won,
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("5000"),
        closed_on=date(2026, 5, 20),
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )


def _program_line(snapshot) -> SnapshotLine:
    return snapshot.lines.get(scope=SnapshotLine.Scope.PROGRAM)


def test_a_month_frozen_after_one_of_its_wins_was_deleted_still_counts_it(
    merger, ops_user, may_win
):
    opportunity_delete(actor=ops_user, opportunity=may_win)

    line = _program_line(snapshot_freeze(merger_id=merger.pk, month=MAY))

    assert (line.won_count, line.realized_synergy) == (1, Decimal("5000"))
    assert [win["id"] for win in line.wins] == [may_win.pk]
    assert list(check_history_replays_to_today(merger, [MAY])) == []


def test_deleting_a_win_of_a_closed_month_is_listed_as_a_restatement(
    client, merger, ops_user, may_win
):
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    name = str(may_win)
    opportunity_delete(actor=ops_user, opportunity=may_win)

    restatements = restatements_of_month(merger=merger, month=timezone.localdate())

    [item] = restatements.items
    assert (item.opportunity_id, item.before, item.after) == (may_win.pk, 5000, 0)
    assert (item.month_before, item.label) == (MAY, name)
    [deletion] = item.changes
    assert deletion.deleted
    assert deletion.by == person_name(ops_user)
    client.force_login(ops_user)
    page = client.get(reverse("scorecards:restatements")).content.decode()
    # No link to the deal's page, which no longer opens.
    assert f"<td>#{may_win.pk} {name}</td>" in page
    assert "Deleted <span" in page
