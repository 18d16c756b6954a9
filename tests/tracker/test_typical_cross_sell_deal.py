"""The typical cross-sell deal as EXISTS per product equals its plain definition."""

from decimal import Decimal

from django.db.models import Avg

from accounts.models import Kind, Product
from tests import factories
from tracker.models import Opportunity
from tracker.selectors.compensation import typical_cross_sell_deal


def _by_definition(merger) -> Decimal:
    """Average typical deal size of the products offered in cross-sell deals, else of all."""
    products = Product.objects.filter(company__merger=merger)
    offered_ids = set(
        Opportunity.objects.filter(merger=merger, kind=Kind.CROSS_SELL).values_list(
            "product_id", flat=True
        )
    )
    offered = products.filter(pk__in=offered_ids).aggregate(a=Avg("typical_deal_size"))["a"]
    every = products.aggregate(a=Avg("typical_deal_size"))["a"]
    value = offered if offered is not None else every
    return Decimal(value or 0).quantize(Decimal("0.01"))


def test_before_any_cross_sell_every_product_counts(merger, acquirer, acquired):
    factories.ProductFactory(company=acquirer, typical_deal_size=Decimal("10000"))
    factories.ProductFactory(company=acquired, typical_deal_size=Decimal("20001"))
    assert typical_cross_sell_deal(merger=merger) == Decimal("15000.50") == _by_definition(merger)


def test_only_products_offered_in_this_programs_cross_sells_count(merger, acquirer, acquired):
    offered = factories.ProductFactory(company=acquirer, typical_deal_size=Decimal("10000"))
    twice = factories.ProductFactory(company=acquired, typical_deal_size=Decimal("30000"))
    upsold = factories.ProductFactory(company=acquired, typical_deal_size=Decimal("90000"))
    factories.ProductFactory(company=acquirer, typical_deal_size=Decimal("70000"))
    factories.OpportunityFactory(merger=merger, product=offered, kind=Kind.CROSS_SELL)
    factories.OpportunityFactory(merger=merger, product=twice, kind=Kind.CROSS_SELL)
    factories.OpportunityFactory(merger=merger, product=twice, kind=Kind.CROSS_SELL)
    factories.OpportunityFactory(merger=merger, product=upsold, kind=Kind.UPSELL)
    # Another program's cross-sell of a product of this one does not count.
    factories.OpportunityFactory(product=upsold, kind=Kind.CROSS_SELL)

    assert typical_cross_sell_deal(merger=merger) == Decimal("20000.00") == _by_definition(merger)
