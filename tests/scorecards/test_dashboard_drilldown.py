"""A chart's drill-down lists what the chart counted, on a team's dashboard too."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def proposals(merger, acquired, team, rep, other_rep, leader_user):
    """One proposal each for Central and East; the leader leads both teams."""
    other_rep.team.leader = leader_user
    other_rep.team.save(update_fields=["leader"])
    stage = factories.StageFactory(merger=merger, name="Proposal", order=2, probability=50)
    product = factories.ProductFactory(company=acquired)
    return [
        factories.OpportunityFactory(
            merger=merger, owner=owner, product=product, stage=stage, amount=Decimal(amount)
        )
        for owner, amount in ((rep, "10000"), (other_rep, "40000"))
    ]


def test_a_team_dashboards_funnel_opens_that_teams_deals_only(
    client, leader_user, team, proposals
):
    central, _east = proposals
    client.force_login(leader_user)
    page = client.get(reverse("scorecards:team_dashboard", args=[team.pk]))
    assert list(page.context["dashboard"].funnel.counts) == [1]
    [stage_url] = page.context["sections"]["funnel"].config["drilldown"]
    assert f"team={team.pk}" in stage_url

    listed = client.get(stage_url).context["page_obj"].object_list
    assert list(listed) == [central]


def test_the_products_filter_travels_with_the_drill_down(
    client, executive_user, acquired, proposals
):
    client.force_login(executive_user)
    page = client.get(reverse("scorecards:dashboard"), {"company": acquired.pk})
    [stage_url] = page.context["sections"]["funnel"].config["drilldown"]
    assert f"company={acquired.pk}" in stage_url
