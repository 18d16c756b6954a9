"""A frozen month's attainment is the live one's: credited won (splits and overlay) of
the reps, a team's with the teams below it, over the cross-sell quota; on the dashboard,
its team chart and the board pack alike. Realized synergy still counts a deal once."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from scorecards.dashboard_math import attainment_pct
from scorecards.selectors import board_pack
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from tests import factories
from tracker.models import SnapshotLine, Stage
from tracker.pipeline_math import ZERO
from tracker.quota_math import period_of
from tracker.selectors.quotas import quota_board
from tracker.services.credits import credit_splits_set
from tracker.services.snapshots import snapshot_freeze

MAY = date(2026, 5, 1)
TODAY = date(2026, 12, 7)
Scope = SnapshotLine.Scope


@pytest.fixture
def teams(merger, team):
    """All sellers above Central (the owner's team) and Specialists (credited only)."""
    top = factories.TeamFactory(merger=merger, name="All sellers")
    specialists = factories.TeamFactory(merger=merger, name="Specialists", parent=top)
    team.parent = top
    team.save()
    return {"all": top, "central": team, "specialists": specialists}


@pytest.fixture
def credited_may(merger, rep, teams, ops_user):
    """Rep owns both wins; a specialist has 50% overlay on one and half of the other."""
    specialist = factories.RepFactory(merger=merger, team=teams["specialists"])
    stage = factories.stages_of(merger, "won")["won"]
    overlaid, split = (
        factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            stage=stage,
            outcome=Stage.Outcome.WON,
            probability=100,
            amount=Decimal(amount),
            closed_on=date(2026, 5, 20),
            created_at=timezone.make_aware(datetime(2026, 4, 2)),
        )
        for amount in ("10000", "4000")
    )
    credit_splits_set(
        actor=ops_user, opportunity=overlaid, splits=[], overlays=[(specialist, "50", "overlay")]
    )
    credit_splits_set(
        actor=ops_user, opportunity=split, splits=[(rep, "50", "owner"), (specialist, "50", "sme")]
    )
    for seller, quota in ((rep, "10000"), (specialist, "4000")):
        factories.QuotaFactory(rep=seller, period_start=MAY, cross_sell_amount=Decimal(quota))
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    return specialist


def _dashboard_tile(merger, **filters):
    dashboard = program_dashboard(
        merger=merger, where=DashboardFilter(month=MAY, **filters), today=TODAY
    )
    assert dashboard.source == "snapshot"
    return {tile.key: tile.value for tile in dashboard.tiles}["attainment"], dashboard


def test_a_frozen_months_attainment_is_the_quota_pages_for_program_and_every_team(
    merger, teams, credited_may
):
    board = quota_board(merger=merger, period=period_of(MAY, "month"))
    live = {line.team.pk: line.figures.attainment_pct for line in board.teams}
    # Credited: rep 10,000 + 2,000, specialist 5,000 + 2,000; quotas 10,000 and 4,000.
    assert board.total.credited_won == Decimal("19000.00")
    assert live[teams["specialists"].pk] == Decimal("175.0")

    program_tile, dashboard = _dashboard_tile(merger)
    assert program_tile == board.total.attainment_pct == Decimal("135.7")
    charted = dict(
        zip(dashboard.attainment_teams.ids, dashboard.attainment_teams.attainment, strict=True)
    )
    assert charted == live
    for pk in live:
        assert _dashboard_tile(merger, team_id=pk)[0] == live[pk]
    section = board_pack.team_attainment_section(merger=merger, month=MAY)
    names = {team.name: team.pk for team in teams.values()}
    exported = {names[row[0]]: row for row in section.rows}
    for pk, (_name, quota, credited, share) in exported.items():
        assert attainment_pct(credited=credited, quota=quota) == live[pk]
        assert share == credited / quota


def test_the_frozen_program_line_keeps_realized_synergy_once_by_deal_beside_the_credit(
    merger, teams, credited_may
):
    lines = {
        (line.scope, line.key): line
        for line in SnapshotLine.objects.filter(snapshot__merger=merger)
    }
    program = lines[Scope.PROGRAM, ""]
    assert (program.realized_synergy, program.credited_won) == (
        Decimal("14000.00"),
        Decimal("19000.00"),
    )
    specialists = lines[Scope.TEAM, str(teams["specialists"].pk)]
    assert (specialists.realized_synergy, specialists.credited_won) == (ZERO, Decimal("7000.00"))
    # Quotas are per rep: a segment or direction line has no attainment to credit.
    assert all(
        line.credited_won is None
        for (scope, _key), line in lines.items()
        if scope in (Scope.SEGMENT, Scope.DIRECTION)
    )


def test_lines_frozen_before_the_credit_was_kept_still_read_what_they_were_frozen_with(
    merger, teams, credited_may
):
    # A snapshot written before credited_won existed: a closed month is never rewritten.
    SnapshotLine.objects.filter(snapshot__merger=merger).update(credited_won=None)

    program_tile, dashboard = _dashboard_tile(merger)
    assert program_tile == attainment_pct(credited=Decimal("14000"), quota=Decimal("14000"))
    charted = dict(
        zip(dashboard.attainment_teams.ids, dashboard.attainment_teams.attainment, strict=True)
    )
    assert charted[teams["specialists"].pk] == Decimal("0.0")
