"""A rep opens the whitespace, logs an opportunity from a candidate cell and wins it."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Direction
from accounts.services.refresh import merger_analysis_refresh
from tests import factories
from tests.browser.data import sales_stages
from tests.browser.helpers import expect_chart_drawn, login
from tracker.models import Opportunity, Stage

pytestmark = pytest.mark.browser


@pytest.fixture
def candidate(merger, acquirer, acquired, rep):
    """Acme Mining owns Sensa's sensors but not Predikt's analytics, which the map pairs."""
    mining = factories.SegmentFactory(merger=merger, name="Mining")
    sensors = factories.ProductFactory(company=acquirer, name="Vibration sensors")
    analytics = factories.ProductFactory(
        company=acquired,
        name="Predictive maintenance",
        typical_deal_size=Decimal("30000.00"),
        typical_cycle_days=60,
    )
    factories.ProductMappingFactory(
        merger=merger, source=sensors, target=analytics, reason="Sensor data feeds the analytics"
    )
    account = factories.UnifiedAccountFactory(merger=merger, name="Acme Mining", segment=mining)
    record = factories.SourceAccountFactory(
        company=acquirer, unified=account, name="Acme Mining", is_customer=True
    )
    factories.HoldingFactory(account=record, product=sensors)
    sales_stages(merger)
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    return account, analytics


def test_a_rep_logs_an_opportunity_from_the_whitespace_and_closes_it_won(page, rep, candidate):
    account, analytics = candidate
    login(page, "rep")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Whitespace").click()
    expect(page.get_by_role("heading", name="Whitespace", exact=True)).to_be_visible()
    expect_chart_drawn(page, "whitespace-heatmap")
    row = page.get_by_role("row", name=re.compile("^Acme Mining"))
    expect(row).to_contain_text("Owned")
    expect(row.locator(".whitespace-cell--candidate")).to_contain_text("Cross-sell")
    row.get_by_role("link", name="30,000").click()

    expect(page.get_by_role("heading", name="Log an opportunity")).to_be_visible()
    expect(page.get_by_text("Why this account is a candidate: Sensor data feeds")).to_be_visible()
    expect(page.get_by_label("Product")).to_have_value(str(analytics.pk))
    # The direction is shown, not asked: it follows from the Day-1 install base.
    expect(page.get_by_text(str(Direction.B_TO_A.label))).to_be_visible()
    expect(page.get_by_label("Amount")).to_have_value("30000.00")
    page.get_by_label("Why the customer needs it").fill(
        "Unplanned conveyor stops cost them a shift a month"
    )
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Opportunity logged.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Predictive maintenance for Acme Mining")
    ).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts.locator("div", has_text="Amount (USD)").locator("dd")).to_have_text("30,000")
    expect(facts.locator("div", has_text="Source").locator("dd")).to_have_text(
        "From a whitespace cell"
    )
    expect(page.locator(".page-header .stage")).to_have_text("Identified")

    won_amount = page.get_by_label("Won amount")
    expect(won_amount).to_be_hidden()
    page.get_by_label("Move to stage").select_option(label="Closed won")
    expect(won_amount).to_be_visible()
    won_amount.fill("28500")
    today = timezone.localdate()
    page.get_by_label("Close date").fill(today.isoformat())
    page.get_by_role("button", name="Move").click()

    expect(page.get_by_text("Moved to Closed won.")).to_be_visible()
    expect(page.locator(".page-header .stage")).to_have_text("Closed won")
    expect(facts.locator("div", has_text="Amount (USD)").locator("dd")).to_have_text("28,500")
    expect(facts.locator("div", has_text="Probability").locator("dd")).to_have_text("100 %")
    expect(facts.locator("div", has_text="Closed on")).to_be_visible()
    expect(page.locator("ol.timeline")).to_contain_text("Closed won")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()

    opportunity = Opportunity.objects.get(account=account)
    assert (opportunity.outcome, opportunity.amount, opportunity.closed_on) == (
        Stage.Outcome.WON,
        Decimal("28500.00"),
        today,
    )
    assert (opportunity.source, opportunity.owner) == (Opportunity.Source.WHITESPACE, rep)
