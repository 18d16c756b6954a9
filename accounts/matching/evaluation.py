"""Precision and recall of the scoring on a labelled set of record pairs.

The labelled set is a CSV with one pair a row: `left_*` and `right_*` columns
for name, website, duns, vat, lei, country and city, and `label` ("match" or
"no_match"). Precision is measured on automatic matches, recall on what the
engine surfaces at all (automatic matches plus the review queue).
"""

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from accounts.matching.frequency import stats_of
from accounts.matching.scoring import MatchScore, Record, make_record, score_pair

FIELDS = ("name", "website", "duns", "vat", "lei", "country", "city")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    case_id: str
    category: str
    is_match: bool
    left: Record
    right: Record


@dataclass(frozen=True, slots=True)
class Metrics:
    """Counts over pairs; precision of auto matches, recall of auto plus review."""

    pairs: int
    true_pairs: int
    auto_true: int
    auto_false: int
    review_true: int
    review_false: int

    @property
    def auto_precision(self) -> float:
        auto = self.auto_true + self.auto_false
        return self.auto_true / auto if auto else 1.0

    @property
    def auto_recall(self) -> float:
        return self.auto_true / self.true_pairs if self.true_pairs else 1.0

    @property
    def surfaced_recall(self) -> float:
        surfaced = self.auto_true + self.review_true
        return surfaced / self.true_pairs if self.true_pairs else 1.0

    @property
    def review_load(self) -> int:
        return self.review_true + self.review_false

    def as_dict(self) -> dict[str, float | int]:
        return {
            "pairs": self.pairs,
            "true_pairs": self.true_pairs,
            "auto_precision": round(self.auto_precision, 4),
            "auto_recall": round(self.auto_recall, 4),
            "surfaced_recall": round(self.surfaced_recall, 4),
            "review_load": self.review_load,
        }


def load_labelled_pairs(path: Path) -> list[LabelledPair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [_labelled_pair(row) for row in csv.DictReader(handle)]


def _labelled_pair(row: dict[str, str]) -> LabelledPair:
    case_id = row["case_id"]
    left = make_record(id=0, company_id=1, **{f: row[f"left_{f}"] for f in FIELDS})
    right = make_record(id=1, company_id=2, **{f: row[f"right_{f}"] for f in FIELDS})
    return LabelledPair(case_id, row["category"], row["label"] == "match", left, right)


def metrics_from_outcomes(
    outcomes: Iterable[tuple[bool, float]], *, auto_threshold: float, review_threshold: float
) -> Metrics:
    """Metrics from (is a true match, score) pairs."""
    counts: Counter[tuple[str, bool]] = Counter()
    for is_match, score in outcomes:
        counts["all", is_match] += 1
        if score >= auto_threshold:
            counts["auto", is_match] += 1
        elif score >= review_threshold:
            counts["review", is_match] += 1
    return Metrics(
        pairs=counts["all", True] + counts["all", False],
        true_pairs=counts["all", True],
        auto_true=counts["auto", True],
        auto_false=counts["auto", False],
        review_true=counts["review", True],
        review_false=counts["review", False],
    )


def score_labelled(pairs: Sequence[LabelledPair]) -> list[MatchScore]:
    """Each pair scored as the engine scores it: with how common names and words
    are among all the records of the set."""
    stats = stats_of([record for pair in pairs for record in (pair.left, pair.right)])
    return [score_pair(pair.left, pair.right, stats) for pair in pairs]


def evaluate_labelled(
    pairs: Sequence[LabelledPair], *, auto_threshold: float, review_threshold: float
) -> Metrics:
    scores = score_labelled(pairs)
    return metrics_from_outcomes(
        ((pair.is_match, result.score) for pair, result in zip(pairs, scores, strict=True)),
        auto_threshold=auto_threshold,
        review_threshold=review_threshold,
    )
