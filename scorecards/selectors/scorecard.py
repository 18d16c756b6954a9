"""Reads of the six-C scorecard pages: the program's segments, one segment, one C.

Scores come from scorecards.selectors.scores (frozen, stored or scored on the
fly: a page never writes). Each read costs the same few queries whatever the
number of segments or months: assessments and score changes are one query
each, grouped in Python.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounts.models import Merger, Segment
from scorecards.models import Assessment, ScoreChange, SegmentScore, SixC
from scorecards.scoring import CResult, IndicatorResult, SegmentResult
from scorecards.selectors.scores import (
    MonthScores,
    Source,
    scores_of,
    segment_scores_with_previous,
)

HISTORY_SHOWN = 100

# What each C asks, from the research behind the six Cs; shown beside its score.
C_QUESTIONS = {
    SixC.COMPLEMENTARITY: _(
        "How well do the two companies' accounts, products and services complement each "
        "other, in both directions? Teams tend to overestimate it: validate product pairs "
        "with real customers."
    ),
    SixC.CONNECTION: _(
        "Do we have strong relationships to build on, with the decision maker and not only "
        "with the account?"
    ),
    SixC.CAPACITY: _(
        "Can the sales force focus on cross-selling next to its core quota, or would "
        "cross-sell only replace other sales?"
    ),
    SixC.CAPABILITY: _(
        "Do the sellers have the skills the new products need: consultative and solution "
        "selling, hunting new accounts, a specialist where one is needed?"
    ),
    SixC.COMPENSATION: _(
        "Is cross-selling economically attractive next to the existing plan, for reps and "
        "for their leaders alike?"
    ),
    SixC.COMMITMENT: _(
        "Is the company committed: an accountable leader, cross-sell in the scorecard with "
        "monthly reviews, and processes that let a deal be booked? Commitment correlates "
        "most strongly with success."
    ),
}


@dataclass(frozen=True)
class CCell:
    c: str
    label: str
    result: CResult | None

    @property
    def score(self) -> Decimal | None:
        return self.result.score if self.result else None

    @property
    def computed(self) -> Decimal | None:
        return self.result.computed if self.result else None

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def explanation(self) -> str:
        return self.result.explanation if self.result else ""

    @property
    def weakest(self) -> IndicatorResult | None:
        return self.result.weakest if self.result else None

    @property
    def missing_data(self) -> list[str]:
        return self.result.missing_data if self.result else []

    @property
    def assessed(self) -> bool:
        return self.score is not None and self.score != self.computed


@dataclass(frozen=True)
class SegmentRow:
    segment_id: int
    name: str
    cells: list[CCell]
    composite: Decimal | None
    strong_count: int | None
    scored_count: int | None
    previous_composite: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.composite is None or self.previous_composite is None:
            return None
        return self.composite - self.previous_composite


@dataclass(frozen=True)
class ScorecardBoard:
    month: date
    scores: MonthScores
    rows: list[SegmentRow]

    @property
    def source(self) -> str:
        return self.scores.source

    @property
    def frozen(self) -> bool:
        return self.source == Source.FROZEN

    @property
    def has_scores(self) -> bool:
        return any(row.composite is not None for row in self.rows)


def frozen_score_months(*, merger: Merger) -> set[date]:
    return set(
        SegmentScore.objects.filter(merger=merger, frozen=True)
        .values_list("month", flat=True)
        .distinct()
    )


def scorecard_board(*, merger: Merger, month: date) -> ScorecardBoard:
    """Every segment's six scores, composite, strong Cs and change since last month."""
    now, before = segment_scores_with_previous(merger=merger, month=month)
    rows = []
    for segment_id, name in merger.segments.order_by("name").values_list("id", "name"):
        result, previous = now.of(segment_id), before.of(segment_id) if before else None
        rows.append(
            SegmentRow(
                segment_id=segment_id,
                name=name,
                cells=_cells(result),
                composite=result.composite if result else None,
                strong_count=result.strong_count if result else None,
                scored_count=result.scored_count if result else None,
                previous_composite=previous.composite if previous else None,
            )
        )
    return ScorecardBoard(month=now.month, scores=now, rows=rows)


