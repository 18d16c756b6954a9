"""A closed month's dashboard for filters no snapshot line holds (a segment in one
direction, a team's deals of a segment, ...) sums the deals its snapshot kept: it stays
as frozen whatever is edited, moved, reassigned or won since, and what the kept deals
cannot give reads "not measured", never a figure of today's deals."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Direction
from scorecards.reconcile.segments import check_closed_month_segments_add_up_by_direction
from scorecards.selectors.dashboard import DashboardFilter, program_dashboard
from tests import factories
from tests.scorecards.dashboard_program import freeze_today
from tracker.models import MonthlySnapshot, Opportunity, SnapshotDeal, Team
from tracker.services.opportunities import opportunity_update
from tracker.services.snapshots import snapshot_freeze

TODAY = date(2026, 6, 15)
MAY = date(2026, 5, 1)
A_TO_B, B_TO_A = Direction.A_TO_B, Direction.B_TO_A


def deal(merger, owner, stage, *, amount, segment, direction=B_TO_A, closed_on=None):
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=owner.company),
        stage=stage,
        outcome=stage.outcome,
        probability=stage.probability,
        segment=segment,
        direction=direction,
        amount=Decimal(amount),
        closed_on=closed_on,
        created_at=timezone.make_aware(datetime(2026, 1, 2)),
    )


def edit(actor, opportunity, **changes):
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    opportunity_update(
        actor=actor, opportunity=opportunity, expected_version=opportunity.version, changes=changes
    )


@pytest.fixture
def program(merger, rep, other_rep):
    """Energy deals both ways and a Mining deal, open and won, every month since Day 1
    frozen with its deals."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    stages = factories.stages_of(merger, "identified", "proposal", "won", "lost")
    energy = factories.SegmentFactory(merger=merger, name="Energy")
    mining = factories.SegmentFactory(merger=merger, name="Mining")
    identified, proposal, won = stages["identified"], stages["proposal"], stages["won"]
    deals = {
        "small": deal(merger, rep, identified, amount="1000", segment=energy),
        "large": deal(merger, rep, proposal, amount="2000", segment=energy),
        "east": deal(merger, other_rep, proposal, amount="4000", segment=energy),
        "other_way": deal(
            merger, rep, identified, amount="8000", segment=energy, direction=A_TO_B
        ),
        "mining_deal": deal(merger, rep, identified, amount="16000", segment=mining),
        "won_april": deal(
            merger, rep, won, amount="300", segment=energy, closed_on=date(2026, 4, 9)
        ),
        "won_may": deal(
            merger, rep, won, amount="500", segment=energy, closed_on=date(2026, 5, 7)
        ),
    }
    for month in range(1, 6):
        snapshot_freeze(merger_id=merger.pk, month=date(2026, month, 1))
    return {
        "merger": merger,
        "energy": energy,
        "mining": mining,
        "stages": stages,
        "central": rep.team,
        **deals,
    }


def shown(merger, **filters):
    where = DashboardFilter(month=MAY, **filters)
    return program_dashboard(merger=merger, where=where, today=TODAY)


def tiles_of(dashboard):
    return {tile.key: tile for tile in dashboard.tiles}


def change_everything(program, ops_user, other_rep):
    """After May's freeze: raised, moved on, moved to Mining, reassigned to the East
    team, won in May after all, a new Energy deal, and the East team moved under
    Central."""
    stages = program["stages"]
    Team.objects.filter(pk=other_rep.team_id).update(parent=program["central"])
    edit(ops_user, program["small"], amount=Decimal("1500"))
    edit(ops_user, program["large"], stage=stages["won"], closed_on=date(2026, 5, 28))
    # Segment and direction follow the account and product: a re-segmented account.
    Opportunity.objects.filter(pk=program["east"].pk).update(segment=program["mining"])
    Opportunity.objects.filter(pk=program["other_way"].pk).update(direction=B_TO_A)
    edit(ops_user, program["other_way"], owner=other_rep)
    edit(ops_user, program["won_may"], amount=Decimal("900"))
    deal(
        program["merger"],
        other_rep,
        stages["identified"],
        amount="64000",
        segment=program["energy"],
    )


def kept_open(merger, **where):
    rows = SnapshotDeal.objects.filter(
        snapshot__merger=merger, snapshot__month=MAY, kept=SnapshotDeal.Kept.OPEN, **where
    )
    return rows.aggregate(total=Sum("amount"))["total"]


def test_a_segment_in_one_direction_stays_as_frozen_and_sums_its_kept_deals(
    program, ops_user, other_rep
):
    merger, energy = program["merger"], program["energy"]
    before = shown(merger, segment_id=energy.pk, direction=B_TO_A)
    change_everything(program, ops_user, other_rep)
    after = shown(merger, segment_id=energy.pk, direction=B_TO_A)

    assert after.source == "kept"
    assert after.tiles == before.tiles
    assert after.funnel == before.funnel
    assert after.segment_direction == before.segment_direction
    assert after.impact == before.impact
    tiles = tiles_of(after)
    # small, large and east, as they stood at May's end.
    assert tiles["open_pipeline"].value == Decimal("7000")
    assert tiles["open_pipeline"].value == kept_open(
        merger, segment_id=energy.pk, direction=B_TO_A
    )
    assert after.funnel.counts == (1, 2)
    assert after.funnel.amounts == (Decimal("1000"), Decimal("6000"))
    assert after.impact.realized_in_month[-2:] == (Decimal("300"), Decimal("500"))
    assert tiles["won_to_date"].value == Decimal("800")
    # The latest wins as their months kept them: not May's later win, nor the raise.
    assert [win.amount for win in after.wins] == [Decimal("500.00"), Decimal("300.00")]


