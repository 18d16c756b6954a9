"""The wins page narrowed to a dashboard's slice (segment, team, rep, direction, company):
a closed month's wins as its snapshot replays them, an open month's live, each adding up
to the slice's realized synergy of the month."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tracker.models import MonthlySnapshot, Opportunity, SnapshotLine, Stage
from tracker.services.opportunities import opportunity_update
from tracker.services.snapshots import snapshot_freeze

MAY = date(2026, 5, 1)
URL = reverse("tracker:wins")


@pytest.fixture
def program(merger, rep, ops_user):
    return sliced_program(merger, rep, ops_user)


def sliced_program(merger, rep, ops_user) -> dict:
    """Three May wins over two segments, two teams and both directions, May frozen, then
    the first one raised from 5,000 to 8,000: a restatement, not May's."""
    merger.day_one = date(2026, 1, 1)
    merger.save()
    won = factories.stages_of(merger, "won")["won"]
    mills, mines = (factories.SegmentFactory(merger=merger, name=n) for n in ("Mills", "Mines"))
    other = factories.RepFactory(merger=merger, company=rep.company)
    deals = {
        name: factories.OpportunityFactory(
            merger=merger,
            owner=owner,
            segment=segment,
            direction=direction,
            account=factories.UnifiedAccountFactory(merger=merger),
            product=factories.ProductFactory(company=rep.company),
            stage=won,
            outcome=Stage.Outcome.WON,
            probability=100,
            amount=Decimal(amount),
            closed_on=on,
            created_at=timezone.make_aware(datetime(2026, 4, 2)),
        )
        for name, owner, segment, direction, amount, on in (
            ("raised", rep, mills, "a_to_b", "5000", date(2026, 5, 20)),
            ("mine", other, mines, "b_to_a", "3000", date(2026, 5, 10)),
            ("mill", other, mills, "b_to_a", "2000", date(2026, 5, 5)),
        )
    }
    snapshot_freeze(merger_id=merger.pk, month=MAY)
    raised = deals["raised"]
    opportunity_update(
        actor=ops_user,
        opportunity=Opportunity.objects.get(pk=raised.pk),
        expected_version=raised.version,
        changes={"amount": Decimal("8000")},
    )
    return {"mills": mills, "rep": rep, "other": other, **deals}


def _line(merger, scope: str, key) -> Decimal:
    return SnapshotLine.objects.get(
        snapshot=MonthlySnapshot.objects.get(merger=merger, month=MAY), scope=scope, key=str(key)
    ).realized_synergy


def test_a_closed_months_slice_lists_its_wins_as_frozen_adding_up_to_its_line(
    client, rep_user, merger, program
):
    client.force_login(rep_user)
    rep, mills = program["rep"], program["mills"]
    cases = [
        ({"segment": mills.pk}, ["raised", "mill"], ("segment", mills.pk)),
        ({"team": rep.team_id}, ["raised"], ("team", rep.team_id)),
        ({"direction": "b_to_a"}, ["mine", "mill"], ("direction", "b_to_a")),
        ({"owner": program["other"].pk}, ["mine", "mill"], ("rep", program["other"].pk)),
    ]
    for params, names, (scope, key) in cases:
        page = client.get(URL, {"month": "2026-05", **params}).context
        assert [win.opportunity_id for win in page["wins"]] == [program[n].pk for n in names]
        totals = page["totals"]
        assert totals.won_count == len(names), params
        assert (
            totals.won_amount
            == sum(win.amount for win in page["wins"])
            == _line(merger, scope, key)
        ), params
    # The raised deal as it stood at the close, not as it is now.
    assert _line(merger, "segment", mills.pk) == Decimal("7000.00")


def test_an_open_months_slice_lists_its_live_wins(client, rep_user, merger, program):
    # June is not frozen: its wins as they stand.
    Opportunity.objects.filter(pk=program["mill"].pk).update(closed_on=date(2026, 6, 2))
    client.force_login(rep_user)

    page = client.get(URL, {"month": "2026-06", "segment": program["mills"].pk}).context

    assert page["frozen_at"] is None
    assert [win.opportunity_id for win in page["wins"]] == [program["mill"].pk]
    assert page["totals"].won_amount == Decimal("2000.00")
    other = client.get(URL, {"month": "2026-06", "direction": "a_to_b"}).context
    assert (other["wins"], other["totals"].won_amount) == ([], Decimal("0"))


def test_a_choice_of_another_program_lists_nothing(client, rep_user, program):
    client.force_login(rep_user)
    elsewhere = factories.SegmentFactory()

    page = client.get(URL, {"month": "2026-05", "segment": elsewhere.pk}).context

    assert (page["wins"], page["totals"].won_count) == ([], 0)


def test_the_month_links_keep_the_slice(client, rep_user, program):
    client.force_login(rep_user)

    html = client.get(URL, {"month": "2026-05", "segment": program["mills"].pk}).content
    assert f'href="?month=2026-04&amp;segment={program["mills"].pk}"'.encode() in html


@pytest.mark.parametrize("month", ["2026-05", "2026-06"])
def test_a_slices_query_count_does_not_grow_with_wins(client, rep_user, merger, program, month):
    client.force_login(rep_user)
    params = {"month": month, "segment": program["mills"].pk, "team": program["rep"].team_id}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    one = queries()
    for day in range(1, 6):
        factories.OpportunityFactory(
            merger=merger,
            owner=factories.RepFactory(merger=merger, team=program["rep"].team),
            segment=program["mills"],
            stage=factories.stages_of(merger, "won")["won"],
            outcome=Stage.Outcome.WON,
            direction="a_to_b",
            amount=Decimal("100"),
            closed_on=date(2026, 5 if month == "2026-05" else 6, day),
        )
    assert queries() == one


def test_the_month_travels_hidden_with_the_filters_without_a_label(client, rep_user, program):
    client.force_login(rep_user)
    html = client.get(reverse("tracker:wins"), {"month": "2026-05"}).content.decode()
    form = html.split('class="filters"')[1].split("</form>")[0]
    assert '<input type="hidden" name="month" value="2026-05"' in form
    assert 'for="id_month"' not in form


def test_reset_clears_the_filters_and_keeps_the_month(client, rep_user, program):
    client.force_login(rep_user)
    page = client.get(reverse("tracker:wins"), {"month": "2026-05", "direction": "a_to_b"})
    form = page.content.decode().split('class="filters"')[1].split("</form>")[0]
    assert f'href="{reverse("tracker:wins")}?month=2026-05"' in form


def test_a_teams_closed_month_wins_are_its_reps_as_teams_stood_at_the_freeze(
    client, executive_user, merger, program
):
    rep = program["rep"]
    team = rep.team
    # The rep moves to a new team after May was frozen.
    rep.team = factories.TeamFactory(merger=merger, name="New")
    rep.save()
    client.force_login(executive_user)

    page = client.get(URL, {"month": "2026-05", "team": team.pk}).context

    assert [win.opportunity_id for win in page["wins"]] == [program["raised"].pk]
    assert page["totals"].won_amount == _line(merger, "team", team.pk) == Decimal("5000.00")
