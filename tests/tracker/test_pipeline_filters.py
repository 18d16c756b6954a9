"""The pipeline list narrowed to a team (with the teams below it) or to one company's products."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tracker.figures import realized_q
from tracker.models import Opportunity, Stage
from tracker.selectors.metrics import Dimension, pipeline_figures
from tracker.views.filters import realized_list_params


@pytest.fixture
def deals(merger, acquirer, acquired, team, rep, other_rep):
    """One open deal each for Central, a team reporting to Central, and East."""
    stage = factories.StageFactory(merger=merger, name="Proposal", order=2, probability=50)
    north = factories.TeamFactory(merger=merger, name="Central North", parent=team)
    north_rep = factories.RepFactory(merger=merger, team=north, company=acquirer)
    sensors = factories.ProductFactory(company=acquirer, name="Sensors")
    analytics = factories.ProductFactory(company=acquired, name="Analytics")

    def deal(owner, product, amount):
        return factories.OpportunityFactory(
            merger=merger, owner=owner, product=product, stage=stage, amount=Decimal(amount)
        )

    return {
        "central": deal(rep, sensors, "10000"),
        "north": deal(north_rep, analytics, "20000"),
        "east": deal(other_rep, analytics, "40000"),
    }


def listed(response) -> set[Opportunity]:
    return set(response.context["page_obj"].object_list)


def test_the_pipeline_of_a_team_lists_its_reps_and_the_teams_below_it(
    client, ops_user, team, deals
):
    client.force_login(ops_user)
    response = client.get(reverse("tracker:pipeline"), {"team": team.pk})
    assert listed(response) == {deals["central"], deals["north"]}
    assert response.context["figures"].open_amount == Decimal("30000.00")


def test_the_pipeline_lists_one_companys_products(client, ops_user, acquired, deals):
    client.force_login(ops_user)
    response = client.get(reverse("tracker:pipeline"), {"company": acquired.pk})
    assert listed(response) == {deals["north"], deals["east"]}
    assert response.context["figures"].open_amount == Decimal("60000.00")


def test_a_reps_own_list_offers_no_team_to_choose(client, rep_user, deals):
    client.force_login(rep_user)
    response = client.get(reverse("tracker:pipeline"))
    assert "team" not in response.context["filter"].form.fields
    assert listed(response) == {deals["central"]}


def test_the_summary_counts_only_the_rows_a_search_and_stage_leave_in_view(
    client, ops_user, merger, deals
):
    identified = factories.StageFactory(merger=merger, name="Identified", order=1)
    Opportunity.objects.filter(pk=deals["east"].pk).update(stage=identified)
    client.force_login(ops_user)

    searched = client.get(reverse("tracker:pipeline"), {"q": "Sensors"})
    staged = client.get(reverse("tracker:pipeline"), {"stage": deals["north"].stage_id})

    assert listed(searched) == {deals["central"]}
    assert searched.context["figures"].open_amount == Decimal("10000.00")
    assert listed(staged) == {deals["central"], deals["north"]}
    assert staged.context["figures"].open_amount == Decimal("30000.00")


def test_the_summary_reading_open_and_this_months_deals_equals_every_rows_figures(
    client, ops_user, merger, rep, deals
):
    today = timezone.localdate()
    this_month, long_ago = today.replace(day=1), today - dt.timedelta(days=400)
    won = factories.StageFactory(
        merger=merger,
        name="Won",
        order=8,
        probability=100,
        outcome=Stage.Outcome.WON,
        forecast_category=Stage.Forecast.CLOSED,
    )
    lost = factories.StageFactory(
        merger=merger,
        name="Lost",
        order=9,
        probability=0,
        outcome=Stage.Outcome.LOST,
        forecast_category=Stage.Forecast.OMITTED,
    )
    for stage, closed_on, amount in [
        (won, this_month, "1000"),
        (won, today, "2000"),
        (won, long_ago, "4000"),
        (lost, this_month, "8000"),
        (lost, long_ago, "16000"),
    ]:
        factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            stage=stage,
            outcome=stage.outcome,
            probability=100 if stage == won else 0,
            amount=Decimal(amount),
            closed_on=closed_on,
            created_at=timezone.now() - dt.timedelta(days=30),
            lost_reason="Budget" if stage == lost else "",
        )
    Opportunity.objects.filter(pk=deals["east"].pk).update(
        progressed_at=timezone.now() - dt.timedelta(days=365)
    )
    client.force_login(ops_user)
    figures = client.get(reverse("tracker:pipeline")).context["figures"]
    every_row = pipeline_figures(
        merger=merger,
        by=Dimension.PROGRAM,
        closed_from=this_month,
        closed_to=today,
        today=today,
        opportunities=Opportunity.objects.all(),
    )["program"]
    assert figures == every_row
    assert (figures.open_count, figures.won_count, figures.lost_count) == (3, 2, 1)
    assert figures.won_amount == Decimal("3000.00")
    assert figures.stale_count == 1


def test_the_realized_filters_list_the_deals_realized_synergy_sums(client, ops_user, merger, rep):
    """Won cross-company deals closed from Day 1 (2026-01-01) to the end: realized_q's."""
    stages = factories.stages_of(merger, "identified", "won", "lost")
    cases = {
        # name: (outcome, direction, closed on)
        "on day one": ("won", "a_to_b", dt.date(2026, 1, 1)),
        "on the last day": ("won", "b_to_a", dt.date(2026, 2, 28)),
        "before day one": ("won", "a_to_b", dt.date(2025, 12, 31)),
        "after the end": ("won", "b_to_a", dt.date(2026, 3, 1)),
        "within one company": ("won", "within", dt.date(2026, 2, 1)),
        "lost": ("lost", "a_to_b", dt.date(2026, 2, 1)),
        "open": ("identified", "a_to_b", None),
    }
    deals = {
        name: factories.OpportunityFactory(
            merger=merger,
            owner=rep,
            stage=stages[stage],
            outcome=stages[stage].outcome,
            direction=direction,
            closed_on=closed_on,
            lost_reason="Budget" if stage == "lost" else "",
        )
        for name, (stage, direction, closed_on) in cases.items()
    }
    closed_to = dt.date(2026, 2, 28)
    realized = set(
        Opportunity.objects.filter(realized_q(closed_from=merger.day_one, closed_to=closed_to))
    )
    assert realized == {deals["on day one"], deals["on the last day"]}
    client.force_login(ops_user)
    url = reverse("tracker:pipeline")
    params = realized_list_params(merger=merger, closed_to=closed_to)
    assert listed(client.get(url, params)) == realized
    assert listed(client.get(url, {"direction": "cross_company"})) == set(deals.values()) - {
        deals["within one company"]
    }
    # Filtering is the database's: the page's queries stay those of the unfiltered list.
    with CaptureQueriesContext(connection) as unfiltered:
        client.get(url)
    with CaptureQueriesContext(connection) as filtered:
        client.get(url, params)
    assert len(filtered) == len(unfiltered)
