"""The whole demo program as plain data: what `write` will store, decided up front."""

import random
from dataclasses import dataclass

from devtools.demo.accounts import entities_build, greenfield_build
from devtools.demo.core_deals import CoreRecord, core_win_rates_build
from devtools.demo.entity import Entity
from devtools.demo.org import QuotaRecord, RepRecord, reps_build
from devtools.demo.patterns import (
    burst_build,
    reopened_twice_build,
    thin_wins_build,
    unused_candidates,
)
from devtools.demo.pipeline import (
    OppRecord,
    candidates_of,
    certified_pairs,
    choose_candidates,
    opportunities_build,
    prospect_opportunities_build,
)
from devtools.demo.plan import DemoPlan
from devtools.demo.targets import (
    ReviewRecord,
    TargetRecord,
    quotas_build,
    reviews_build,
    targets_build,
)

PROSPECT_OPPORTUNITY_SHARE = 0.05


@dataclass
class World:
    plan: DemoPlan
    entities: list[Entity]  # known to at least one CRM
    greenfield: list[Entity]  # known to neither
    reps: list[RepRecord]
    opportunities: list[OppRecord]
    quotas: list[QuotaRecord]
    targets: list[TargetRecord]
    reviews: list[ReviewRecord]
    core_win_rates: list[CoreRecord]


def _rng(plan: DemoPlan, part: str) -> random.Random:
    # One stream per part: changing how one part is built leaves the others alone.
    return random.Random(f"{plan.seed}:{part}")


def world_build(plan: DemoPlan) -> World:
    entities = entities_build(_rng(plan, "accounts"), plan)
    greenfield = greenfield_build(_rng(plan, "greenfield"), plan, entities)
    reps = reps_build(_rng(plan, "reps"), plan)
    opportunities = _opportunities(plan, entities, certified_pairs(reps))
    return World(
        plan=plan,
        entities=entities,
        greenfield=greenfield,
        reps=reps,
        opportunities=opportunities,
        quotas=quotas_build(_rng(plan, "quotas"), plan, reps, opportunities),
        targets=targets_build(plan, entities),
        reviews=reviews_build(day_one=plan.day_one, today=plan.today),
        core_win_rates=core_win_rates_build(_rng(plan, "core"), plan),
    )


def _opportunities(
    plan: DemoPlan, entities: list[Entity], certified: frozenset[tuple[str, str]]
) -> list[OppRecord]:
    rng = _rng(plan, "pipeline")
    # Enough of each pattern at any scale for supervision's thresholds to fire.
    burst = max(12, round(24 * plan.scale))
    thin = max(3, round(8 * plan.scale))
    twice = max(2, round(5 * plan.scale))
    prospects = round(plan.opportunities * PROSPECT_OPPORTUNITY_SHARE)
    regular = plan.opportunities - burst - thin - twice - prospects
    candidates = candidates_of(entities)
    chosen = choose_candidates(rng, candidates, regular)
    unused = unused_candidates(candidates, chosen)
    return [
        *opportunities_build(rng, plan, chosen, certified),
        *prospect_opportunities_build(rng, plan, entities, prospects, certified),
        *burst_build(rng, plan, unused, burst),
        *thin_wins_build(rng, plan, unused, thin),
        *reopened_twice_build(rng, plan, unused, twice),
    ]
