"""Customers and prospects as each legacy CRM holds them, with the ground truth behind.

An `Entity` is the real-world company; each CRM that knows it has a
`SourceRecord` with its own spelling, website form, identifiers and signals.
The matching engine only ever sees the source records.
"""

import math
import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from devtools.demo.catalogue import PRODUCTS, ProductDef
from devtools.demo.org import FARMER, HUNTER, REGION_TEAMS, SEGMENT_DESK, SELLERS
from devtools.demo.plan import (
    ACQUIRED,
    ACQUIRER,
    OWN_CUSTOMER_SHARE,
    SEGMENTS,
    UNSEGMENTED_INDUSTRIES,
    UNSEGMENTED_SHARE,
    DemoPlan,
    SegmentDef,
    size_band_of,
)
from devtools.world.names import (
    base_name,
    brand_of,
    company_domain,
    legal_name,
    spelling_variant,
    website_forms,
)
from devtools.world.rand import cents, day_between, money, weighted
from devtools.world.vocabulary import (
    COUNTRIES,
    DEPARTED_OWNERS,
    REGION_COUNTRIES,
    SIZE_BANDS,
    SPECIAL_NAMES,
)

SERVICE_DEMANDER = "service_demander"
REVENUE_REVERSER = "revenue_reverser"
PROMOTION_MAXIMIZER = "promotion_maximizer"
SPENDING_LIMITER = "spending_limiter"
DARK_PROFILES = (SERVICE_DEMANDER, REVENUE_REVERSER, PROMOTION_MAXIMIZER, SPENDING_LIMITER)

SEGMENTS_BY_NAME = {s.name: s for s in SEGMENTS}
_FULL_NAMES = {p.username: p.full_name for p in SELLERS}
REVENUE_MEDIAN = {
    ACQUIRER: {"Enterprise": 800000, "Mid-market": 180000, "Small": 40000},
    ACQUIRED: {"Enterprise": 250000, "Mid-market": 80000, "Small": 25000},
}


@dataclass
class HoldingRecord:
    product: str
    annual_revenue: Decimal
    since: date
    crm_id: str


@dataclass
class SourceRecord:
    company: str
    entity: str
    crm_id: str
    name: str
    website: str
    domain: str
    duns: str
    vat: str
    lei: str
    country: str
    city: str
    industry: str
    employees: int
    is_customer: bool
    relationship_owner: str = ""
    relationship_since: date | None = None
    decision_maker_known: bool = False
    revenue_current: Decimal = Decimal("0.00")
    revenue_prior: Decimal = Decimal("0.00")
    support_tickets_12m: int = 0
    support_tickets_prior_12m: int = 0
    credits_returns_12m: Decimal = Decimal("0.00")
    average_discount_pct: Decimal = Decimal("0.00")
    holdings: list[HoldingRecord] = field(default_factory=list)


@dataclass
class Entity:
    key: str
    name: str
    base: str
    suffix: str
    industry: str
    employees: int
    country: str
    city: str
    region: str
    segment: str | None
    domain: str
    duns: str
    vat: str
    lei: str
    profile: str = ""
    special_name: str = ""  # the native-script or accented spelling, if any
    records: dict[str, SourceRecord] = field(default_factory=dict)

    @property
    def customer_of(self) -> frozenset[str]:
        return frozenset(role for role, r in self.records.items() if r.is_customer)

    @property
    def size_band(self) -> str:
        return size_band_of(self.employees)


class _CrmIds:
    """Record ids in each CRM's own format: Salesforce 18-character, HubSpot numeric."""

    ALPHABET = string.ascii_letters + string.digits

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, role: str) -> str:
        while True:
            if role == ACQUIRER:
                crm_id = "001" + "".join(self.rng.choices(self.ALPHABET, k=15))
            else:
                crm_id = str(self.rng.randint(10**9, 10**11))
            if crm_id not in self.used:
                self.used.add(crm_id)
                return crm_id


def _identifiers(rng: random.Random, country: str, band: str) -> tuple[str, str, str]:
    duns = f"{rng.randrange(10**9):09d}"
    prefix = COUNTRIES[country].vat_prefix
    vat = f"{prefix}{rng.randrange(10**9):09d}" if prefix else ""
    lei = ""
    if band == "Enterprise":
        lei = "".join(rng.choices(string.ascii_uppercase + string.digits, k=18))
        lei += f"{rng.randint(0, 99):02d}"
    return duns, vat, lei


