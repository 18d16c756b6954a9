"""A sales leader reviews last month's team dashboard, drills into a chart, sets quotas."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.data import deal, first_of_month, monthly_targets, named, sales_stages
from tests.browser.helpers import expect_chart_drawn, login
from tracker.models import Quota
from tracker.quota_math import QUARTER, period_of

pytestmark = pytest.mark.browser


@pytest.fixture
def team_month(merger, acquirer, acquired, team, rep, rep_user, other_rep, leader_user):
    """Central won one deal last month against two reps' cross-sell quotas.

    The leader leads East too, so that what Central's charts count must be told
    apart from everything the leader sees.
    """
    today = timezone.localdate()
    last_month = first_of_month(today, 1)
    merger.day_one = first_of_month(today, 6)
    merger.save(update_fields=["day_one"])
    named(leader_user, "Lena", "Lindqvist")
    named(rep_user, "Rita", "Reyes")
    named(other_rep.user, "Omar", "Okafor")
    other_rep.team.leader = leader_user
    other_rep.team.save(update_fields=["leader"])
    second = factories.RepFactory(
        merger=merger,
        team=team,
        company=acquirer,
        user=named(factories.UserFactory(username="rep_two"), "Sam", "Sato"),
    )
    stages = sales_stages(merger)
    mining = factories.SegmentFactory(merger=merger, name="Mining")
    analytics = factories.ProductFactory(company=acquired, name="Predictive maintenance")

    def sale(owner, account, stage, amount, **extra):
        return deal(
            merger,
            owner=owner,
            account=account,
            segment=mining,
            product=analytics,
            stage=stages[stage],
            amount=amount,
            **extra,
        )

    sale(rep, "Acme Mining", "Closed won", "40000", closed_on=last_month + dt.timedelta(days=9))
    sale(rep, "Borealis Copper", "Proposal", "60000")
    sale(second, "Cobalt Ridge", "Identified", "25000")
    sale(other_rep, "Eastern Quarry", "Proposal", "99000")
    factories.QuotaFactory(rep=rep, period_start=last_month, cross_sell_amount=Decimal("50000"))
    factories.QuotaFactory(rep=second, period_start=last_month, cross_sell_amount=Decimal("20000"))
    monthly_targets(merger, today=today, amount="10000")
    return last_month


def click_point(page, chart, text: str) -> None:
    """Clicks a drawn bar where a person would: Plotly listens on the layer above it."""
    point = page.locator(f"#{chart} .point", has_text=text)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_a_leader_reviews_last_month_drills_into_a_chart_and_sets_next_quarters_quotas(
    page, team, team_month, rep
):
    login(page, "leader")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Dashboards").click()
    page.get_by_role("navigation", name="Dashboards").get_by_role("link", name="Central").click()
    expect(page.get_by_role("heading", name="Team dashboard: Central")).to_be_visible()
    page.get_by_label("Month", exact=True).select_option(f"{team_month:%Y-%m}")
    page.get_by_role("button", name="Apply").click()

    month = f"{team_month:%B %Y}"
    expect(page.locator(".page-header__meta")).to_contain_text(month)
    expect(page.get_by_role("status")).to_have_text("Not frozen yet: computed from current data.")
    tiles = page.locator(".tiles")
    # Targets are the program's, so a team sees what it won; and Central's own pipeline only.
    expect(tiles.locator(".tile--won_to_date .tile__value")).to_have_text("40,000 USD")
    expect(tiles.locator(".tile--open_pipeline .tile__value")).to_have_text("85,000 USD")
    expect(tiles.locator(".tile--weighted_pipeline .tile__value")).to_have_text("38,500 USD")
    expect(tiles.locator(".tile--attainment .tile__value")).to_have_text("57.1%")
    for chart in (
        "chart-impact",
        "chart-funnel",
        "chart-attainment-teams",
        "chart-attainment-reps",
    ):
        expect_chart_drawn(page, chart)
    wins = page.locator(".wins-feed")
    expect(wins).to_contain_text("Predictive maintenance for Acme Mining")
    expect(wins).to_contain_text("40,000 USD")

    # The Proposal bar of the funnel opens the deals behind it.
    click_point(page, "chart-funnel", "60,000 USD (1)")
    expect(page.get_by_role("heading", name="Team pipeline")).to_be_visible()
    expect(page.get_by_label("Stage", exact=True)).to_have_value(
        str(rep.merger.stages.get(name="Proposal").pk)
    )
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Borealis Copper")
    expect(rows.first).to_contain_text("60,000")

    quarter = period_of(timezone.localdate(), QUARTER).shifted(1)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Quotas").click()
    page.get_by_role("combobox", name="Period").select_option(quarter.code)
    page.get_by_role("button", name="Show").click()
    heading = f"Q{quarter.quarter} {quarter.start.year}"
    expect(page.locator(".page-header__meta")).to_contain_text(heading)
    grid = page.locator("form.quota-grid")
    expect(grid.get_by_role("row")).to_have_count(4)  # the header, Omar, Rita and Sam
    grid.get_by_label("Core quota of Rita Reyes").fill("300000")
    grid.get_by_label("Cross-sell quota of Rita Reyes").fill("90000")
    grid.get_by_label("Core quota of Sam Sato").fill("240000")
    grid.get_by_label("Cross-sell quota of Sam Sato").fill("60000")
    grid.get_by_role("button", name="Save quotas").click()

    expect(page.get_by_text("2 quotas saved.")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts.locator("div", has_text="Cross-sell quota").locator("dd")).to_have_text("150,000")
    expect(facts.locator("div", has_text="Core quota").locator("dd")).to_have_text("540,000")
    board = page.locator("table.quota-board")
    expect(board.get_by_role("row", name="Central")).to_contain_text("150,000")
    expect(page.get_by_label("Cross-sell quota of Rita Reyes")).to_have_value("90000.00")
    expect(grid.get_by_role("link", name="Version 1")).to_have_count(2)

    saved = Quota.objects.filter(period_start=quarter.start).order_by("cross_sell_amount")
    assert [(q.rep.user.username, q.period_kind, q.cross_sell_amount) for q in saved] == [
        ("rep_two", Quota.Period.QUARTER, Decimal("60000.00")),
        ("rep", Quota.Period.QUARTER, Decimal("90000.00")),
    ]
