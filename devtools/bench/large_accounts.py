"""The large program's companies, segments, products, product map, accounts and install base.

Every unified account is a customer of the acquirer, of the acquired company,
of both (then with one CRM record in each) or of neither (greenfield, no CRM
record). Holdings are spread over the customers' CRM records so that their
total is exactly the size asked for.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser

from accounts.models import (
    Holding,
    LegacyCompany,
    Merger,
    Product,
    ProductMapping,
    Segment,
    SourceAccount,
    UnifiedAccount,
)
from accounts.services.bulk_rows import rows_write
from devtools.bench.rows import IdRange
from devtools.bench.sizes import BenchSize
from devtools.demo.catalogue import CompanyDef, MappingDef, ProductDef
from devtools.demo.plan import SegmentRule
from devtools.demo.write_accounts import companies_write, products_write, segments_write
from devtools.world.names import invented_brand
from devtools.world.rand import day_between, money, sample_weighted, weighted
from devtools.world.skew import even_spread, power_spread, zipf_weights
from devtools.world.vocabulary import INDUSTRY_WORDS, REGIONS, SIZE_BANDS

Status = UnifiedAccount.Status
ACQUIRER, ACQUIRED = LegacyCompany.Role.ACQUIRER, LegacyCompany.Role.ACQUIRED
STATUS_SHARES = (
    (Status.BOTH, 0.30),
    (Status.ACQUIRER_ONLY, 0.35),
    (Status.ACQUIRED_ONLY, 0.25),
    (Status.NEITHER, 0.10),
)
INDUSTRIES = tuple(INDUSTRY_WORDS)
FAMILIES = ("Sensors", "Connectivity", "Platform", "Analytics", "Services", "Support")
RELATIONS = (
    (ProductMapping.Relation.COMPLEMENTARY, 0.4),
    (ProductMapping.Relation.SERVICE, 0.25),
    (ProductMapping.Relation.ACCESSORY, 0.2),
    (ProductMapping.Relation.UPGRADE, 0.1),
    (ProductMapping.Relation.ALTERNATIVE, 0.05),
)
UNSEGMENTED = 0.05
EMAIL_DOMAIN = "bench.example"


COMPANIES = (
    CompanyDef(ACQUIRER, "Benchmark Acquirer", "A", LegacyCompany.Crm.OTHER, EMAIL_DOMAIN),
    CompanyDef(ACQUIRED, "Benchmark Acquired", "B", LegacyCompany.Crm.OTHER, EMAIL_DOMAIN),
)


@dataclass(frozen=True)
class Catalogue:
    companies: dict[str, LegacyCompany]
    segments: dict[str, Segment]
    products: dict[int, list[Product]]  # company id -> its products, most popular first


@dataclass(frozen=True)
class AccountBook:
    """What the pipeline needs to know about the accounts written."""

    ids: list[int]
    segments: list[int | None]
    statuses: list[str]


def catalogue_write(
    *, rng: random.Random, merger: Merger, size: BenchSize, created_by: AbstractUser
) -> Catalogue:
    """Segments, products and product map of this size, stored by the demo's writers."""
    companies = companies_write(merger=merger, companies=COMPANIES)
    segments = [
        SegmentRule(f"{industry}, {band.lower()}, {region}", industry, band, region)
        for industry, band, region in _segment_keys(size.segments)
    ]
    products = {c.role: _products(rng, c, size) for c in COMPANIES}
    written = products_write(
        merger=merger,
        companies=companies,
        created_by=created_by,
        products=[p for rows in products.values() for p in rows],
        product_map=_product_map(rng, products),
    )
    return Catalogue(
        companies,
        segments_write(merger=merger, segments=segments),
        {companies[role].pk: [written[p.code] for p in rows] for role, rows in products.items()},
    )


def _segment_keys(count: int) -> list[tuple[str, str, str]]:
    keys = [(i, b, r) for r in REGIONS for b in SIZE_BANDS for i in INDUSTRIES]
    step = len(keys) / count
    return [keys[int(n * step)] for n in range(count)]


