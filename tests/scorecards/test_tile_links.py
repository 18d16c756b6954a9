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
    stages = factories.stages_of(merger, "identified", "won", "lost")
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
    # Overdue since June 2: not in the rest of the month that coverage counts.
    factories.OpportunityFactory(
        **common,
        account=factories.UnifiedAccountFactory(merger=merger),
        product=factories.ProductFactory(company=rep.company),
        stage=stages["identified"],
        amount=Decimal("900"),
        expected_close=date(2026, 6, 2),
    )
    # June's win and loss: a win rate of 50%.
    for stage, amount in (("won", "1000"), ("lost", "700")):
        factories.OpportunityFactory(
            **common,
            account=factories.UnifiedAccountFactory(merger=merger),
            product=factories.ProductFactory(company=rep.company),
            stage=stages[stage],
            outcome=stage,
            probability=100 if stage == "won" else 0,
            lost_reason="Budget" if stage == "lost" else "",
            amount=Decimal(amount),
            closed_on=date(2026, 6, 8),
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
    assert (listed.open_count, listed.open_amount) == (3, Decimal("10900"))
    assert "10,900" in tiles["open_pipeline"].value
    assert _amounts(client, tiles["realized"].url) == [Decimal("1000"), Decimal("2500")]
    assert tiles["attainment"].url == reverse("tracker:quotas") + "?period=2026-06"
    # The pipeline coverage counts: due from today to the month's end, overdue left out.
    assert _amounts(client, tiles["coverage"].url) == [Decimal("4000"), Decimal("6000")]
    assert tiles["win_rate"].value == "50.0%"
    assert _amounts(client, tiles["win_rate"].url) == [Decimal("700"), Decimal("1000")]


def _amounts(client, url: str) -> list[Decimal]:
    response = client.get(url)
    assert response.status_code == 200, url
    return sorted(deal.amount for deal in response.context["page_obj"].object_list)


def test_a_closed_months_open_pipeline_opens_its_deals_as_they_stood(
    client, merger, ops_user, deals, monkeypatch
):
    freeze_today(monkeypatch)
    snapshot_freeze(merger_id=merger.pk, month=date(2026, 5, 1))

    tiles = _tiles(client, ops_user, month="2026-05")

    url = tiles["open_pipeline"].url
    assert url.startswith(reverse("tracker:pipeline_frozen", args=["2026-05"]))
    listed = client.get(url).context
    assert (listed["count"], listed["amount"]) == (3, Decimal("10900"))
    # Realized to date is frozen; today's list of it is not, so no link.
    assert tiles["realized"].url == ""


def test_a_slice_the_closed_months_list_cannot_filter_gets_no_link(merger):
    links = tile_links(
        merger=merger,
        month=date(2026, 5, 1),
        today=date(2026, 6, 15),
        source="snapshot",
        slice_params={"company": 7, "segment": None},
        has_quota=False,
    )
    assert links == {}
