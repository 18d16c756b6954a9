"""A month's six-C scores as every page, API response and export reads them.

Reads never write. A frozen month answers with its frozen scores. An open
month answers with the scores the recompute task stored, if they were computed
on the month's scoring day after the program's data last changed; otherwise it
is scored on the fly from the indicators and the pure scoring functions, and
nothing is stored. Scores are written only by the month-end freeze, a leader's
assessment and the recompute task that follows a data change
(scorecards.services.scores).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from accounts.models import Merger
from scorecards.models import (
    Assessment,
    CScore,
    IndicatorValue,
    ProgramDataChange,
    ScoringPolicy,
    SegmentScore,
    SixC,
)
from scorecards.scoring import (
    Assessed,
    CResult,
    IndicatorResult,
    SegmentResult,
    codes_of,
    score_segment,
)
from scorecards.selectors.indicators import indicator_values, scoring_date
from tracker.pipeline_math import add_months


class Source:
    FROZEN = "frozen"
    STORED = "stored"
    LIVE = "live"


@dataclass(frozen=True)
class MonthScores:
    month: date
    source: str
    computed_at: datetime | None
    segments: dict[int, SegmentResult] = field(default_factory=dict)
    # When each stored C score was computed, by (segment, C); empty for live scores.
    computed_at_of: dict[tuple[int, str], datetime] = field(default_factory=dict)
    # Live scores of a month whose stored scores are older than its data.
    outdated_stored: bool = False

    @property
    def frozen(self) -> bool:
        return self.source == Source.FROZEN

    @property
    def has_scores(self) -> bool:
        return any(result.scored_count for result in self.segments.values())

    def of(self, segment_id: int) -> SegmentResult | None:
        return self.segments.get(segment_id)

    def c_of(self, segment_id: int, c: str) -> CResult | None:
        result = self.segments.get(segment_id)
        return result.c(c) if result else None


def policy_of(*, merger: Merger) -> ScoringPolicy:
    """The program's scoring policy, or the defaults (unsaved: a read creates nothing)."""
    return ScoringPolicy.objects.filter(merger=merger).first() or ScoringPolicy(merger=merger)


def segment_scores_for(
    *, merger: Merger, month: date, today: date | None = None, outdated_ok: bool = False
) -> MonthScores:
    """Every segment's six Cs, composite and strong count for the month; see the module.

    With `outdated_ok`, stored scores of an open month answer even when data changed
    after they were computed (the dashboard's overview, which says when they are from):
    scoring on the fly reads every indicator, seconds on a large program, and the
    recompute task follows every change within minutes.
    """
    month = month.replace(day=1)
    rows = list(
        SegmentScore.objects.filter(merger=merger, month=month).values_list(
            "segment_id", "frozen", "computed_at", "composite", "strong_count", "scored_count"
        )
    )
    if any(frozen for _segment, frozen, *_rest in rows):
        return _stored(merger, month, Source.FROZEN, rows)
    if rows and (outdated_ok or _fresh(merger, month, rows, today)):
        return _stored(merger, month, Source.STORED, rows)
    return MonthScores(
        month=month,
        source=Source.LIVE,
        computed_at=timezone.now(),
        segments=segment_results_live(merger=merger, month=month, today=today),
        outdated_stored=bool(rows),
    )


def _fresh(merger: Merger, month: date, rows: list, today: date | None) -> bool:
    """Stored scores cover every segment, and nothing changed since they were computed."""
    segment_ids = set(merger.segments.values_list("id", flat=True))
    if {row[0] for row in rows} != segment_ids:
        return False
    oldest = min(row[2] for row in rows)
    changes = ProgramDataChange.objects.filter(merger=merger)
    changed = changes.values_list("changed_at", flat=True).first()
    if changed is not None and changed > oldest:
        return False
    # Stale deals and windows move with the date: an open month's scores are a day's.
    return timezone.localdate(oldest) >= scoring_date(month=month, today=today)


def segment_results_live(
    *, merger: Merger, month: date, today: date | None = None
) -> dict[int, SegmentResult]:
    """Scores computed now from the indicators, the policy and the latest assessments."""
    month = month.replace(day=1)
    policy = policy_of(merger=merger)
    values = indicator_values(merger=merger, month=month, today=today)
    assessments = latest_assessments(merger=merger, month=month)
    return {
        segment_id: score_segment(
            segment_values,
            SixC.values,
            weights=policy.weights,
            overrides=policy.thresholds,
            strong_from=policy.strong_from,
            assessments=assessments.get(segment_id),
        )
        for segment_id, segment_values in values.items()
    }


def latest_assessments(*, merger: Merger, month: date) -> dict[int, dict[str, Assessed]]:
    """{segment: {C: (mode, score)}}: the newest assessment of each C applies."""
    latest: dict[int, dict[str, Assessed]] = {}
    rows = (
        Assessment.objects.filter(merger=merger, month=month)
        .order_by("-created_at", "-id")
        .values_list("segment_id", "c", "mode", "score")
    )
    for segment_id, c, mode, score in rows:
        latest.setdefault(segment_id, {}).setdefault(c, (mode, score))
    return latest


