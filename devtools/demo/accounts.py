"""Customers and prospects of the demo, with the CRM records that know them.

Every entity is built here in a stable order (the random draws depend on it);
`crm_records` fills in what each CRM says of it.
"""

import random
import string

from devtools.demo.crm_records import (
    DARK_PROFILES,
    CrmIds,
    holdings_build,
    profile_apply,
    record_build,
)
from devtools.demo.entity import Entity
from devtools.demo.plan import (
    ACQUIRED,
    ACQUIRER,
    OWN_CUSTOMER_SHARE,
    SEGMENTS,
    SEGMENTS_BY_NAME,
    UNSEGMENTED_INDUSTRIES,
    UNSEGMENTED_SHARE,
    DemoPlan,
    SegmentDef,
    other_side,
    size_band_of,
)
from devtools.world.names import base_name, brand_of, company_domain, legal_name, spelling_variant
from devtools.world.rand import weighted
from devtools.world.vocabulary import COUNTRIES, REGION_COUNTRIES, SIZE_BANDS, SPECIAL_NAMES


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


def entities_build(rng: random.Random, plan: DemoPlan) -> list[Entity]:
    """Every entity with the CRM records that know it, in a stable order."""
    ids = CrmIds(rng)
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
            entity.records[role] = record_build(
                rng, plan, entity, role, customer, ids, entity.name
            )
            if customer and rng.random() < 0.08:
                entity.profile = rng.choice(DARK_PROFILES)
    for entity in entities:
        profile_apply(rng, entity)
        for record in entity.records.values():
            holdings_build(rng, plan, entity, record)
    return entities


def _dark_share(entity: Entity) -> float:
    segment = SEGMENTS_BY_NAME.get(entity.segment or "")
    return segment.dark_share if segment else 0.2


def _both_records(
    rng: random.Random,
    plan: DemoPlan,
    entity: Entity,
    ids: CrmIds,
    customer_only: str | None = None,
) -> None:
    """One record per CRM, spelled differently; the native spelling on one side only."""
    canonical = entity.name
    if entity.special_name:
        native_side = rng.choice((ACQUIRER, ACQUIRED))
        names = {native_side: entity.special_name, other_side(native_side): canonical}
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
        entity.records[role] = record_build(rng, plan, entity, role, customer, ids, names[role])


def greenfield_build(rng: random.Random, plan: DemoPlan, known: list[Entity]) -> list[Entity]:
    """Companies on a market list that neither CRM knows: the greenfield."""
    used = {brand_of(e.base) for e in known}
    domains = {e.domain for e in known}
    start = len(known) + 1
    return [_entity(rng, f"E{start + i:05d}", used, domains) for i in range(plan.greenfield)]
