"""Cross-sell opportunities worked from the whitespace since Day 1."""

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Direction, Kind
from devtools.demo.catalogue import PRODUCT_MAP, PRODUCTS_BY_CODE, ProductDef
from devtools.demo.crm_records import covering_rep
from devtools.demo.entity import Entity
from devtools.demo.history import LOST, WON, ChangeRecord, Life, Walk, reopen, walk_history
from devtools.demo.linking import sale_direction
from devtools.demo.org import (
    FARMER,
    HUNTER,
    OPS,
    SELLERS,
    SPECIALIST,
    SPECIALIST_REGIONS,
    SPECIALIST_SIZE_BAND,
    TEAM_LEADER,
    RepRecord,
)
from devtools.demo.plan import ACQUIRED, ACQUIRER, SEGMENTS_BY_NAME, DemoPlan, other_side
from devtools.world.rand import money, sample_weighted, weighted
from devtools.world.vocabulary import ASSETS, NEED_TEMPLATES, OVERRIDE_REASONS
from tracker.pipeline_math import add_months, month_start

TEAM_OF = {p.username: p.team for p in SELLERS}
COMPANY_OF = {p.username: p.company for p in SELLERS}
SPECIALISTS = {
    role: [p.username for p in SELLERS if p.motion == SPECIALIST and p.company == role]
    for role in (ACQUIRER, ACQUIRED)
}


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    product: ProductDef
    kind: str
    direction: str
    validated: bool
    same_company: bool = False  # the map pair stays within one company's catalogue


@dataclass(frozen=True)
class CreditRecord:
    username: str
    kind: str  # split or overlay
    percent: Decimal
    note: str


@dataclass
class OppRecord:
    entity: str
    product: str
    segment: str | None
    kind: str
    direction: str
    owner: str
    source: str
    customer_need: str
    created_by: str
    life: Life
    credits: list[CreditRecord] = field(default_factory=list)
    override_reason: str = ""
    override_by: str = ""

    @classmethod
    def of(
        cls, candidate: Candidate, *, owner: str, need: str, life: Life, source: str = "manual"
    ) -> "OppRecord":
        """A deal on `candidate`; ops created the imported ones, the owner the others."""
        return cls(
            entity=candidate.entity.key,
            product=candidate.product.code,
            segment=candidate.entity.segment,
            kind=candidate.kind,
            direction=candidate.direction,
            owner=owner,
            source=source,
            customer_need=need,
            created_by=OPS.username if source == "import" else owner,
            life=life,
        )


def candidates_of(entities: list[Entity]) -> list[Candidate]:
    """Entity x product cells where a mapped source is owned and the target is not."""
    found = []
    for entity in entities:
        held = {h.product for r in entity.records.values() for h in r.holdings}
        if not held:
            continue
        offered: set[str] = set()
        for mapping in PRODUCT_MAP:
            if mapping.source not in held or mapping.target in held:
                continue
            if mapping.target in offered:
                continue
            offered.add(mapping.target)
            source, target = PRODUCTS_BY_CODE[mapping.source], PRODUCTS_BY_CODE[mapping.target]
            kind = Kind.UPSELL if mapping.relation == "upgrade" else Kind.CROSS_SELL
            found.append(
                Candidate(
                    entity,
                    target,
                    kind,
                    sale_direction(seller=target.company, customer_of=entity.customer_of),
                    mapping.validated,
                    same_company=source.company == target.company,
                )
            )
    return found


def _weight(candidate: Candidate) -> float:
    segment = SEGMENTS_BY_NAME.get(candidate.entity.segment or "")
    weight = segment.activity if segment else 0.5
    weight *= 1.5 if candidate.validated else 1.0
    # Pairs within one catalogue are ordinary account management, not the program.
    return weight * (0.5 if candidate.same_company else 1.0)


def specialists_cover(entity: Entity) -> bool:
    return entity.region in SPECIALIST_REGIONS and entity.size_band == SPECIALIST_SIZE_BAND


def certified_pairs(reps: list[RepRecord]) -> frozenset[tuple[str, str]]:
    """(rep, product) pairs where the rep is certified on the product."""
    return frozenset((r.username, code) for r in reps for code, _on in r.certifications)


def _owner(rng: random.Random, candidate: Candidate) -> str:
    entity, target = candidate.entity, candidate.product.company
    if candidate.same_company or candidate.direction == Direction.WITHIN:
        return covering_rep(entity, target, FARMER)
    # Predikt's software often needs its specialists; Sensa's hardware rarely does.
    chance = 0.2 if target == ACQUIRED else 0.04
    if specialists_cover(entity) and rng.random() < chance:
        return rng.choice(SPECIALISTS[target])
    seller = other_side(target)
    side = seller if seller in entity.customer_of else target
    return covering_rep(entity, side, FARMER)