def _stored(merger: Merger, month: date, source: str, rows: list) -> MonthScores:
    indicators: dict[tuple[int, str], dict[str, IndicatorResult]] = {}
    for segment_id, c, code, value, score, threshold in IndicatorValue.objects.filter(
        merger=merger, month=month
    ).values_list("segment_id", "c", "code", "value", "score", "threshold"):
        indicators.setdefault((segment_id, c), {})[code] = IndicatorResult(
            code, value, score, threshold
        )
    cs: dict[int, list[CResult]] = {}
    computed_at: dict[tuple[int, str], datetime] = {}
    # Rows, not model instances: two months of every segment's six Cs on each dashboard.
    rows_of_cs = CScore.objects.filter(merger=merger, month=month).values_list(*_StoredC._fields)
    for score in map(_StoredC._make, rows_of_cs):
        measured = indicators.get((score.segment_id, score.c), {})
        cs.setdefault(score.segment_id, []).append(_c_result(score, measured))
        computed_at[score.segment_id, score.c] = score.computed_at
    order = {c: position for position, c in enumerate(SixC.values)}
    segments = {
        segment_id: SegmentResult(
            cs=tuple(sorted(cs.get(segment_id, []), key=lambda result: order[result.c])),
            composite=composite,
            strong_count=strong,
            scored_count=scored,
        )
        for segment_id, _frozen, _at, composite, strong, scored in rows
    }
    return MonthScores(
        month=month,
        source=source,
        computed_at=max((row[2] for row in rows), default=None),
        segments=segments,
        computed_at_of=computed_at,
    )


class _StoredC(NamedTuple):
    """What a stored CScore row gives the overview, named as the model's fields."""

    segment_id: int
    c: str
    computed: Decimal | None
    score: Decimal | None
    assessed: bool
    weakest_code: str
    weakest_value: Decimal | None
    weakest_score: Decimal | None
    computed_at: datetime


def _c_result(score: _StoredC, measured: dict[str, IndicatorResult]) -> CResult:
    results = tuple(
        measured.get(code) or IndicatorResult(code, None, None, "") for code in codes_of(score.c)
    )
    weakest = None
    if score.weakest_code:
        stored = measured.get(score.weakest_code)
        weakest = IndicatorResult(
            score.weakest_code,
            score.weakest_value,
            score.weakest_score,
            stored.threshold if stored else "",
        )
    return CResult(
        c=score.c,
        computed=score.computed,
        score=score.score,
        indicators=results,
        weakest=weakest,
        assessed=score.assessed,
    )


def segment_scores_with_previous(
    *, merger: Merger, month: date, today: date | None = None, outdated_ok: bool = False
) -> tuple[MonthScores, MonthScores | None]:
    """The month's scores and last month's (None before Day 1), for changes and radars."""
    previous = add_months(month.replace(day=1), -1)
    now = segment_scores_for(merger=merger, month=month, today=today, outdated_ok=outdated_ok)
    if previous < merger.day_one.replace(day=1):
        return now, None
    before = segment_scores_for(
        merger=merger, month=previous, today=today, outdated_ok=outdated_ok
    )
    return now, before


def scores_of(scores: MonthScores | None, segment_id: int | None) -> dict[str, Decimal]:
    """A segment's scored Cs, {C: score}: what a radar draws."""
    result = scores.of(segment_id) if scores and segment_id is not None else None
    if result is None:
        return {}
    return {c.c: c.score for c in result.cs if c.score is not None}


def dashboard_six_c(
    *,
    merger: Merger,
    month: date,
    segment_id: int | None,
    segments: list[tuple[int, str]] | None = None,
) -> dict:
    """The dashboard's six-C heat map and radar: scores, and which Cs are not scored.

    `segments` are the program's (id, name) by name where the caller has read them."""
    now, before = segment_scores_with_previous(merger=merger, month=month, outdated_ok=True)
    if segments is None:
        segments = list(merger.segments.order_by("name").values_list("id", "name"))
    chosen = segment_id or next(
        (sid for sid, _name in segments if (result := now.of(sid)) and result.scored_count),
        None,
    )

    def row(sid: int) -> list[Decimal | None]:
        result = now.of(sid)
        return [result.c(c).score if result and result.c(c) else None for c in SixC.values]

    return {
        "segments": [name for _id, name in segments],
        "segment_ids": [sid for sid, _n in segments],
        "scores": [row(sid) for sid, _n in segments],
        "radar_segment": dict(segments).get(chosen, ""),
        "radar_segment_id": chosen,
        "radar": scores_of(now, chosen),
        "radar_previous": scores_of(before, chosen),
        "missing": [_missing_row(now.of(sid)) for sid, _n in segments],
        "has_scores": now.has_scores,
        "source": now.source,
        "computed_at": now.computed_at,
    }


def _missing_row(result: SegmentResult | None) -> list[str]:
    """Per C, the data that would score it, or "" where it is scored."""
    if result is None:
        return ["" for _c in SixC.values]
    cells = []
    for c in SixC.values:
        c_result = result.c(c)
        scored = c_result is None or c_result.scored
        cells.append("" if scored else "; ".join(c_result.missing_data))
    return cells
