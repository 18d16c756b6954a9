"""A closed month's open deals as they stood at its end: the list behind its dashboard's open
pipeline adds up to the frozen figures, whatever was edited or deleted since."""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Direction
from tests import factories
from tracker.deal_figures import OpenCell
from tracker.models import MonthlySnapshot, Opportunity, SnapshotLine
from tracker.services.opportunities import opportunity_update
from tracker.services.opportunities.delete import opportunity_delete
from tracker.services.snapshots import snapshot_freeze

MAY = date(2026, 5, 1)
URL = reverse("tracker:pipeline_frozen", args=["2026-05"])
A_TO_B, B_TO_A = Direction.A_TO_B, Direction.B_TO_A


@pytest.fixture
def stages(merger):
    return factories.stages_of(merger, "identified", "proposal", "won", "lost")


@pytest.fixture
def energy(merger):
    return factories.SegmentFactory(merger=merger, name="Energy")


def deal(merger, owner, stage, *, amount, segment=None, direction=A_TO_B):
    return factories.OpportunityFactory(
        merger=merger,
        owner=owner,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=owner.company),
        stage=stage,
        segment=segment,
        direction=direction,
        amount=Decimal(amount),
        created_at=timezone.make_aware(datetime(2026, 4, 2)),
    )


def edit(actor, opportunity, **changes):
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    opportunity_update(
        actor=actor, opportunity=opportunity, expected_version=opportunity.version, changes=changes
    )


