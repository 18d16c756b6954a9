"""Writes of the legacy companies' products.

The whitespace reads whether a product is offered, its value and its
company, so a change of those re-materialises it once the transaction
commits; a deleted product takes its holdings with it, so the whole
analysis (statuses, whitespace, ownership) follows.
"""

from typing import Any

from django.db import transaction

from accounts.models import LegacyCompany, Merger, Product
from accounts.services.editing import fields_assigned
from accounts.services.history import history_deleted, history_kept, history_recorded
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
WHITESPACE_FIELDS = frozenset({"company", "is_active", "list_price", "typical_deal_size"})
# The prices as a CRM gave them, which only an import's currency conversion writes.
AS_IMPORTED = ["currency", "list_price_original", "typical_deal_size_original", "awaiting_rate"]


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
    with history_kept(actor=actor, instance=product):
        changed = fields_assigned(product, fields, PRODUCT_FIELDS)
        product.full_clean(exclude=AS_IMPORTED)
        product.save()
    if changed & WHITESPACE_FIELDS:
        whitespace_outdated.send(sender=Merger, merger_id=product.company.merger_id)
    return product


@transaction.atomic
def product_delete(*, actor: User, product: Product) -> None:
    merger_id = product.company.merger_id
    history_deleted(actor=actor, instance=product)
    analysis_outdated.send(sender=Merger, merger_id=merger_id)