def test_a_teams_segment_stays_as_frozen_and_sums_the_deals_its_reps_owned(
    program, ops_user, other_rep, team
):
    merger, energy = program["merger"], program["energy"]
    before = shown(merger, team_id=team.pk, segment_id=energy.pk)
    change_everything(program, ops_user, other_rep)
    after = shown(merger, team_id=team.pk, segment_id=energy.pk)

    assert after.source == "kept"
    assert after.tiles == before.tiles
    assert after.funnel == before.funnel
    assert after.segment_direction == before.segment_direction
    assert after.impact == before.impact
    # small, large and other_way: owned by the Central team's rep at May's end.
    open_pipeline = tiles_of(after)["open_pipeline"].value
    assert open_pipeline == Decimal("11000")
    assert open_pipeline == kept_open(merger, segment_id=energy.pk, team_id=team.pk)
    assert after.segment_direction.amounts_by_direction == {
        A_TO_B: (Decimal("8000"), Decimal("0")),
        B_TO_A: (Decimal("3000"), Decimal("0")),
    }


def test_the_latest_wins_show_each_deal_as_its_own_month_kept_it(program, rep, other_rep):
    """A win is chosen by the row its month kept: it is shown as that row says, not
    replayed to the dashboard's month."""
    merger, energy = program["merger"], program["energy"]
    SnapshotDeal.objects.filter(
        snapshot__month=date(2026, 4, 1), opportunity_id=program["won_april"].pk
    ).update(owner_id=other_rep.pk)
    wins = shown(merger, segment_id=energy.pk, direction=B_TO_A).wins
    reps = {win.opportunity_id: win.rep for win in wins}
    assert reps[program["won_april"].pk] == str(other_rep)
    assert reps[program["won_may"].pk] == str(rep)


def test_what_the_kept_deals_cannot_give_is_not_measured(program, other_rep):
    merger, energy = program["merger"], program["energy"]
    tiles = tiles_of(shown(merger, segment_id=energy.pk, owner_id=other_rep.pk))
    assert not tiles["win_rate"].measured and tiles["win_rate"].value is None
    assert not tiles["attainment"].measured
    assert tiles["open_pipeline"].value == Decimal("4000")

    # A month since Day 1 frozen before its deals were kept: no sum of frozen months to date.
    MonthlySnapshot.objects.filter(merger=merger, month=date(2026, 2, 1)).update(rows_kept=False)
    dashboard = shown(merger, segment_id=energy.pk, direction=B_TO_A)
    won_to_date = tiles_of(dashboard)["won_to_date"]
    assert not won_to_date.measured and won_to_date.value is None
    assert dashboard.impact.realized_in_month[-1] == Decimal("500")
    assert dashboard.impact.sources[1:] == ("recomputed", "kept", "kept", "kept")


def test_a_month_frozen_before_its_deals_were_kept_is_computed_from_current_data(program):
    merger, energy = program["merger"], program["energy"]
    MonthlySnapshot.objects.filter(merger=merger).update(rows_kept=False)
    Opportunity.objects.filter(pk=program["small"].pk).update(amount=Decimal("1500"))
    dashboard = shown(merger, segment_id=energy.pk, direction=B_TO_A)
    assert dashboard.source == "recomputed"
    assert tiles_of(dashboard)["open_pipeline"].value == Decimal("7500")


def test_the_page_says_the_figures_are_the_kept_deals_and_lists_them(
    client, executive_user, program, monkeypatch
):
    freeze_today(monkeypatch)
    client.force_login(executive_user)
    query = {"month": "2026-05", "segment": program["energy"].pk, "direction": B_TO_A}
    body = client.get(reverse("scorecards:dashboard"), query).text
    assert "summed from the deals its" in body
    assert "banner--kept" in body
    frozen_list = reverse("tracker:pipeline_frozen", args=["2026-05"])
    assert f'href="{frozen_list}?' in body


def test_query_count_does_not_grow_with_the_kept_deals(program, rep, other_rep):
    merger, energy = program["merger"], program["energy"]
    with CaptureQueriesContext(connection) as small:
        shown(merger, segment_id=energy.pk, direction=B_TO_A)
    stages = program["stages"]
    for index in range(6):
        owner = factories.RepFactory(merger=merger, team=other_rep.team, company=rep.company)
        stage = stages["proposal" if index % 2 else "identified"]
        deal(merger, owner, stage, amount="100", segment=energy)
        deal(merger, owner, stages["won"], amount="50", segment=energy, closed_on=MAY)
    MonthlySnapshot.objects.filter(merger=merger, month=MAY).delete()
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    with CaptureQueriesContext(connection) as large:
        dashboard = shown(merger, segment_id=energy.pk, direction=B_TO_A)
    assert dashboard.source == "kept"
    assert tiles_of(dashboard)["open_pipeline"].value == Decimal("7600")
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_reconcile_finds_a_kept_deal_that_no_longer_adds_up_to_its_segment(program):
    merger = program["merger"]
    months = [date(2026, month, 1) for month in range(1, 6)]
    assert list(check_closed_month_segments_add_up_by_direction(merger, months)) == []

    SnapshotDeal.objects.filter(snapshot__month=MAY, opportunity_id=program["small"].pk).update(
        amount=Decimal("1200")
    )
    found = {
        m.what: (m.expected, m.found)
        for m in check_closed_month_segments_add_up_by_direction(merger, months)
    }
    assert found == {
        "2026-05 segment Energy by direction, open": (Decimal("15000"), Decimal("15200"))
    }