@pytest.fixture
def may_frozen_then_changed(merger, rep, other_rep, stages, energy, ops_user):
    """Open deals frozen with May; since then one raised, one moved on and reassigned, one
    deleted, one won and one logged."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    identified, proposal = stages["identified"], stages["proposal"]
    raised = deal(merger, rep, identified, amount="1000", segment=energy, direction=B_TO_A)
    moved = deal(merger, rep, identified, amount="2000", segment=energy, direction=B_TO_A)
    gone = deal(merger, other_rep, proposal, amount="4000", segment=energy, direction=B_TO_A)
    won = deal(merger, other_rep, identified, amount="8000")
    deal(merger, rep, proposal, amount="16000", segment=energy)
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    edit(ops_user, raised, amount=Decimal("1500"))
    edit(ops_user, moved, stage=proposal, owner=other_rep)
    opportunity_delete(actor=ops_user, opportunity=Opportunity.objects.get(pk=gone.pk))
    edit(ops_user, won, stage=stages["won"], closed_on=date(2026, 6, 3))
    late = deal(merger, rep, identified, amount="32000")
    Opportunity.objects.filter(pk=late.pk).update(created_at=timezone.now())
    return MonthlySnapshot.objects.get(merger=merger, month=MAY)


def listed(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.context["count"], response.context["amount"]


def cells(line: SnapshotLine, **match) -> tuple[int, Decimal]:
    chosen = [
        cell
        for cell in map(OpenCell.from_json, line.open_cells)
        if all(getattr(cell, key) == value for key, value in match.items())
    ]
    return sum(cell.count for cell in chosen), sum((cell.amount for cell in chosen), Decimal(0))


def test_the_list_adds_up_to_the_frozen_figures_after_edits_and_deletions(
    client, ops_user, stages, energy, may_frozen_then_changed
):
    program = may_frozen_then_changed.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    identified = stages["identified"].pk
    client.force_login(ops_user)

    assert (program.open_count, program.open_pipeline) == (5, Decimal("31000.00"))
    assert listed(client) == (program.open_count, program.open_pipeline)
    assert (
        listed(client, stage=identified)
        == cells(program, stage_id=identified)
        == (
            3,
            Decimal("11000.00"),
        )
    )
    assert (
        listed(client, segment=energy.pk, direction=B_TO_A)
        == cells(program, segment_id=energy.pk, direction=B_TO_A)
        == (3, Decimal("7000.00"))
    )
    assert listed(client, segment="none") == cells(program, segment_id=None)
    deleted = [row for row in client.get(URL).context["rows"] if not row.exists]
    assert [(row.amount, row.stage) for row in deleted] == [(Decimal("4000.00"), "Proposal")]


def test_a_segment_line_is_listed_as_frozen(client, ops_user, energy, may_frozen_then_changed):
    line = may_frozen_then_changed.lines.get(scope=SnapshotLine.Scope.SEGMENT, key=str(energy.pk))
    client.force_login(ops_user)

    assert listed(client, segment=energy.pk) == (line.open_count, line.open_pipeline)


def test_the_closed_months_dashboard_links_its_open_pipeline_to_the_frozen_list(
    client, ops_user, stages, energy, may_frozen_then_changed
):
    client.force_login(ops_user)
    sections = client.get(reverse("scorecards:dashboard"), {"month": "2026-05"}).context[
        "sections"
    ]

    funnel = [urlsplit(url) for url in sections["funnel"].config["drilldown"]]
    bars = [
        urlsplit(url)
        for trace in sections["segment_direction"].figure["data"]
        for url in trace["meta"]["drilldown"]
    ]
    assert {url.path for url in funnel + bars} == {URL}
    assert {"stage": [str(stages["identified"].pk)]} in [query(url) for url in funnel]
    assert {"segment": [str(energy.pk)], "direction": [B_TO_A]} in [query(url) for url in bars]


def query(url) -> dict:
    # Only the slice: another parameter the list ignores is no concern here.
    return {k: v for k, v in parse_qs(url.query).items() if k in ("stage", "segment", "direction")}


def test_a_rep_lists_the_deals_they_owned_then(client, rep_user, rep, may_frozen_then_changed):
    line = may_frozen_then_changed.lines.get(scope=SnapshotLine.Scope.REP, key=str(rep.pk))
    client.force_login(rep_user)

    response = client.get(URL, {"owner": 999})

    assert "owner" not in response.context["filter"]["form"].fields
    assert (response.context["count"], response.context["amount"]) == (
        line.open_count,
        line.open_pipeline,
    )
    assert line.open_count == 3


def test_a_month_not_closed_has_no_frozen_list(client, ops_user, may_frozen_then_changed):
    client.force_login(ops_user)

    assert client.get(reverse("tracker:pipeline_frozen", args=["2026-06"])).status_code == 404
    assert client.get(reverse("tracker:pipeline_frozen", args=["June"])).status_code == 404


def test_the_query_count_does_not_grow_with_the_deals(
    client, merger, ops_user, rep, other_rep, stages, energy
):
    def queries() -> int:
        MonthlySnapshot.objects.filter(merger=merger, month=MAY).delete()
        snapshot_freeze(merger_id=merger.pk, month=MAY)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    merger.day_one = date(2026, 1, 1)
    merger.save()
    client.force_login(ops_user)
    deal(merger, rep, stages["identified"], amount="1000", segment=energy)
    one = queries()
    for amount in range(2000, 10000, 1000):
        owner = factories.RepFactory(merger=merger, company=other_rep.company)
        deal(merger, owner, stages["proposal"], amount=str(amount), segment=energy)
    assert queries() == one


def test_a_teams_list_is_its_reps_deals_as_teams_stood_at_the_freeze(
    client, ops_user, rep, other_rep, team, may_frozen_then_changed
):
    line = may_frozen_then_changed.lines.get(scope=SnapshotLine.Scope.TEAM, key=str(team.pk))
    # The rep moves to the other team after May was frozen.
    rep.team = other_rep.team
    rep.save()
    client.force_login(ops_user)

    assert (line.open_count, line.open_pipeline) == (3, Decimal("19000.00"))
    assert listed(client, team=team.pk) == (line.open_count, line.open_pipeline)


def test_the_list_keeps_the_stage_order_of_the_freeze(
    client, ops_user, stages, may_frozen_then_changed
):
    # Identified moves after Proposal once May is frozen.
    stages["identified"].order = 50
    stages["identified"].save()
    client.force_login(ops_user)

    rows = client.get(URL).context["rows"]

    assert [row.stage for row in rows] == ["Identified"] * 3 + ["Proposal"] * 2


def test_a_month_frozen_before_its_deals_were_kept_replays_them_and_says_so(
    client, ops_user, may_frozen_then_changed
):
    program = may_frozen_then_changed.lines.get(scope=SnapshotLine.Scope.PROGRAM)
    may_frozen_then_changed.deals.all().delete()
    MonthlySnapshot.objects.filter(pk=may_frozen_then_changed.pk).update(rows_kept=False)
    client.force_login(ops_user)

    response = client.get(URL)

    assert (response.context["count"], response.context["amount"]) == (
        program.open_count,
        program.open_pipeline,
    )
    assert "replayed from the deals' history" in response.content.decode()
