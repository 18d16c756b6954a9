"""Opportunities that supervision must notice: the guardrails need something to catch."""

import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from devtools.demo.history import (
    LOST,
    OPEN_STAGES,
    WON,
    ChangeRecord,
    Life,
    Walk,
    close_again,
    reopen,
    walk_history,
)
from devtools.demo.org import BURST_REP, OPS, REOPEN_REP, TEAM_LEADER, THIN_NEED_REP
from devtools.demo.pipeline import Candidate, OppRecord
from devtools.demo.plan import DemoPlan
from devtools.world.rand import working_day
from devtools.world.vocabulary import BURST_NEED, EMEA, NORTH_AMERICA, THIN_NEEDS
from tracker.pipeline_math import add_months, month_start


def _in_region(candidates: list[Candidate], region: str) -> list[Candidate]:
    return [c for c in candidates if c.entity.region == region]


def burst_build(
    rng: random.Random, plan: DemoPlan, unused: list[Candidate], count: int
) -> list[OppRecord]:
    """One rep opens many opportunities within an hour and never touches them again."""
    day = working_day(plan.last_day - timedelta(days=41))
    pool = _in_region(unused, NORTH_AMERICA)
    rng.shuffle(pool)
    opps = []
    start = datetime.combine(day, time(16, 5), tzinfo=UTC)
    for i, candidate in enumerate(pool[:count]):
        at = start + timedelta(minutes=2 * i, seconds=rng.randint(0, 59))
        life = Life(
            OPEN_STAGES[0],
            OPEN_STAGES[0].probability,
            Decimal(rng.choice((25000, 50000))).quantize(Decimal("0.01")),
            day + timedelta(days=90),
            next_step="",
        )
        life.changes.append(ChangeRecord("created", "", "", "", BURST_REP.username, at))
        opps.append(OppRecord.of(candidate, owner=BURST_REP.username, need=BURST_NEED, life=life))
    return opps


def thin_wins_build(
    rng: random.Random, plan: DemoPlan, unused: list[Candidate], count: int
) -> list[OppRecord]:
    """Wins booked on the last day of a month with no stated need and no history."""
    pool = _in_region(unused, EMEA)
    rng.shuffle(pool)
    month_ends = []
    for back in range(1, 7):
        end = add_months(month_start(plan.today), -back + 1) - timedelta(days=1)
        if end >= plan.day_one + timedelta(days=30):
            month_ends.append(end)
    opps = []
    for candidate in pool[:count]:
        won_on = rng.choice(month_ends) if month_ends else plan.last_day
        opened = datetime.combine(won_on - timedelta(days=1), time(17, 40), tzinfo=UTC)
        opened += timedelta(minutes=rng.randint(0, 15))
        closed = datetime.combine(won_on, time(18, 10), tzinfo=UTC)
        closed += timedelta(minutes=rng.randint(0, 40))
        amount = Decimal(round(float(candidate.product.deal) * 0.6 / 500) * 500)
        life = Life(
            WON, WON.probability, amount.quantize(Decimal("0.01")), won_on, closed_on=won_on
        )
        user = THIN_NEED_REP.username
        probabilities = str(OPEN_STAGES[0].probability), str(WON.probability)
        life.changes += [
            ChangeRecord("created", "", "", "", user, opened),
            ChangeRecord("changed", "stage", OPEN_STAGES[0].name, WON.name, user, closed),
            ChangeRecord("changed", "probability", *probabilities, user, closed),
            ChangeRecord("changed", "closed_on", "", won_on.isoformat(), user, closed),
        ]
        opps.append(OppRecord.of(candidate, owner=user, need=rng.choice(THIN_NEEDS), life=life))
    return opps


def reopened_twice_build(
    rng: random.Random, plan: DemoPlan, unused: list[Candidate], count: int
) -> list[OppRecord]:
    """Lost, reopened, lost again, reopened and won just before a quarter closes."""
    pool = [c for c in unused if c.entity.region not in (NORTH_AMERICA, EMEA)]
    rng.shuffle(pool)
    quarter_ends = [
        add_months(month_start(plan.today), -back) - timedelta(days=1)
        for back in range(0, 12)
        if add_months(month_start(plan.today), -back).month in (1, 4, 7, 10)
    ]
    quarter_ends = [d for d in quarter_ends if d >= plan.day_one + timedelta(days=150)]
    opps = []
    owner = REOPEN_REP.username
    for candidate in pool[:count]:
        won_on = rng.choice(quarter_ends) if quarter_ends else plan.last_day
        created = won_on - timedelta(days=rng.randint(110, 140))
        walk = Walk(
            created=created,
            end=created + timedelta(days=40),
            outcome="lost",
            final_open_stage=2,
            amount=Decimal(round(float(candidate.product.deal) * 0.5 / 500) * 500),
            expected_close=created + timedelta(days=40),
            owner=owner,
            leader=TEAM_LEADER[REOPEN_REP.team or ""],
            ops=OPS.username,
            last_day=plan.last_day,
        )
        life = walk_history(rng, walk)
        reopen(rng, life, walk, walk.end + timedelta(days=12), None)
        close_again(rng, life, walk, LOST, walk.end + timedelta(days=30))
        reopen(rng, life, walk, won_on - timedelta(days=6), won_on)
        opps.append(OppRecord.of(candidate, owner=owner, need=_need(candidate), life=life))
    return opps


def _need(candidate: Candidate) -> str:
    return (
        f"Wants {candidate.product.name} for the {candidate.entity.city or 'main'} site "
        "before the budget year closes."
    )


def unused_candidates(candidates: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    taken = {(c.entity.key, c.product.code) for c in chosen}
    return [c for c in candidates if (c.entity.key, c.product.code) not in taken]