def _products(rng: random.Random, company: CompanyDef, size: BenchSize) -> list[ProductDef]:
    families = FAMILIES[: max(1, size.products_per_company // 5)]
    rows = []
    for n in range(size.products_per_company):
        deal = money(rng, 40000, 0.8, step=500)
        long_cycle = rng.random() < 0.3
        family = families[n % len(families)]
        rows.append(
            ProductDef(
                code=f"{company.short_name}-{n + 1:03d}",
                name=f"{company.short_name} {family} {n + 1}",
                company=company.role,
                family=family,
                list_price=str((deal / 10).quantize(Decimal("0.01"))),
                deal=str(deal),
                cycle=Product.SalesCycle.LONG if long_cycle else Product.SalesCycle.SHORT,
                days=rng.randint(120, 270) if long_cycle else rng.randint(30, 90),
            )
        )
    return rows


def _product_map(rng: random.Random, products: dict[str, list[ProductDef]]) -> list[MappingDef]:
    """Each product leads to two of the other company's and one of its own."""
    pairs: dict[tuple[str, str], MappingDef] = {}
    lists = list(products.values())
    for own, other in ((lists[0], lists[1]), (lists[1], lists[0])):
        for source in own:
            for target in [*rng.sample(other, 2), rng.choice(own)]:
                if target == source or (source.code, target.code) in pairs:
                    continue
                relation = weighted(rng, RELATIONS)
                if target.company == source.company:
                    relation = ProductMapping.Relation.UPGRADE
                pairs[(source.code, target.code)] = MappingDef(
                    source.code,
                    target.code,
                    relation,
                    f"Owners of {source.code} need {target.code}",
                    validated=rng.random() < 0.4,
                )
    return list(pairs.values())


def accounts_write(
    *, rng: random.Random, merger: Merger, size: BenchSize, catalogue: Catalogue, today: date
) -> AccountBook:
    ids = list(IdRange(UnifiedAccount).take(size.accounts))
    book = AccountBook(ids, [], [])
    rows = []
    segment_ids = [s.pk for s in catalogue.segments.values()]
    segment_weights = zipf_weights(len(segment_ids), skewed=size.skewed)
    for n, pk in enumerate(ids):
        status = weighted(rng, STATUS_SHARES)
        segment = (
            None if rng.random() < UNSEGMENTED else rng.choices(segment_ids, segment_weights)[0]
        )
        name = _name(rng, n)
        book.segments.append(segment)
        book.statuses.append(status)
        source = _segment_source(segment, status)
        rows.append((pk, merger.pk, name, segment, source, _domain(name), "US", status))
    rows_write(
        model=UnifiedAccount,
        names=ACCOUNT_FIELDS.split(),
        rows=rows,
    )
    sources = _sources_write(rng, book, catalogue, today)
    _holdings_write(rng, size, catalogue, sources)
    return book


def _segment_source(segment: int | None, status: str) -> str:
    """The CRM records carry the segment; accounts without a record got theirs by hand."""
    if segment is None:
        return UnifiedAccount.SegmentSource.NONE
    if sides_of(status):
        return UnifiedAccount.SegmentSource.CRM
    return UnifiedAccount.SegmentSource.MANUAL


def _name(rng: random.Random, n: int) -> str:
    return f"{invented_brand(rng)} {rng.choice(INDUSTRIES).split()[0]} {n + 1}"


def _domain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:40] + ".example"


def sides_of(status: str) -> tuple[str, ...]:
    return {
        Status.BOTH: (ACQUIRER, ACQUIRED),
        Status.ACQUIRER_ONLY: (ACQUIRER,),
        Status.ACQUIRED_ONLY: (ACQUIRED,),
    }.get(status, ())


def _sources_write(
    rng: random.Random, book: AccountBook, catalogue: Catalogue, today: date
) -> list[tuple[int, int]]:
    """One CRM record per company the account buys from; returns (record, company) pairs."""
    ids = IdRange(SourceAccount)
    rows, customers = [], []
    for unified_id, segment, status in zip(book.ids, book.segments, book.statuses, strict=True):
        for role in sides_of(status):
            company = catalogue.companies[role]
            pk = ids.take(1)[0]
            customers.append((pk, company.pk))
            rows.append(_source_row(rng, pk, company, unified_id, segment, today))
    rows_write(model=SourceAccount, names=SOURCE_FIELDS.split(), rows=rows)
    return customers


ACCOUNT_FIELDS = "id merger_id name segment_id segment_source domain country status"
HOLDING_FIELDS = "account_id product_id annual_revenue since"
SOURCE_FIELDS = (
    "id company_id unified_id crm_id name segment_id normalized_name domain country industry "
    "employees is_customer relationship_owner relationship_since decision_maker_known "
    "revenue_current revenue_prior support_tickets_12m support_tickets_prior_12m "
    "credits_returns_12m average_discount_pct"
)


def _source_row(
    rng: random.Random, pk: int, company: LegacyCompany, unified_id: int, segment, today: date
) -> tuple:
    name = _name(rng, pk)
    revenue = money(rng, 120000, 0.9, step=100)
    prior = (revenue * Decimal(str(round(rng.uniform(0.7, 1.3), 2)))).quantize(Decimal("0.01"))
    tickets = rng.randint(0, 40)
    return (
        pk,
        company.pk,
        unified_id,
        f"{company.short_name}{pk:08d}",
        name,
        segment,
        name.lower(),
        _domain(name),
        "US",
        rng.choice(INDUSTRIES),
        rng.randint(50, 50000),
        True,
        f"Owner {pk % 997}",
        day_between(rng, date(2010, 1, 1), today - timedelta(days=30)),
        rng.random() < 0.45,
        revenue,
        prior,
        tickets,
        max(0, tickets + rng.randint(-10, 10)),
        (revenue * Decimal(str(round(rng.uniform(0, 0.2), 2)))).quantize(Decimal("0.01")),
        Decimal(str(round(rng.uniform(0, 40), 2))),
    )


def _holdings_write(
    rng: random.Random, size: BenchSize, catalogue: Catalogue, sources: list[tuple[int, int]]
) -> None:
    """Exactly `size.holdings` rows; popular products more often, never one twice."""
    if size.skewed:
        per_record = power_spread(rng, size.holdings, len(sources), size.products_per_company)
    else:
        per_record = even_spread(size.holdings, len(sources), size.products_per_company)
    weights = [1 / (rank + 1) ** 0.5 for rank in range(size.products_per_company)]
    since_from = date(2012, 1, 1)
    rows = []
    for (source_id, company_id), count in zip(sources, per_record, strict=True):
        products = catalogue.products[company_id]
        for product in sample_weighted(rng, products, weights, count):
            rows.append(
                (
                    source_id,
                    product.pk,
                    money(rng, float(product.typical_deal_size) / 4, 0.5, step=10),
                    day_between(rng, since_from, date(2024, 12, 31)),
                )
            )
    rows_write(model=Holding, names=HOLDING_FIELDS.split(), rows=rows)
