"""Builders for install-base scenarios shared by the overlap, product map and whitespace tests."""

from accounts.models import LegacyCompany, Product, SourceAccount, UnifiedAccount
from tests import factories


def record(
    unified: UnifiedAccount,
    company: LegacyCompany,
    *products: Product,
    is_customer: bool = True,
    **fields,
) -> SourceAccount:
    """A CRM record of `company` grouped into `unified`, holding `products`."""
    source = factories.SourceAccountFactory(
        company=company, unified=unified, is_customer=is_customer, **fields
    )
    for product in products:
        factories.HoldingFactory(account=source, product=product)
    return source


def account_owning(merger, company, *products, segment=None, name=None) -> UnifiedAccount:
    """A unified account that is a customer of `company` and holds `products` there."""
    extra = {"name": name} if name else {}
    unified = factories.UnifiedAccountFactory(merger=merger, segment=segment, **extra)
    record(unified, company, *products)
    return unified


def customers_of_both(
    merger, acquirer, acquired, source, target, *, owners: int, co_owners: int, others: int
):
    """`owners` customers of both own `source` (`co_owners` of them `target` too);
    `others` customers of both own neither, but something else of each company."""
    for i in range(owners):
        account = account_owning(merger, acquirer, source)
        record(account, acquired, *([target] if i < co_owners else []))
    a_other = factories.ProductFactory(company=acquirer)
    b_other = factories.ProductFactory(company=acquired)
    for _ in range(others):
        account = account_owning(merger, acquirer, a_other)
        record(account, acquired, b_other)