def _placement(rng: random.Random) -> tuple[SegmentDef | None, str, str, int]:
    """(segment, industry, region, employees) of a new entity."""
    if rng.random() < UNSEGMENTED_SHARE:
        band = rng.choice(tuple(SIZE_BANDS))
        region = rng.choice(tuple(REGION_COUNTRIES))
        return None, rng.choice(UNSEGMENTED_INDUSTRIES), region, rng.randint(*SIZE_BANDS[band])
    segment = weighted(rng, [(s, s.weight) for s in SEGMENTS])
    low, high = SIZE_BANDS[segment.size_band]
    employees = min(high, int(low * rng.paretovariate(1.6)))
    return segment, segment.industry, segment.region, employees


def _entity(rng: random.Random, key: str, used_names: set[str], domains: set[str]) -> Entity:
    segment, industry, region, employees = _placement(rng)
    country = weighted(rng, REGION_COUNTRIES[region])
    spec = COUNTRIES[country]
    base = base_name(rng, industry, used_names)
    suffix = rng.choice(spec.suffixes)
    duns, vat, lei = _identifiers(rng, country, size_band_of(employees))
    return Entity(
        key=key,
        name=legal_name(base, suffix),
        base=base,
        suffix=suffix,
        industry=industry,
        employees=employees,
        country=country,
        city=rng.choice(spec.cities),
        region=region,
        segment=segment.name if segment else None,
        domain=company_domain(rng, base, country, domains),
        duns=duns,
        vat=vat,
        lei=lei,
    )


def _special_entity(
    rng: random.Random, key: str, spec: tuple[str, str, str, str, str], domains: set[str]
) -> Entity:
    native, latin, country, city, industry = spec
    region = COUNTRIES[country].region
    segment = next((s for s in SEGMENTS if s.industry == industry and s.region == region), None)
    employees = rng.randint(*SIZE_BANDS[segment.size_band]) if segment else 800
    duns, vat, lei = _identifiers(rng, country, size_band_of(employees))
    return Entity(
        key=key,
        name=latin,
        base=latin,
        suffix="",
        industry=industry,
        employees=employees,
        country=country,
        city=city,
        region=region,
        segment=segment.name if segment else None,
        domain=company_domain(rng, latin, country, domains),
        duns=duns,
        vat=vat,
        lei=lei,
        special_name=native,
    )


def covering_rep(entity: Entity, role: str, motion: str) -> str:
    """The seller of `role`'s company who covers the entity (stable per entity).

    The desk that covers the entity's segment first, with the motion asked for if it
    has one (a desk without hunters prospects itself); the regional team otherwise.
    """
    team = REGION_TEAMS[entity.region]
    desk = SEGMENT_DESK.get(entity.segment or "")
    sellers = [p for p in SELLERS if p.team == team and p.company == role]
    on_desk = [p for p in sellers if p.desk == desk]
    pools = (
        [p for p in on_desk if p.motion == motion],
        on_desk,
        [p for p in sellers if p.motion == motion],
        sellers,
    )
    pool = next(pool for pool in pools if pool)
    return pool[int(entity.key[1:]) % len(pool)].username


def _record(
    rng: random.Random,
    plan: DemoPlan,
    entity: Entity,
    role: str,
    is_customer: bool,
    ids: _CrmIds,
    spelled: str,
) -> SourceRecord:
    website, domain = website_forms(rng, entity.domain)
    if rng.random() < 0.06:
        # A subsidiary's site: the same company under a different domain.
        website, domain = f"https://{entity.domain.replace('.', '-group.', 1)}", ""
    record = SourceRecord(
        company=role,
        entity=entity.key,
        crm_id=ids.new(role),
        name=spelled,
        website=website,
        domain=domain,
        duns=entity.duns if rng.random() < (0.4 if role == ACQUIRER else 0.15) else "",
        vat=entity.vat if rng.random() < (0.35 if role == ACQUIRER else 0.2) else "",
        lei=entity.lei if rng.random() < (0.3 if role == ACQUIRER else 0.1) else "",
        country=entity.country if rng.random() < 0.98 else "",
        city=entity.city if rng.random() < 0.85 else "",
        industry=entity.industry,
        employees=_nearby_headcount(rng, entity),
        is_customer=is_customer,
    )
    _connection(rng, plan, entity, record)
    return record