def _cells(result: SegmentResult | None) -> list[CCell]:
    return [
        CCell(c=c, label=str(label), result=result.c(c) if result else None)
        for c, label in SixC.choices
    ]


@dataclass
class CDetail:
    c: str
    label: str
    question: str
    month: date
    result: CResult | None
    computed_at: datetime | None
    previous_score: Decimal | None
    assessments: list[Assessment] = field(default_factory=list)
    changes: list[ScoreChange] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        return self.result.score if self.result else None

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return self.result.indicators if self.result else ()

    @property
    def latest_assessment(self) -> Assessment | None:
        """The assessment that applies this month: the newest of the month."""
        return next((a for a in self.assessments if a.month == self.month), None)

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass
class SegmentScorecard:
    segment: Segment
    month: date
    scores: MonthScores
    composite: Decimal | None
    strong_count: int | None
    scored_count: int | None
    previous_composite: Decimal | None
    cs: list[CDetail]

    @property
    def frozen(self) -> bool:
        return self.scores.source == Source.FROZEN

    @property
    def has_scores(self) -> bool:
        return any(detail.result is not None for detail in self.cs)

    @property
    def radar(self) -> dict[str, Decimal]:
        return {d.c: d.score for d in self.cs if d.score is not None}

    @property
    def radar_previous(self) -> dict[str, Decimal]:
        return {d.c: d.previous_score for d in self.cs if d.previous_score is not None}

    @property
    def composite_change(self) -> Decimal | None:
        if self.composite is None or self.previous_composite is None:
            return None
        return self.composite - self.previous_composite

    @property
    def changes(self) -> list[ScoreChange]:
        merged = [change for detail in self.cs for change in detail.changes]
        return sorted(merged, key=lambda change: (change.changed_at, change.pk), reverse=True)


def segment_scorecard(*, segment: Segment, month: date, c: str | None = None) -> SegmentScorecard:
    """One segment's month: each C with its indicators, assessments and score changes.

    With `c`, only that C, and its assessments and score changes of every month
    (the newest HISTORY_SHOWN of each), for the page that looks at one C in depth.
    """
    chosen = [c] if c else list(SixC.values)
    now, before = segment_scores_with_previous(merger=segment.merger, month=month)
    result = now.of(segment.pk)
    previous = before.of(segment.pk) if before else None
    details = {
        key: CDetail(
            c=key,
            label=str(SixC(key).label),
            question=str(C_QUESTIONS[key]),
            month=now.month,
            result=result.c(key) if result else None,
            computed_at=now.computed_at_of.get((segment.pk, key), now.computed_at),
            previous_score=_score_of(previous, key),
        )
        for key in chosen
    }
    _add_history(details, segment, None if c else now.month)
    return SegmentScorecard(
        segment=segment,
        month=now.month,
        scores=now,
        composite=result.composite if result else None,
        strong_count=result.strong_count if result else None,
        scored_count=result.scored_count if result else None,
        previous_composite=previous.composite if previous else None,
        cs=list(details.values()),
    )


def _score_of(result: SegmentResult | None, c: str) -> Decimal | None:
    c_result = result.c(c) if result else None
    return c_result.score if c_result else None


def _add_history(details: dict[str, CDetail], segment: Segment, month: date | None) -> None:
    """Assessments and score changes, newest first; every month's when `month` is None."""
    assessments = Assessment.objects.filter(segment=segment, c__in=list(details))
    changes = ScoreChange.objects.filter(
        c_score__segment=segment, c_score__c__in=list(details)
    ).select_related("changed_by", "c_score")
    assessments = assessments.select_related("author").order_by("-created_at", "-id")
    changes = changes.order_by("-changed_at", "-id")
    if month is not None:
        assessments = assessments.filter(month=month)
        changes = changes.filter(c_score__month=month)
    else:
        assessments, changes = assessments[:HISTORY_SHOWN], changes[:HISTORY_SHOWN]
    for assessment in assessments:
        details[assessment.c].assessments.append(assessment)
    for change in changes:
        details[change.c_score.c].changes.append(change)


def segment_radar(
    *, merger: Merger, segment_id: int, month: date
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """One segment's scored Cs this month and last, for a radar chart."""
    now, before = segment_scores_with_previous(merger=merger, month=month)
    return scores_of(now, segment_id), scores_of(before, segment_id)