def customer_need(rng: random.Random, entity: Entity) -> str:
    assets = rng.choice(ASSETS.get(entity.industry, ("critical assets",)))
    return rng.choice(NEED_TEMPLATES).format(assets=assets, city=entity.city or "main")


def _amount(rng: random.Random, candidate: Candidate) -> Decimal:
    segment = SEGMENTS_BY_NAME.get(candidate.entity.segment or "")
    # First cross-sell deals are smaller "land" deals than the product's typical one.
    factor = (segment.deal_factor if segment else 0.8) * 0.45
    if candidate.kind == Kind.UPSELL:
        factor *= 0.5
    return money(rng, float(candidate.product.deal) * factor, 0.45, step=500)


def _win_probability(candidate: Candidate, certified: bool) -> float:
    entity = candidate.entity
    segment = SEGMENTS_BY_NAME.get(entity.segment or "")
    p = 0.5 * (segment.win_factor if segment else 0.8)
    p *= 1.15 if candidate.validated else 0.8
    # A seller trained on the product sells it; one who is not loses more often.
    p *= 1.1 if certified else 0.75
    dm_known = any(r.decision_maker_known for r in entity.records.values())
    p *= 1.2 if dm_known else 0.8
    if entity.profile:
        p *= 1.1  # the dark side buys readily; that is the problem
    return min(0.85, max(0.05, p))


class CreationDays:
    """Days opportunities are opened on: few in the first months, then the program ramps."""

    def __init__(self, plan: DemoPlan) -> None:
        self.months: list[date] = []
        month = month_start(plan.day_one)
        while month <= plan.last_day:
            self.months.append(month)
            month = add_months(month, 1)
        self.weights = [0.15 + 1 / (1 + math.exp(-(i - 5) / 2.5)) for i in range(len(self.months))]
        self.last_day = plan.last_day

    def pick(self, rng: random.Random) -> date:
        month = rng.choices(self.months, weights=self.weights)[0]
        end = min(add_months(month, 1) - timedelta(days=1), self.last_day)
        return month + timedelta(days=rng.randint(0, (end - month).days))


def _stale_chance(candidate: Candidate) -> float:
    """How likely an open deal sits untouched: desks busy elsewhere let deals go stale."""
    segment = SEGMENTS_BY_NAME.get(candidate.entity.segment or "")
    return min(0.6, 0.2 / (segment.activity if segment else 0.8) ** 1.5)


def _walk(
    rng: random.Random,
    plan: DemoPlan,
    candidate: Candidate,
    owner: str,
    created: date,
    certified: bool,
) -> Walk:
    dm_known = any(r.decision_maker_known for r in candidate.entity.records.values())
    cycle = candidate.product.days * math.exp(rng.gauss(0, 0.35)) * (0.85 if dm_known else 1.2)
    cycle *= 0.9 if certified else 1.25
    cycle_days = max(7, round(cycle))
    planned = created + timedelta(days=cycle_days)
    common = {
        "created": created,
        "amount": _amount(rng, candidate),
        "expected_close": planned,
        "owner": owner,
        "leader": TEAM_LEADER[TEAM_OF[owner] or ""],
        "ops": OPS.username,
        "last_day": plan.last_day,
    }
    if planned <= plan.last_day and rng.random() < 0.85:
        won = rng.random() < _win_probability(candidate, certified)
        stage = 3 if won else weighted(rng, [(0, 3), (1, 3), (2, 2), (3, 1)])
        return Walk(
            end=planned, outcome="won" if won else "lost", final_open_stage=stage, **common
        )
    progress = (plan.last_day - created).days / cycle_days
    stage = max(0, min(3, int(progress * 4 + rng.uniform(-0.6, 0.6))))
    stale = rng.random() < _stale_chance(candidate)
    idle = rng.randint(31, 150) if stale else rng.randint(0, 21)
    end = max(created, plan.last_day - timedelta(days=idle))
    return Walk(end=end, outcome="open", final_open_stage=stage, **common)


def _maybe_reopen(rng: random.Random, plan: DemoPlan, life: Life, walk: Walk) -> None:
    if walk.outcome != "lost" or (plan.last_day - walk.end).days < 20 or rng.random() > 0.05:
        return
    reopen_day = walk.end + timedelta(days=rng.randint(10, 19))
    month_end = add_months(month_start(reopen_day), 1) - timedelta(days=1)
    won_day = month_end if rng.random() < 0.5 and month_end <= plan.last_day else None
    if won_day is not None and won_day <= reopen_day:
        won_day = None
    reopen(rng, life, walk, reopen_day, won_day)


