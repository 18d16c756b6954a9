"""A rep signs in to their home, logs an opportunity from their top whitespace, moves it
along the stage path and the board, and wins it."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services.refresh import merger_analysis_refresh
from tests import factories
from tests.browser.data import sales_stages
from tests.browser.helpers import login
from tests.history import field_lines
from tracker.models import Opportunity, Stage

pytestmark = pytest.mark.browser


@pytest.fixture
def my_candidate(merger, acquirer, acquired, rep, rep_user):
    """Acme Mining, whose relationship the rep owns in Sensa's CRM, lacks Predikt's analytics."""
    rep_user.first_name, rep_user.last_name = "Rita", "Moreau"
    rep_user.save()
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
        company=acquirer,
        unified=account,
        name="Acme Mining",
        is_customer=True,
        relationship_owner="Rita Moreau",
    )
    factories.HoldingFactory(account=record, product=sensors)
    sales_stages(merger)
    merger_analysis_refresh(merger_id=merger.pk, notify=False)
    return account, analytics


def test_a_rep_goes_from_their_home_to_a_won_deal(page, rep, my_candidate):
    account, analytics = my_candidate
    login(page, "rep")

    # Signing in lands on the rep's own home.
    expect(page.get_by_role("heading", name="My home", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="My pipeline")).to_be_visible()
    top = page.get_by_role("region", name="My top whitespace")
    row = top.get_by_role("row", name="Acme Mining")
    expect(row).to_contain_text("Predictive maintenance")
    row.get_by_role("link", name="Log opportunity").click()

    expect(page.get_by_role("heading", name="Log an opportunity")).to_be_visible()
    expect(page.get_by_label("Product")).to_have_value(str(analytics.pk))
    page.get_by_label("Why the customer needs it").fill(
        "Unplanned conveyor stops cost them a shift a month"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Opportunity logged.")).to_be_visible()

    # One click on the stage path moves the deal on.
    path = page.get_by_role("navigation", name="Stage path")
    current = path.locator('[aria-current="step"]')
    expect(current).to_contain_text("Identified")
    path.locator(".stage-path__step--next button").click()
    expect(page.get_by_text("Moved to")).to_be_visible()
    expect(current).not_to_contain_text("Identified")

    # The board shows it in its column; its button moves it on until it is won.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Pipeline").click()
    page.get_by_role("navigation", name="Pipeline pages").get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", name="Pipeline board")).to_be_visible()
    for _step in range(len(Stage.objects.filter(outcome="open"))):
        card = page.locator(".board-card", has_text="Acme Mining")
        if card.count() == 0:
            break
        card.get_by_role("button").click()
        expect(page.get_by_text("Moved to")).to_be_visible()

    opportunity = Opportunity.objects.get(account=account)
    assert opportunity.outcome == Stage.Outcome.WON
    assert (opportunity.amount, opportunity.closed_on) == (
        Decimal("30000.00"),
        timezone.localdate(),
    )
    assert len(field_lines(opportunity, field="stage")) >= 2

    # Back home, the win is there and nothing of the rep's own counts as news.
    page.goto(page.url.split("/pipeline/")[0] + "/me/")
    expect(page.get_by_role("heading", name="My home", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="My pipeline")).to_contain_text("Won this month")