def _nearby_headcount(rng: random.Random, entity: Entity) -> int:
    # CRMs disagree a little on headcount, never enough to move the size band.
    low, high = SIZE_BANDS[entity.size_band]
    return min(high, max(low, round(entity.employees * rng.uniform(0.97, 1.03))))


def _connection(rng: random.Random, plan: DemoPlan, entity: Entity, record: SourceRecord) -> None:
    segment = SEGMENTS_BY_NAME.get(entity.segment or "")
    if not record.is_customer:
        if rng.random() < 0.05:
            # A lapsed customer: bought before, nothing in the last twelve months.
            record.revenue_prior = money(rng, 20000, 0.5)
        if rng.random() < 0.4:
            record.relationship_owner = _FULL_NAMES[covering_rep(entity, record.company, HUNTER)]
        record.decision_maker_known = rng.random() < 0.1
        return
    owner = covering_rep(entity, record.company, FARMER)
    departed = rng.random() < 0.12
    record.relationship_owner = rng.choice(DEPARTED_OWNERS) if departed else _FULL_NAMES[owner]
    record.relationship_since = plan.day_one - timedelta(days=round(_tenure(rng, segment) * 365))
    record.decision_maker_known = rng.random() < (segment.dm_known if segment else 0.35)
    band = entity.size_band
    current = money(rng, REVENUE_MEDIAN[record.company][band], 0.6)
    growth = rng.gauss(segment.growth if segment else 0.05, 0.12)
    record.revenue_current = current
    record.revenue_prior = cents(max(Decimal("0"), current / Decimal(str(1 + max(growth, -0.5)))))
    prior_tickets = max(0, round(rng.gauss(2 + float(current) / 40000, 3)))
    record.support_tickets_prior_12m = prior_tickets
    record.support_tickets_12m = max(0, round(prior_tickets * rng.uniform(0.7, 1.3)))
    record.credits_returns_12m = cents(float(current) * rng.uniform(0, 0.03))
    record.average_discount_pct = cents(min(28, max(0, rng.gauss(12, 6))))


def _tenure(rng: random.Random, segment: SegmentDef | None) -> float:
    """Years the relationship had lasted on Day 1: spread around the segment's median."""
    if rng.random() < 0.08:
        return rng.uniform(0, 0.9)  # a customer won in the year before Day 1
    median = segment.tenure_years if segment else 6.0
    return min(30.0, median * math.exp(rng.gauss(0, 0.6)))


def _apply_profile(rng: random.Random, entity: Entity) -> None:
    """Give a cross-buyer its dark-side signals on every CRM that sells to it."""
    for record in entity.records.values():
        if not record.is_customer:
            continue
        current = float(record.revenue_current)
        if entity.profile == SERVICE_DEMANDER:
            record.support_tickets_prior_12m = rng.randint(10, 30)
            record.support_tickets_12m = round(
                record.support_tickets_prior_12m * rng.uniform(2, 4)
            )
        elif entity.profile == REVENUE_REVERSER:
            record.credits_returns_12m = cents(current * rng.uniform(0.18, 0.4))
        elif entity.profile == PROMOTION_MAXIMIZER:
            record.average_discount_pct = cents(rng.uniform(32, 55))
        elif entity.profile == SPENDING_LIMITER:
            record.revenue_prior = cents(current / rng.uniform(0.85, 1.0))


