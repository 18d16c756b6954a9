"""What each CRM record says of its company: identifiers, owner, revenue, service
signals and the products held, and who covers the company."""

import math
import random
import string
from datetime import timedelta
from decimal import Decimal

from accounts.risk import Profile
from devtools.demo.catalogue import PRODUCTS, ProductDef
from devtools.demo.entity import Entity, HoldingRecord, SourceRecord
from devtools.demo.org import FARMER, HUNTER, REGION_TEAMS, SEGMENT_DESK, SELLERS
from devtools.demo.plan import ACQUIRED, ACQUIRER, SEGMENTS_BY_NAME, DemoPlan, SegmentDef
from devtools.world.names import website_forms
from devtools.world.rand import cents, day_between, money, weighted
from devtools.world.vocabulary import DEPARTED_OWNERS, SIZE_BANDS

DARK_PROFILES = tuple(Profile)

_FULL_NAMES = {p.username: p.full_name for p in SELLERS}
REVENUE_MEDIAN = {
    ACQUIRER: {"Enterprise": 800000, "Mid-market": 180000, "Small": 40000},
    ACQUIRED: {"Enterprise": 250000, "Mid-market": 80000, "Small": 25000},
}


class CrmIds:
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


def record_build(
    rng: random.Random,
    plan: DemoPlan,
    entity: Entity,
    role: str,
    is_customer: bool,
    ids: CrmIds,
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


def profile_apply(rng: random.Random, entity: Entity) -> None:
    """Give a cross-buyer its dark-side signals on every CRM that sells to it."""
    for record in entity.records.values():
        if not record.is_customer:
            continue
        current = float(record.revenue_current)
        if entity.profile == Profile.SERVICE_DEMANDER:
            record.support_tickets_prior_12m = rng.randint(10, 30)
            record.support_tickets_12m = round(
                record.support_tickets_prior_12m * rng.uniform(2, 4)
            )
        elif entity.profile == Profile.REVENUE_REVERSER:
            record.credits_returns_12m = cents(current * rng.uniform(0.18, 0.4))
        elif entity.profile == Profile.PROMOTION_MAXIMIZER:
            record.average_discount_pct = cents(rng.uniform(32, 55))
        elif entity.profile == Profile.SPENDING_LIMITER:
            record.revenue_prior = cents(current / rng.uniform(0.85, 1.0))


def holdings_build(
    rng: random.Random, plan: DemoPlan, entity: Entity, record: SourceRecord
) -> None:
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
