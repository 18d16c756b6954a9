"""Store the companies, segments, products, product map, CRM records and install base."""

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractUser

from accounts.models import (
    Holding,
    LegacyCompany,
    Merger,
    Product,
    ProductFamily,
    ProductMapping,
    Segment,
    SourceAccount,
    UnifiedAccount,
)
from devtools.demo.catalogue import (
    COMPANIES,
    PRODUCT_MAP,
    PRODUCTS,
    CompanyDef,
    MappingDef,
    ProductDef,
)
from devtools.demo.entity import Entity, fields_of
from devtools.demo.plan import SEGMENTS, SegmentRule

BATCH = 1000
# What a CRM record stores as the generator made it.
SOURCE_ACCOUNT_FIELDS = (
    "crm_id name website domain duns vat lei country city industry employees is_customer "
    "relationship_owner relationship_since decision_maker_known revenue_current revenue_prior "
    "support_tickets_12m support_tickets_prior_12m credits_returns_12m average_discount_pct"
)


def companies_write(
    *, merger: Merger, companies: Sequence[CompanyDef] = COMPANIES
) -> dict[str, LegacyCompany]:
    rows = [
        LegacyCompany(merger=merger, name=c.name, short_name=c.short_name, role=c.role, crm=c.crm)
        for c in companies
    ]
    LegacyCompany.objects.bulk_create(rows)
    return {c.role: c for c in rows}


def segments_write(
    *, merger: Merger, segments: Sequence[SegmentRule] = SEGMENTS
) -> dict[str, Segment]:
    rows = [
        Segment(
            merger=merger,
            description=f"{s.industry} accounts, {s.size_band.lower()}, in {s.region}.",
            **fields_of(s, "name industry size_band region"),
        )
        for s in segments
    ]
    Segment.objects.bulk_create(rows)
    return {s.name: s for s in rows}


def products_write(
    *,
    merger: Merger,
    companies: dict[str, LegacyCompany],
    created_by: AbstractUser,
    products: Sequence[ProductDef] = PRODUCTS,
    product_map: Sequence[MappingDef] = PRODUCT_MAP,
) -> dict[str, Product]:
    """The products and the map between them; returns the products by code."""
    families = {}
    for product in products:
        key = (product.company, product.family)
        families.setdefault(
            key, ProductFamily(company=companies[product.company], name=product.family)
        )
    ProductFamily.objects.bulk_create(list(families.values()))
    rows = [
        Product(
            company=companies[p.company],
            family=families[(p.company, p.family)],
            code=p.code,
            name=p.name,
            list_price=Decimal(p.list_price),
            typical_deal_size=Decimal(p.deal),
            sales_cycle=p.cycle,
            typical_cycle_days=p.days,
        )
        for p in products
    ]
    Product.objects.bulk_create(rows)
    by_code = {p.code: p for p in rows}
    ProductMapping.objects.bulk_create(
        [
            ProductMapping(
                merger=merger,
                source=by_code[m.source],
                target=by_code[m.target],
                relation=m.relation,
                reason=m.reason,
                validated_with_customers=m.validated,
                created_by=created_by,
            )
            for m in product_map
        ]
    )
    return by_code


def source_accounts_write(
    *, entities: list[Entity], companies: dict[str, LegacyCompany], products: dict[str, Product]
) -> None:
    records = [r for e in entities for r in e.records.values()]
    rows = [
        SourceAccount(company=companies[r.company], **fields_of(r, SOURCE_ACCOUNT_FIELDS))
        for r in records
    ]
    SourceAccount.objects.bulk_create(rows, batch_size=BATCH)
    Holding.objects.bulk_create(
        [
            Holding(
                account=row,
                product=products[h.product],
                **fields_of(h, "annual_revenue since crm_id"),
            )
            for r, row in zip(records, rows, strict=True)
            for h in r.holdings
        ],
        batch_size=BATCH,
    )


def greenfield_write(
    *, merger: Merger, entities: list[Entity], segments: dict[str, Segment]
) -> dict[str, int]:
    """Accounts from a market list: no CRM record, hence status 'neither'."""
    rows = [
        UnifiedAccount(
            merger=merger,
            name=e.name,
            segment=segments.get(e.segment or ""),
            # The market list placed them: a segment chosen by hand, kept by refreshes.
            segment_source=UnifiedAccount.SegmentSource.MANUAL if e.segment else "",
            domain=e.domain,
            country=e.country,
            city=e.city,
            status=UnifiedAccount.Status.NEITHER,
        )
        for e in entities
    ]
    UnifiedAccount.objects.bulk_create(rows, batch_size=BATCH)
    return {e.key: row.pk for e, row in zip(entities, rows, strict=True)}


def truth_of(entities: list[Entity]) -> dict[tuple[str, str], str]:
    """(company role, CRM id) -> entity key: what the matching engine must discover."""
    return {(r.company, r.crm_id): e.key for e in entities for r in e.records.values()}