def _credits(rng: random.Random, opp: OppRecord, candidate: Candidate) -> list[CreditRecord]:
    if opp.life.stage is not WON or rng.random() > 0.4:
        return []
    target = candidate.product.company
    specialists = [u for u in SPECIALISTS[target] if u != opp.owner]
    if not specialists or not specialists_cover(candidate.entity):
        return []
    specialist = rng.choice(specialists)
    if rng.random() < 0.2:
        return [
            CreditRecord(opp.owner, "split", Decimal("100.00"), "Account owner"),
            CreditRecord(specialist, "overlay", Decimal("50.00"), "Product specialist overlay"),
        ]
    other = covering_rep(candidate.entity, other_side(COMPANY_OF[opp.owner]), FARMER)
    if rng.random() < 0.25 and other not in (opp.owner, specialist):
        return [
            CreditRecord(opp.owner, "split", Decimal("50.00"), "Account owner"),
            CreditRecord(specialist, "split", Decimal("30.00"), "Product specialist"),
            CreditRecord(other, "split", Decimal("20.00"), "Introduced the customer"),
        ]
    share = Decimal(rng.choice((60, 70, 75)))
    return [
        CreditRecord(opp.owner, "split", share.quantize(Decimal("0.01")), "Account owner"),
        CreditRecord(
            specialist, "split", (100 - share).quantize(Decimal("0.01")), "Product specialist"
        ),
    ]


def _maybe_override(rng: random.Random, opp: OppRecord, candidate: Candidate) -> None:
    """A leader lets a deal go ahead on an account the risk screen would hold back."""
    life = opp.life
    if not candidate.entity.profile or life.stage is LOST or len(life.changes) < 2:
        return
    if rng.random() > 0.35:
        return
    opp.override_reason = rng.choice(OVERRIDE_REASONS)
    opp.override_by = TEAM_LEADER[TEAM_OF[opp.owner] or ""]
    first, second = life.changes[0].at, life.changes[1].at
    at = first + (second - first) / 2
    life.changes.insert(
        1,
        ChangeRecord(
            "overridden", "risk_override_reason", "", opp.override_reason, opp.override_by, at
        ),
    )


def choose_candidates(
    rng: random.Random, candidates: list[Candidate], count: int
) -> list[Candidate]:
    """The cells reps worked: validated pairs and eager segments more often."""
    return sample_weighted(rng, candidates, [_weight(c) for c in candidates], count)


def opportunities_build(
    rng: random.Random,
    plan: DemoPlan,
    chosen: list[Candidate],
    certified: frozenset[tuple[str, str]],
) -> list[OppRecord]:
    """One opportunity per chosen cell, each with a realistic history."""
    days = CreationDays(plan)
    opps = []
    for candidate in chosen:
        owner = _owner(rng, candidate)
        created = days.pick(rng)
        trained = (owner, candidate.product.code) in certified
        walk = _walk(rng, plan, candidate, owner, created, trained)
        life = walk_history(rng, walk)
        _maybe_reopen(rng, plan, life, walk)
        source = weighted(rng, [("whitespace", 55), ("manual", 40), ("import", 5)])
        opp = OppRecord.of(
            candidate,
            owner=owner,
            need=customer_need(rng, candidate.entity),
            life=life,
            source=source,
        )
        opp.credits = _credits(rng, opp, candidate)
        _maybe_override(rng, opp, candidate)
        opps.append(opp)
    return opps


def prospect_opportunities_build(
    rng: random.Random,
    plan: DemoPlan,
    entities: list[Entity],
    count: int,
    certified: frozenset[tuple[str, str]],
) -> list[OppRecord]:
    """Hunters offering an entry product to prospects one CRM knows: rarely won."""
    prospects = [e for e in entities if e.records and not e.customer_of]
    rng.shuffle(prospects)
    entry = {ACQUIRER: PRODUCTS_BY_CODE["PDK-ESS"], ACQUIRED: PRODUCTS_BY_CODE["SEN-VIB-KIT"]}
    days = CreationDays(plan)
    opps = []
    for entity in prospects[:count]:
        side = next(iter(sorted(entity.records)))
        product = entry[side]
        direction = sale_direction(seller=product.company, customer_of=entity.customer_of)
        candidate = Candidate(entity, product, Kind.CROSS_SELL, direction, False)
        owner = covering_rep(entity, side, HUNTER)
        trained = (owner, product.code) in certified
        walk = _walk(rng, plan, candidate, owner, days.pick(rng), trained)
        if walk.outcome == "won" and rng.random() < 0.7:
            walk = replace(walk, outcome="lost", final_open_stage=1)
        need = customer_need(rng, entity)
        opps.append(OppRecord.of(candidate, owner=owner, need=need, life=walk_history(rng, walk)))
    return opps
