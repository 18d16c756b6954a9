"""The deal model's promise (an S-curve), quotas that fit it, and the monthly reviews."""

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Kind
from devtools.demo.entity import Entity
from devtools.demo.history import WON
from devtools.demo.org import SPECIALIST, QuotaRecord, RepRecord
from devtools.demo.pipeline import OppRecord
from devtools.demo.plan import SEGMENTS, DemoPlan
from devtools.world.vocabulary import REVIEW_NOTES
from tracker.pipeline_math import add_months, month_start

# The deal model's promise, set on Day 1 from the two companies' books and nothing
# later: once mature, cross-selling adds this share of the customers' legacy revenue a
# year, segment by segment. Whether the program keeps it is for the deals to show.
PROMISED_SHARE_OF_REVENUE = 0.05
# Cross-sell is a part of the revenue synergies the deal model promised.
REVENUE_SYNERGY_PER_CROSS_SELL = Decimal("1.6")
# A rep's core quota as a multiple of what they win in cross-sell a month: a measure of
# the size of their book. How much cross-sell quota comes on top is their desk's terms.
CORE_PER_CROSS_SELL = {"farmer": 4.0, "hunter": 3.0, SPECIALIST: 0.5}
CORE_QUOTA_FLOOR = {"farmer": 60000, "hunter": 40000, SPECIALIST: 10000}


@dataclass(frozen=True)
class TargetRecord:
    month: date
    segment: str | None
    revenue_synergy: Decimal
    cross_sell: Decimal


@dataclass(frozen=True)
class ReviewRecord:
    held_on: date
    notes: str


def s_curve(month_index: int, horizon: int) -> float:
    """Share of the full monthly run-rate expected `month_index` months after Day 1."""
    midpoint = horizon * 0.3
    return 1 / (1 + math.exp(-(month_index - midpoint) / (horizon / 8)))


def _round(value: float, step: int = 1000) -> Decimal:
    return Decimal(round(value / step) * step).quantize(Decimal("0.01"))


def _synergy(cross_sell: Decimal) -> Decimal:
    return (cross_sell * REVENUE_SYNERGY_PER_CROSS_SELL).quantize(Decimal("0.01"))


def targets_build(plan: DemoPlan, entities: list[Entity]) -> list[TargetRecord]:
    """Monthly targets per segment on an S-curve; the program row is their sum."""
    revenue: dict[str, float] = defaultdict(float)
    for entity in entities:
        if entity.segment is None:
            continue
        for record in entity.records.values():
            if record.is_customer:
                revenue[entity.segment] += float(record.revenue_current)
    months = plan.target_months
    curve = [s_curve(i, len(months)) for i in range(len(months))]
    rows = []
    for month, share in zip(months, curve, strict=True):
        parts = [
            _round(revenue[segment.name] * PROMISED_SHARE_OF_REVENUE / 12 * share, 100)
            for segment in SEGMENTS
        ]
        cross = sum(parts, Decimal("0.00"))
        rows.append(TargetRecord(month, None, _synergy(cross), cross))
        for segment, part in zip(SEGMENTS, parts, strict=True):
            rows.append(TargetRecord(month, segment.name, _synergy(part), part))
    return rows


def quotas_build(
    rng: random.Random, plan: DemoPlan, reps: list[RepRecord], opps: list[OppRecord]
) -> list[QuotaRecord]:
    """Core quotas sized by each rep's book; cross-sell on top, as their desk's terms say.

    A desk whose cross-sell share of quota is a fifth gets a cross-sell quota about
    what its reps win; a desk with a token share over-attains, one with none carries none.
    """
    won: dict[str, Decimal] = defaultdict(Decimal)
    elapsed = [m for m in plan.quota_months if m < month_start(plan.today)]
    first = elapsed[0] if elapsed else plan.quota_months[0]
    for opp in opps:
        closed = opp.life.closed_on
        if opp.life.stage is WON and opp.kind == Kind.CROSS_SELL and closed and closed >= first:
            won[opp.owner] += opp.life.amount
    months = max(1, len(elapsed))
    average = float(sum(won.values())) / max(1, len(reps)) / months
    quotas = []
    for rep in reps:
        monthly = float(won.get(rep.username, Decimal(0))) / months or average * 0.5
        cross_base = max(5000.0, monthly / rng.uniform(0.7, 1.3))
        core = _round(
            max(CORE_QUOTA_FLOOR[rep.motion], cross_base * CORE_PER_CROSS_SELL[rep.motion])
            * rng.uniform(0.85, 1.15)
        )
        share = rep.cross_sell_quota_pct
        cross = float(core) * share / (1 - share)
        for i, month in enumerate(plan.quota_months):
            ramp = 0.8 + 0.4 * i / 11  # the cross-sell part grows as the program ramps
            quotas.append(QuotaRecord(rep.username, month, core, _round(cross * ramp, 500)))
    return quotas


def reviews_build(*, day_one: date, today: date) -> list[ReviewRecord]:
    """Monthly reviews, with one month skipped: Commitment is rarely perfect."""
    reviews = []
    for back, notes in zip((4, 3, 1), REVIEW_NOTES, strict=True):
        month = add_months(month_start(today), -back)
        first_tuesday = month + timedelta(days=(1 - month.weekday()) % 7)
        held_on = first_tuesday + timedelta(days=7)
        if day_one <= held_on < today:
            reviews.append(ReviewRecord(held_on, notes))
    return reviews
