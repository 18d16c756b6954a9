"""Writes of the legacy companies' products.

The whitespace reads whether a product is offered, its value, its company
and its family, so a change of those re-materialises it once the transaction
commits (the totals per product family that the grid reads are recounted at
once); a deleted product takes its holdings with it, so the whole analysis
(statuses, whitespace, ownership) follows.
"""

from typing import Any

from django.db import transaction

from accounts.models import LegacyCompany, Merger, Product
from accounts.services.editing import fields_assigned
from accounts.services.history import history_deleted, history_kept, history_recorded
from accounts.services.whitespace import whitespace_family_recount
from accounts.signals import analysis_outdated, whitespace_outdated
from core.access import User

# In the order the API lists them.
PRODUCT_FIELDS = (
    "company",
    "family",
    "code",
    "name",
    "list_price",
    "typical_deal_size",
    "sales_cycle",
    "typical_cycle_days",
    "is_active",
)
WHITESPACE_FIELDS = frozenset(
    {"company", "family", "is_active", "list_price", "typical_deal_size"}
)
# What the whitespace totals per product family count a product's cells by.
FAMILY_TOTAL_FIELDS = frozenset({"family", "is_active"})
# The prices as a CRM gave them, which only an import's currency conversion writes.
AS_IMPORTED = ["currency", "list_price_original", "typical_deal_size_original", "awaiting_rate"]
PRICES = frozenset({"list_price", "typical_deal_size"})


@transaction.atomic
def product_create(*, actor: User, company: LegacyCompany, **fields: Any) -> Product:
    product = Product(company=company)
    fields_assigned(product, fields, PRODUCT_FIELDS)
    product.full_clean(exclude=AS_IMPORTED)
    product.save()
    history_recorded(actor=actor, instance=product)
    return product


@transaction.atomic
def product_update(*, actor: User, product: Product, **fields: Any) -> Product:
    family_before = product.family_id
    with history_kept(actor=actor, instance=product):
        changed = fields_assigned(product, fields, PRODUCT_FIELDS)
        if changed & PRICES:
            _set_by_hand(product, changed & PRICES)
        product.full_clean(exclude=AS_IMPORTED)
        product.save()
    merger_id = product.company.merger_id
    if changed & FAMILY_TOTAL_FIELDS:
        # The refresh follows later; the grid of either family reads its totals now.
        whitespace_family_recount(
            merger_id=merger_id, family_ids=[family_before, product.family_id]
        )
    if changed & WHITESPACE_FIELDS:
        whitespace_outdated.send(sender=Merger, merger_id=merger_id)
    return product


def _set_by_hand(product: Product, prices: set[str]) -> None:
    # A price set here is in the reporting currency: its value as the CRM gave it no longer
    # applies, so a rate leaves it alone. The other price keeps its own, and its wait.
    for name in prices:
        setattr(product, f"{name}_original", None)
    if all(getattr(product, f"{name}_original") is None for name in PRICES):
        product.currency, product.awaiting_rate, product.rate_month = "", None, None


@transaction.atomic
def product_delete(*, actor: User, product: Product) -> None:
    merger_id, family_id = product.company.merger_id, product.family_id
    history_deleted(actor=actor, instance=product)
    # Its cells went with it; its family's totals follow at once, as on an update.
    whitespace_family_recount(merger_id=merger_id, family_ids=[family_id])
    analysis_outdated.send(sender=Merger, merger_id=merger_id)
