"""A closed month's lists of a team take in the teams below it as they stood at the
freeze, as its frozen line rolled them up: a team moved to another parent since changes
neither its open deals, nor its wins, nor its credited deals."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scorecards.reconcile.closed_months import (
    check_closed_months_credit_as_frozen,
    check_closed_months_list_their_open_deals,
)
from tests import factories
from tracker.models import SnapshotLine, SnapshotTeam, Stage, Team
from tracker.selectors.credited_deals import team_credited_deals
from tracker.selectors.frozen_pipeline import FrozenOpenWhere, frozen_open_deals
from tracker.selectors.frozen_teams import kept_team_subtree_ids
from tracker.selectors.metrics import PipelineFilter
from tracker.selectors.wins import closed_month_wins
from tracker.services.snapshots import snapshot_freeze

JUNE = date(2026, 6, 1)


def deal(merger, owner, stage, *, amount, closed_on=None):
    won = stage.outcome == Stage.Outcome.WON
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=owner.company),
        stage=stage,
        outcome=stage.outcome,
        probability=100 if won else 10,
        amount=Decimal(amount),
        closed_on=closed_on,
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )


def reps_deals(merger, owner, stages, *, open_amount, won_amount, day):
    deal(merger, owner, stages["identified"], amount=open_amount)
    deal(merger, owner, stages["won"], amount=won_amount, closed_on=date(2026, 6, day))


@pytest.fixture
def june(merger, rep, other_rep, team):
    """East reports to Central at June's freeze; both teams' reps have an open deal and a
    win in June. Then East is moved under West, a team set up since."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    stages = factories.stages_of(merger, "identified", "won")
    east = other_rep.team
    east.parent = team
    east.save()
    reps_deals(merger, rep, stages, open_amount="1000", won_amount="3000", day=10)
    reps_deals(merger, other_rep, stages, open_amount="2000", won_amount="5000", day=12)
    snapshot = snapshot_freeze(merger_id=merger.pk, month=JUNE)
    west = factories.TeamFactory(merger=merger, name="West")
    Team.objects.filter(pk=east.pk).update(parent=west)
    return snapshot


def central_line(snapshot, team) -> SnapshotLine:
    return snapshot.lines.get(scope=SnapshotLine.Scope.TEAM, key=str(team.pk))


def test_the_freeze_keeps_the_team_tree_its_lines_rolled_up(merger, team, other_rep, june):
    east = other_rep.team_id
    assert set(june.teams.values_list("team_id", "parent_id")) == {
        (team.pk, None),
        (east, team.pk),
    }
    assert kept_team_subtree_ids(snapshot=june, team_id=team.pk) == sorted([team.pk, east])


def test_a_teams_open_deals_add_up_to_its_line_after_a_team_below_moved(
    client, merger, ops_user, team, june
):
    line = central_line(june, team)
    assert (line.open_count, line.open_pipeline) == (2, Decimal("3000"))

    deals = frozen_open_deals(merger=merger, month=JUNE, where=FrozenOpenWhere(team_id=team.pk))

    assert (deals.count, deals.amount) == (line.open_count, line.open_pipeline)
    client.force_login(ops_user)
    page = client.get(reverse("tracker:pipeline_frozen", args=["2026-06"]), {"team": team.pk})
    assert (page.context["count"], page.context["amount"]) == (2, Decimal("3000"))


def test_a_teams_wins_add_up_to_its_line_after_a_team_below_moved(merger, team, june):
    line = central_line(june, team)
    assert line.realized_synergy == Decimal("8000")

    wins = closed_month_wins(merger=merger, month=JUNE, where=PipelineFilter(team_id=team.pk))

    assert wins.total == line.realized_synergy
    assert len(wins.wins) == 2


def test_a_teams_credited_deals_add_up_to_its_line_after_a_team_below_moved(merger, team, june):
    assert central_line(june, team).credited_won == Decimal("8000")

    listed = team_credited_deals(merger=merger, team=team, first=JUNE, last_month=JUNE)

    assert listed.total == listed.frozen_listed == listed.frozen_figure == Decimal("8000")


def test_a_team_set_up_since_lists_nothing_of_the_closed_month(merger, june):
    west = Team.objects.get(merger=merger, name="West")

    deals = frozen_open_deals(merger=merger, month=JUNE, where=FrozenOpenWhere(team_id=west.pk))
    wins = closed_month_wins(merger=merger, month=JUNE, where=PipelineFilter(team_id=west.pk))

    assert (deals.count, wins.total) == (0, Decimal("0"))


def test_reconcile_finds_the_closed_months_team_lists_as_frozen(merger, june):
    assert list(check_closed_months_list_their_open_deals(merger, [JUNE])) == []
    assert list(check_closed_months_credit_as_frozen(merger, [JUNE])) == []


def test_a_month_frozen_before_it_kept_its_tree_reads_todays(merger, team, other_rep, june):
    SnapshotTeam.objects.filter(snapshot=june).delete()

    assert kept_team_subtree_ids(snapshot=june, team_id=team.pk) == [team.pk]
    deals = frozen_open_deals(merger=merger, month=JUNE, where=FrozenOpenWhere(team_id=team.pk))
    assert (deals.count, deals.amount) == (1, Decimal("1000"))


def test_a_teams_closed_month_list_reads_in_queries_that_do_not_grow_with_the_tree(
    merger, team, june
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            where = FrozenOpenWhere(team_id=team.pk)
            list(frozen_open_deals(merger=merger, month=JUNE, where=where).listed)
            closed_month_wins(merger=merger, month=JUNE, where=PipelineFilter(team_id=team.pk))
            team_credited_deals(merger=merger, team=team, first=JUNE, last_month=JUNE)
        return len(captured)

    before = queries()
    # More teams below Central in June's tree: the same reads.
    for n in range(5):
        SnapshotTeam.objects.create(snapshot=june, team_id=10_000 + n, parent_id=team.pk)

    assert queries() == before