def _holdings(rng: random.Random, plan: DemoPlan, entity: Entity, record: SourceRecord) -> None:
    if not record.is_customer:
        return
    owned: list[ProductDef] = []
    groups: dict[str, list[ProductDef]] = {}
    for product in PRODUCTS:
        if product.company != record.company:
            continue
        if product.group:
            groups.setdefault(product.group, []).append(product)
            continue
        boost = 2 if entity.industry in product.favoured_by else 1
        if rng.random() < product.adoption * boost:
            owned.append(product)
    for members in groups.values():
        if rng.random() < min(0.95, sum(p.adoption for p in members)):
            owned.append(weighted(rng, [(p, p.adoption) for p in members]))
    if not owned:
        owned.append(rng.choice([p for p in PRODUCTS if p.company == record.company][:3]))
    weights = [float(p.deal) * rng.uniform(0.5, 1.5) for p in owned]
    total = sum(weights)
    remaining = record.revenue_current
    start = record.relationship_since or plan.day_one - timedelta(days=365)
    for i, (product, weight) in enumerate(zip(owned, weights, strict=True)):
        share = (
            remaining
            if i == len(owned) - 1
            else cents(float(record.revenue_current) * weight / total)
        )
        remaining -= share
        since = day_between(rng, start, plan.day_one - timedelta(days=30))
        record.holdings.append(HoldingRecord(product.code, share, since, f"{record.crm_id}-{i}"))


def entities_build(rng: random.Random, plan: DemoPlan) -> list[Entity]:
    """Every entity with the CRM records that know it, in a stable order."""
    ids = _CrmIds(rng)
    used: set[str] = set()
    domains: set[str] = set()
    entities: list[Entity] = []

    def new_entity(special: tuple[str, str, str, str, str] | None = None) -> Entity:
        key = f"E{len(entities) + 1:05d}"
        if special:
            entity = _special_entity(rng, key, special, domains)
        else:
            entity = _entity(rng, key, used, domains)
        entities.append(entity)
        return entity

    specials = list(SPECIAL_NAMES[: max(3, plan.both_customers // 3)])
    for i in range(plan.both_customers):
        entity = new_entity(specials[i] if i < len(specials) else None)
        _both_records(rng, plan, entity, ids)
        if rng.random() < _dark_share(entity):
            entity.profile = rng.choice(DARK_PROFILES)
    for customer_side in (ACQUIRER, ACQUIRED):
        for _ in range(plan.mixed_per_side):
            entity = new_entity()
            _both_records(rng, plan, entity, ids, customer_only=customer_side)
    for role in (ACQUIRER, ACQUIRED):
        for _ in range(plan.own_per_side):
            entity = new_entity()
            customer = rng.random() < OWN_CUSTOMER_SHARE[role]
            entity.records[role] = _record(rng, plan, entity, role, customer, ids, entity.name)
            if customer and rng.random() < 0.08:
                entity.profile = rng.choice(DARK_PROFILES)
    for entity in entities:
        _apply_profile(rng, entity)
        for record in entity.records.values():
            _holdings(rng, plan, entity, record)
    return entities


def _dark_share(entity: Entity) -> float:
    segment = SEGMENTS_BY_NAME.get(entity.segment or "")
    return segment.dark_share if segment else 0.2


def _both_records(
    rng: random.Random,
    plan: DemoPlan,
    entity: Entity,
    ids: _CrmIds,
    customer_only: str | None = None,
) -> None:
    """One record per CRM, spelled differently; the native spelling on one side only."""
    canonical = entity.name
    if entity.special_name:
        native_side = rng.choice((ACQUIRER, ACQUIRED))
        names = {native_side: entity.special_name, _other(native_side): canonical}
    else:
        first = (
            canonical
            if rng.random() < 0.6
            else spelling_variant(rng, canonical, entity.suffix, entity.city)
        )
        names = {
            ACQUIRER: first,
            ACQUIRED: spelling_variant(rng, canonical, entity.suffix, entity.city),
        }
        if names[ACQUIRER] == names[ACQUIRED]:
            names[ACQUIRED] = names[ACQUIRED].upper()
    for role in (ACQUIRER, ACQUIRED):
        customer = customer_only is None or customer_only == role
        entity.records[role] = _record(rng, plan, entity, role, customer, ids, names[role])


def _other(role: str) -> str:
    return ACQUIRED if role == ACQUIRER else ACQUIRER


def greenfield_build(rng: random.Random, plan: DemoPlan, known: list[Entity]) -> list[Entity]:
    """Companies on a market list that neither CRM knows: the greenfield."""
    used = {brand_of(e.base) for e in known}
    domains = {e.domain for e in known}
    start = len(known) + 1
    return [_entity(rng, f"E{start + i:05d}", used, domains) for i in range(plan.greenfield)]
