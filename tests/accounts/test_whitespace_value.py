"""Whitespace value from the install base, the upsell rule, and whitespace for prospects."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Holding, ProductMapping, ProductSpend, UnifiedAccount, WhitespaceCell
from accounts.selectors.whitespace import CellState, whitespace_matrix
from accounts.services.refresh import merger_analysis_refresh
from accounts.services.whitespace_sql import SEGMENT_FIT_MIN_PERCENT, VALUE_MIN_SAMPLE
from tests import factories
from tests.accounts.install_base import record

Basis = WhitespaceCell.ValueBasis


@pytest.fixture
def segment(merger):
    return factories.SegmentFactory(merger=merger, name="Utilities")


@pytest.fixture
def other_segment(merger):
    return factories.SegmentFactory(merger=merger, name="Mining")


@pytest.fixture
def products(acquirer, acquired):
    return {
        "sensor": factories.ProductFactory(
            company=acquirer, name="Sensor", typical_deal_size=Decimal("20000")
        ),
        "sensor_pro": factories.ProductFactory(
            company=acquirer, name="Sensor Pro", typical_deal_size=Decimal("24000")
        ),
        "analytics": factories.ProductFactory(
            company=acquired, name="Analytics", typical_deal_size=Decimal("50000")
        ),
        "support": factories.ProductFactory(
            company=acquired, name="Support plan", typical_deal_size=Decimal("3000")
        ),
    }


@pytest.fixture
def product_map(merger, products):
    factories.ProductMappingFactory(
        merger=merger, source=products["sensor"], target=products["analytics"]
    )
    factories.ProductMappingFactory(
        merger=merger,
        source=products["sensor"],
        target=products["sensor_pro"],
        relation=ProductMapping.Relation.UPGRADE,
    )


def owners(merger, company, product, segment, revenues, **fields):
    """One customer per revenue in `segment`, each owning `product` for that revenue a year."""
    accounts = []
    for revenue in revenues:
        account = factories.UnifiedAccountFactory(merger=merger, segment=segment)
        source = record(account, company, is_customer=True, **fields)
        factories.HoldingFactory(account=source, product=product, annual_revenue=Decimal(revenue))
        accounts.append(account)
    return accounts


def buyer(merger, acquirer, products, segment, revenue="12000"):
    """An acquirer customer owning the sensor (mapped to analytics and upgraded by Sensor Pro)."""
    (account,) = owners(merger, acquirer, products["sensor"], segment, [revenue])
    return account


def cell(account, product) -> WhitespaceCell:
    return WhitespaceCell.objects.get(account=account, product=product)


def refresh(merger):
    merger_analysis_refresh(merger_id=merger.pk, notify=False)


def test_value_is_the_median_of_what_the_segments_owners_pay(
    merger, acquirer, acquired, products, product_map, segment
):
    owners(merger, acquired, products["analytics"], segment, [10, 20, 30, 40, 90])
    account = buyer(merger, acquirer, products, segment)
    refresh(merger)

    analytics = cell(account, products["analytics"])
    assert (analytics.potential_value, analytics.value_basis) == (Decimal("30.00"), Basis.SEGMENT)


def test_an_even_sample_takes_the_mean_of_the_middle_two(
    merger, acquirer, acquired, products, product_map, segment
):
    owners(merger, acquired, products["analytics"], segment, [10, 20, 30, 41, 50, 60])
    account = buyer(merger, acquirer, products, segment)
    refresh(merger)

    assert cell(account, products["analytics"]).potential_value == Decimal("35.50")


def test_what_an_account_pays_sums_its_crm_records_and_won_deals_do_not_count(
    merger, acquirer, acquired, products, product_map, segment
):
    accounts = owners(merger, acquired, products["analytics"], segment, [10, 20, 30, 40, 50])
    # A second record of the first account: it pays 10 + 100 = 110, now the largest.
    extra = record(accounts[0], acquired)
    factories.HoldingFactory(account=extra, product=products["analytics"], annual_revenue=100)
    won = factories.UnifiedAccountFactory(merger=merger, segment=segment)
    factories.HoldingFactory(
        account=record(won, acquired),
        product=products["analytics"],
        annual_revenue=Decimal("1"),
        origin=Holding.Origin.WON_DEAL,
        since="2026-02-01",
    )
    account = buyer(merger, acquirer, products, segment)
    refresh(merger)

    spend = ProductSpend.objects.get(segment=segment, product=products["analytics"])
    assert (spend.owners, spend.paying, spend.median_revenue) == (5, 5, Decimal("40.00"))
    assert cell(account, products["analytics"]).potential_value == Decimal("40.00")


def test_too_few_in_the_segment_takes_the_programs_median(
    merger, acquirer, acquired, products, product_map, segment, other_segment
):
    owners(merger, acquired, products["analytics"], segment, [10] * (VALUE_MIN_SAMPLE - 1))
    owners(merger, acquired, products["analytics"], other_segment, [70, 80, 90, 100])
    account = buyer(merger, acquirer, products, segment)
    refresh(merger)

    analytics = cell(account, products["analytics"])
    # Over 4 x 10, 70, 80, 90, 100 the middle two are 10 and 70.
    assert (analytics.potential_value, analytics.value_basis) == (Decimal("40.00"), Basis.PROGRAM)


def test_too_few_anywhere_falls_back_to_the_typical_deal_size_and_says_so(
    merger, acquirer, acquired, products, product_map, segment
):
    owners(merger, acquired, products["analytics"], segment, [10, 20])
    # Owners without a known revenue count as owners, not as the median's sample.
    owners(merger, acquired, products["analytics"], segment, [0, 0, 0])
    account = buyer(merger, acquirer, products, segment)
    refresh(merger)

    analytics = cell(account, products["analytics"])
    assert (analytics.potential_value, analytics.value_basis) == (
        Decimal("50000.00"),
        Basis.TYPICAL_DEAL,
    )
    row = next(
        r for r in whitespace_matrix(merger=merger, segment=segment).rows if r.id == account.pk
    )
    shown = next(c for c in row.cells if c.product_id == products["analytics"].pk)
    assert shown.state == CellState.CANDIDATE
    assert shown.value_basis_label == "The product's typical deal size (too few owners)"


def test_the_api_names_the_value_basis(merger, acquirer, products, product_map, segment, rep_user):
    account = buyer(merger, acquirer, products, segment)
    refresh(merger)
    client = APIClient()
    client.force_authenticate(rep_user)

    response = client.get(
        "/api/v1/whitespace/", {"merger": merger.pk, "account": account.pk, "kind": "cross_sell"}
    )

    assert response.status_code == 200, response.content
    (row,) = response.json()["results"]
    assert (row["value_basis"], row["value_basis_label"]) == (
        "typical_deal",
        "The product's typical deal size (too few owners)",
    )


@pytest.mark.parametrize(
    ("pays", "value", "basis"),
    [
        # 25% of 12,000 is below Sensor Pro's 24,000: the upsell is worth 3,000.
        ("12000", Decimal("3000.00"), Basis.UPSELL_CAP),
        # 25% of 200,000 is more than the estimate: the estimate stands.
        ("200000", Decimal("24000.00"), Basis.TYPICAL_DEAL),
        # What the account pays is unknown: nothing to cap by.
        ("0", Decimal("24000.00"), Basis.TYPICAL_DEAL),
    ],
)
def test_an_upsell_is_worth_at_most_a_quarter_of_what_the_account_pays_now(
    merger, acquirer, products, product_map, segment, pays, value, basis
):
    account = buyer(merger, acquirer, products, segment, revenue=pays)
    refresh(merger)

    sensor_pro = cell(account, products["sensor_pro"])
    assert sensor_pro.kind == "upsell"
    assert (sensor_pro.potential_value, sensor_pro.value_basis) == (value, basis)


@pytest.fixture
def segment_customers(merger, acquirer, acquired, products, segment):
    """Ten customers: six own analytics (60%), two the support plan (20%), all a sensor."""
    assert SEGMENT_FIT_MIN_PERCENT == 25
    sensor_owners = owners(merger, acquirer, products["sensor"], segment, [10] * 10)
    for i, account in enumerate(sensor_owners):
        source = record(account, acquired)
        if i < 6:
            factories.HoldingFactory(account=source, product=products["analytics"])
        if i < 2:
            factories.HoldingFactory(account=source, product=products["support"])
    return sensor_owners


def test_prospects_and_greenfield_accounts_get_what_their_segments_customers_buy(
    merger, acquirer, products, segment, segment_customers
):
    prospect = factories.UnifiedAccountFactory(merger=merger, segment=segment)
    record(prospect, acquirer, is_customer=False)
    greenfield = factories.UnifiedAccountFactory(merger=merger, segment=segment)
    unsegmented = factories.UnifiedAccountFactory(merger=merger)
    refresh(merger)

    for account in (prospect, greenfield):
        account.refresh_from_db()
        assert account.status in (UnifiedAccount.Status.PROSPECT, UnifiedAccount.Status.NEITHER)
        cells = {c.product.name: c for c in account.whitespace.select_related("product")}
        # The sensor (owned by all ten) and analytics (six); not the support plan (two).
        assert set(cells) == {"Sensor", "Analytics"}
        analytics = cells["Analytics"]
        assert analytics.via is None
        assert (analytics.kind, analytics.direction) == ("cross_sell", "b_to_a")
        assert cells["Sensor"].direction == "a_to_b"
        # Valued like everyone's: the segment's median (the factory's 12,000 a year).
        assert (analytics.potential_value, analytics.value_basis) == (
            Decimal("12000.00"),
            Basis.SEGMENT,
        )
    assert not unsegmented.whitespace.exists()


def test_a_customer_gets_whitespace_from_the_product_map_only(
    merger, acquirer, products, segment, segment_customers
):
    customer = segment_customers[-1]  # owns a sensor; nothing maps from it here
    refresh(merger)
    assert not customer.whitespace.exists()


def test_the_grid_says_a_prospect_cell_fits_the_segment(
    merger, products, segment, segment_customers
):
    greenfield = factories.UnifiedAccountFactory(merger=merger, segment=segment, name="Zeta")
    refresh(merger)

    row = next(
        r for r in whitespace_matrix(merger=merger, segment=segment).rows if r.id == greenfield.pk
    )
    analytics = next(c for c in row.cells if c.product_id == products["analytics"].pk)
    assert analytics.state == CellState.CANDIDATE
    assert analytics.reason == "Fits the segment: most of its customers own it."
    assert analytics.via_source_name == ""
