"""How well matching finds the demo's shared customers, from the records alone.

The demo's generator knows which CRM records are one company (`truth_of`);
the matching engine sees only the records, as the seed writes them. Pure: the
world is built in memory and matched by the engine, as `accounts_match` does
after the seed's import, without a database.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from accounts.matching.engine import Outcome, match_records
from accounts.matching.scoring import make_record
from devtools.demo.entity import fields_of
from devtools.demo.plan import DEFAULT_SEED, demo_plan
from devtools.demo.world import world_build


@dataclass(frozen=True, slots=True)
class DemoMatchQuality:
    records: int
    true_pairs: int  # customers both CRMs hold
    auto_matches: int
    review_pairs: int
    auto_precision: float
    auto_recall: float
    surfaced_recall: float


def demo_match_quality(
    *, seed: int = DEFAULT_SEED, scale: float = 1.0, today: date
) -> DemoMatchQuality:
    world = world_build(demo_plan(seed=seed, scale=scale, today=today))
    roles = sorted({r.company for e in world.entities for r in e.records.values()})
    company_of = {role: number for number, role in enumerate(roles, start=1)}
    by_company: dict[int, list] = {number: [] for number in company_of.values()}
    entity_of: dict[int, str] = {}
    for entity in world.entities:
        for record in entity.records.values():
            record_id = len(entity_of) + 1
            entity_of[record_id] = entity.key
            # As the matching run loads a record: a record without a website keeps
            # the domain it got elsewhere.
            by_company[company_of[record.company]].append(
                make_record(
                    id=record_id,
                    company_id=company_of[record.company],
                    website=record.website or record.domain,
                    **fields_of(record, "name duns vat lei country city"),
                )
            )
    left, right = (by_company[number] for number in sorted(by_company))
    decisions = match_records(left, right)
    auto = [(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.AUTO_MATCH]
    review = [(d.left_id, d.right_id) for d in decisions if d.outcome == Outcome.REVIEW]
    true_pairs = sum(1 for count in Counter(entity_of.values()).values() if count == 2)
    right_auto = sum(1 for a, b in auto if entity_of[a] == entity_of[b])
    surfaced = {(a, b) for a, b in auto + review if entity_of[a] == entity_of[b]}
    return DemoMatchQuality(
        records=len(entity_of),
        true_pairs=true_pairs,
        auto_matches=len(auto),
        review_pairs=len(review),
        auto_precision=right_auto / len(auto) if auto else 1.0,
        auto_recall=right_auto / true_pairs if true_pairs else 1.0,
        surfaced_recall=len(surfaced) / true_pairs if true_pairs else 1.0,
    )
