"""From records to decisions: block, score, cluster.

Pairs are taken best first. A pair at or above the automatic threshold joins
the two records' groups unless the joined group would hold two records of one
legacy company (a CRM has one record per customer; a duplicate within a CRM is
for a person to judge, so that pair goes to review instead), or unless another
record of the same company fits as well (within `AMBIGUITY_MARGIN`): "Carnival"
against "Carnival Corp" and "Carnival plc" is a question for a person, not a
coin to toss. Pairs between the thresholds go to review, a few per record,
except where the record already has a clearly better match in that company.
Every record left alone becomes its own group.
"""

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from accounts.matching.blocking import BlockingStats, candidate_pairs
from accounts.matching.frequency import stats_of
from accounts.matching.scoring import MatchScore, Method, Reason, Record, score_pair

DEFAULT_AUTO_THRESHOLD = 90.0
DEFAULT_REVIEW_THRESHOLD = 75.0
# Location and legal form add up to 9 points to a name; names further apart
# than the review threshold minus this margin are not worth scoring.
BLOCKING_MARGIN = 5.0
MAX_REVIEWS_PER_RECORD = 3
# Two candidates of one company this close are equally likely for a record.
AMBIGUITY_MARGIN = 5.0


class Outcome(StrEnum):
    AUTO_MATCH = "auto_match"
    REVIEW = "review"
    NEW_ACCOUNT = "new_account"


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one pair (auto, review) or one lone record (new account).

    `group` names the unified account a record belongs to: records of the
    auto-match and new-account decisions that share a group belong together.
    """

    outcome: Outcome
    left_id: int
    right_id: int | None
    score: float
    method: str
    reasons: tuple[Reason, ...] = ()
    group: int | None = None


@dataclass(slots=True)
class _Groups:
    """Union-find over records that tracks which companies each group holds.

    Records of one fixed group (an account a person settled) start together;
    two fixed groups never join.
    """

    parent: dict[int, int]
    companies: dict[int, set[int]]
    fixed: set[int]  # roots of groups holding fixed records

    @classmethod
    def of(cls, records: Sequence[Record], fixed_groups: Mapping[int, int]) -> "_Groups":
        groups = cls({r.id: r.id for r in records}, {r.id: {r.company_id} for r in records}, set())
        first_of: dict[int, int] = {}
        for record in records:
            label = fixed_groups.get(record.id)
            if label is None:
                continue
            first = first_of.setdefault(label, record.id)
            if first != record.id:
                groups._union(groups.root(first), groups.root(record.id))
            groups.fixed.add(groups.root(first))
        return groups

    def root(self, record_id: int) -> int:
        parent = self.parent
        while parent[record_id] != record_id:
            parent[record_id] = parent[parent[record_id]]
            record_id = parent[record_id]
        return record_id

    def _union(self, root_a: int, root_b: int) -> None:
        self.parent[root_b] = root_a
        self.companies[root_a] |= self.companies.pop(root_b)
        if root_b in self.fixed:
            self.fixed.discard(root_b)
            self.fixed.add(root_a)

    def join(self, a: int, b: int) -> bool:
        root_a, root_b = self.root(a), self.root(b)
        if (
            root_a == root_b
            or self.companies[root_a] & self.companies[root_b]
            or (root_a in self.fixed and root_b in self.fixed)
        ):
            return False
        self._union(root_a, root_b)
        return True


type ScoredPair = tuple[float, int, int, MatchScore]


def _scored_pairs(
    records: Sequence[Record],
    *,
    review_threshold: float,
    excluded_pairs: Collection[frozenset[int]],
    fixed: Collection[int],
    stats: BlockingStats | None,
) -> list[ScoredPair]:
    scored = []
    min_similarity = max(0.0, review_threshold - BLOCKING_MARGIN)
    terms = stats_of(records)
    for i, j in candidate_pairs(records, min_similarity=min_similarity, stats=stats):
        a, b = records[i], records[j]
        if excluded_pairs and frozenset((a.id, b.id)) in excluded_pairs:
            continue
        if a.id in fixed and b.id in fixed:  # a person already decided about both
            continue
        result = score_pair(a, b, terms)
        if result.score >= review_threshold:
            scored.append((result.score, a.id, b.id, result))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return scored


def _ambiguous_pairs(
    scored: Sequence[ScoredPair],
    company_of: Mapping[int, int],
    fixed_groups: Mapping[int, int],
    auto_threshold: float,
) -> set[tuple[int, int]]:
    """Automatic-level pairs whose record has a rival of the same company: one
    scoring within the margin, named as exactly (an exact name beats a partial one,
    and an exact name with the same legal form beats one with another: "Blue Owl
    Capital Corp" against "BLUE OWL CAPITAL CORP" and "BLUE OWL CAPITAL INC")."""
    rivals: dict[tuple[int, int], list[tuple[float, int, int]]] = {}
    for score, a, b, result in scored:
        rank = _naming_rank(result)
        rivals.setdefault((a, company_of[b]), []).append((score, b, rank))
        rivals.setdefault((b, company_of[a]), []).append((score, a, rank))
    ambiguous = set()
    for score, a, b, result in scored:
        if score < auto_threshold:
            break
        rank = _naming_rank(result)
        for record, other in ((a, b), (b, a)):
            group = fixed_groups.get(other)
            if any(
                rival != other
                and rival_score >= score - AMBIGUITY_MARGIN
                and rival_rank >= rank
                and (group is None or fixed_groups.get(rival) != group)
                for rival_score, rival, rival_rank in rivals[record, company_of[other]]
            ):
                ambiguous.add((a, b))
    return ambiguous


def _naming_rank(result: MatchScore) -> int:
    """How exactly a pair is named alike: in part (0), the same name (1), the same
    name and legal form (2)."""
    if result.method != Method.EXACT_NAME:
        return 0
    return 2 if any(reason.code == "legal_form_match" for reason in result.reasons) else 1


def match_records(
    left: Sequence[Record],
    right: Sequence[Record],
    *,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    excluded_pairs: Collection[frozenset[int]] = frozenset(),
    fixed_groups: Mapping[int, int] = MappingProxyType({}),
    stats: BlockingStats | None = None,
    scored: Sequence[ScoredPair] | None = None,
) -> list[Decision]:
    """Decisions for every record of `left` and `right` (records of one company
    are never paired). Pairs are oriented with the `left` record first.

    `scored` takes pairs blocked and scored elsewhere (`accounts.matching.sql`
    runs both set-based in PostgreSQL); by default they are blocked and scored here.

    `excluded_pairs` holds id pairs a person rejected: never proposed again.
    `fixed_groups` maps records whose grouping a person settled to a label
    (their account): records of one label stay together, other records may
    join them, and two labels are never joined or compared.
    """
    if review_threshold > auto_threshold:
        raise ValueError("the review threshold must not exceed the automatic threshold")
    records = [*left, *right]
    left_ids = {record.id for record in left}
    groups = _Groups.of(records, fixed_groups)
    auto: list[tuple[int, int, MatchScore]] = []
    review: list[tuple[int, int, MatchScore]] = []
    if scored is None:
        scored = _scored_pairs(
            records,
            review_threshold=review_threshold,
            excluded_pairs=excluded_pairs,
            fixed=fixed_groups.keys(),
            stats=stats,
        )
    else:
        scored = sorted(
            (p for p in scored if p[0] >= review_threshold), key=lambda p: (-p[0], p[1], p[2])
        )
    company_of = {record.id: record.company_id for record in records}
    ambiguous = _ambiguous_pairs(scored, company_of, fixed_groups, auto_threshold)
    for score, a, b, result in scored:
        if score >= auto_threshold and (a, b) not in ambiguous and groups.join(a, b):
            auto.append((a, b, result))
        else:
            review.append((a, b, result))

    members: dict[int, list[int]] = {}
    for record in records:
        members.setdefault(groups.root(record.id), []).append(record.id)
    group_of = {rid: min(ids) for ids in members.values() for rid in ids}

    def oriented(a: int, b: int) -> tuple[int, int]:
        return (b, a) if b in left_ids and a not in left_ids else (a, b)

    decisions = [
        Decision(Outcome.AUTO_MATCH, *oriented(a, b), r.score, r.method, r.reasons, group_of[a])
        for a, b, r in auto
    ]
    group_size = {rid: len(ids) for ids in members.values() for rid in ids}
    matched: dict[tuple[int, int], float] = {}
    for a, b, result in auto:
        matched[a, company_of[b]] = max(matched.get((a, company_of[b]), 0.0), result.score)
        matched[b, company_of[a]] = max(matched.get((b, company_of[a]), 0.0), result.score)

    def outmatched(a: int, b: int, score: float) -> bool:
        """One of the records already has a clearly better match in the other's company."""
        return any(
            matched.get((record, company_of[other]), 0.0) > score + AMBIGUITY_MARGIN
            for record, other in ((a, b), (b, a))
        )

    review = [(a, b, r) for a, b, r in review if not outmatched(a, b, r.score)]
    decisions += _review_decisions(review, group_of, group_size, oriented)
    decisions += [
        Decision(Outcome.NEW_ACCOUNT, ids[0], None, 0.0, Method.NO_MATCH, group=ids[0])
        for ids in members.values()
        if len(ids) == 1
    ]
    return decisions


def _review_decisions(
    review: list[tuple[int, int, MatchScore]],
    group_of: dict[int, int],
    group_size: dict[int, int],
    oriented: Callable[[int, int], tuple[int, int]],
) -> list[Decision]:
    per_record: Counter[int] = Counter()
    decisions = []
    for a, b, result in review:
        # Already together, or both already matched: a suggestion only adds noise.
        if group_of[a] == group_of[b] or (group_size[a] > 1 and group_size[b] > 1):
            continue
        if per_record[a] >= MAX_REVIEWS_PER_RECORD or per_record[b] >= MAX_REVIEWS_PER_RECORD:
            continue
        per_record[a] += 1
        per_record[b] += 1
        left_id, right_id = oriented(a, b)
        score, method, reasons = result.score, result.method, result.reasons
        decisions.append(Decision(Outcome.REVIEW, left_id, right_id, score, method, reasons))
    return decisions
