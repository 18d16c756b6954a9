"""Each dashboard tile whose figure a list adds up to links to that list: the open
pipeline to the open deals of the slice (a closed month's as they stood), realized
synergy to the deals it sums while the month runs, attainment to the quota page."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scorecards.views.tile_links import tile_links
from tests import factories
from tests.scorecards.dashboard_program import freeze_today
from tracker.models import Stage, SynergyTarget
from tracker.services.snapshots import snapshot_freeze


@pytest.fixture
def deals(merger, rep):
    merger.day_one = date(2026, 1, 1)
    merger.save()
    SynergyTarget.objects.create(merger=merger, month=date(2026, 5, 1), cross_sell=Decimal("5000"))
    factories.QuotaFactory(rep=rep, period_start=date(2026, 6, 1))
    stages = factories.stages_of(merger, "identified", "won")
    common = {
        "merger": merger,
        "owner": rep,
        "created_at": timezone.make_aware(datetime(2026, 4, 2)),
    }
    for amount in ("4000", "6000"):
        factories.OpportunityFactory(
            **common,
            account=factories.UnifiedAccountFactory(merger=merger),
            product=factories.ProductFactory(company=rep.company),
            stage=stages["identified"],
            amount=Decimal(amount),
            expected_close=date(2026, 6, 28),
        )
    factories.OpportunityFactory(
        **common,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=rep.company),
        stage=stages["won"],
        outcome=Stage.Outcome.WON,
        probability=100,
        amount=Decimal("2500"),
        closed_on=date(2026, 5, 20),
    )


def _tiles(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("scorecards:dashboard"), query)
    return {tile.key: tile for tile in response.context["tiles"]}


def test_the_live_months_open_pipeline_and_realized_tiles_open_lists_that_add_up(
    client, ops_user, deals, monkeypatch
):
    freeze_today(monkeypatch)
    tiles = _tiles(client, ops_user)

    listed = client.get(tiles["open_pipeline"].url).context["figures"]
    assert (listed.open_count, listed.open_amount) == (2, Decimal("10000"))
    assert "10,000" in tiles["open_pipeline"].value
    response = client.get(tiles["realized"].url)
    assert response.status_code == 200, (tiles["realized"].url, response.status_code)
    realized = response.context["page_obj"].object_list
    assert [deal.amount for deal in realized] == [Decimal("2500")]
    assert tiles["attainment"].url == reverse("tracker:quotas") + "?period=2026-06"
    # No list filters deals by the dates coverage and win rate read.
    assert tiles["coverage"].url == tiles["win_rate"].url == ""


def test_a_closed_months_open_pipeline_opens_its_deals_as_they_stood(
    client, merger, ops_user, deals, monkeypatch
):
    freeze_today(monkeypatch)
    snapshot_freeze(merger_id=merger.pk, month=date(2026, 5, 1))

    tiles = _tiles(client, ops_user, month="2026-05")

    url = tiles["open_pipeline"].url
    assert url.startswith(reverse("tracker:pipeline_frozen", args=["2026-05"]))
    listed = client.get(url).context
    assert (listed["count"], listed["amount"]) == (2, Decimal("10000"))
    # Realized to date is frozen; today's list of it is not, so no link.
    assert tiles["realized"].url == ""


def test_a_slice_the_closed_months_list_cannot_filter_gets_no_link(merger):
    links = tile_links(
        merger=merger,
        month=date(2026, 5, 1),
        source="snapshot",
        slice_params={"company": 7, "segment": None},
        has_quota=False,
    )
    assert links == {}
