"""Reads of the six-C scorecard pages: the program's segments, one segment, one C.

Each read costs the same few queries whatever the number of segments or
months: scores, composites, indicators, assessments and score changes are one
query each, grouped in Python.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounts.models import Merger, Segment
from scorecards.indicators import INDICATORS
from scorecards.models import Assessment, CScore, IndicatorValue, ScoreChange, SegmentScore, SixC
from tracker.pipeline_math import add_months

HISTORY_SHOWN = 100
INDICATOR_ORDER = {indicator.code: position for position, indicator in enumerate(INDICATORS)}

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
    score: Decimal | None
    computed: Decimal | None
    explanation: str

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
    previous_composite: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.composite is None or self.previous_composite is None:
            return None
        return self.composite - self.previous_composite


@dataclass(frozen=True)
class ScorecardBoard:
    month: date
    frozen: bool
    computed_at: datetime | None
    rows: list[SegmentRow]

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
    previous = add_months(month, -1)
    scores: dict[int, dict[str, CScore]] = {}
    for score in CScore.objects.filter(merger=merger, month=month).only(
        "segment_id", "c", "score", "computed", "explanation"
    ):
        scores.setdefault(score.segment_id, {})[score.c] = score
    composites = {
        (row.segment_id, row.month): row
        for row in SegmentScore.objects.filter(merger=merger, month__in=[month, previous])
    }
    current = [row for (_s, row_month), row in composites.items() if row_month == month]
    rows = []
    for segment_id, name in merger.segments.order_by("name").values_list("id", "name"):
        now, before = composites.get((segment_id, month)), composites.get((segment_id, previous))
        rows.append(
            SegmentRow(
                segment_id=segment_id,
                name=name,
                cells=_cells(scores.get(segment_id, {})),
                composite=now.composite if now else None,
                strong_count=now.strong_count if now else None,
                previous_composite=before.composite if before else None,
            )
        )
    return ScorecardBoard(
        month=month,
        frozen=any(row.frozen for row in current),
        computed_at=max((row.computed_at for row in current), default=None),
        rows=rows,
    )


def _cells(scores: dict[str, CScore]) -> list[CCell]:
    cells = []
    for c, label in SixC.choices:
        score = scores.get(c)
        cells.append(
            CCell(
                c=c,
                label=str(label),
                score=score.score if score else None,
                computed=score.computed if score else None,
                explanation=score.explanation if score else "",
            )
        )
    return cells


@dataclass
class CDetail:
    c: str
    label: str
    question: str
    month: date
    score: CScore | None
    previous_score: Decimal | None
    indicators: list[IndicatorValue] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    changes: list[ScoreChange] = field(default_factory=list)

    @property
    def latest_assessment(self) -> Assessment | None:
        """The assessment that applies this month: the newest of the month."""
        return next((a for a in self.assessments if a.month == self.month), None)

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score.score - self.previous_score


@dataclass
class SegmentScorecard:
    segment: Segment
    month: date
    frozen: bool
    composite: Decimal | None
    strong_count: int | None
    previous_composite: Decimal | None
    cs: list[CDetail]

    @property
    def has_scores(self) -> bool:
        return any(detail.score is not None for detail in self.cs)

    @property
    def radar(self) -> dict[str, Decimal]:
        return {d.c: d.score.score for d in self.cs if d.score is not None}

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
    previous = add_months(month, -1)
    scores = {
        (score.month, score.c): score
        for score in CScore.objects.filter(
            segment=segment, month__in=[month, previous], c__in=chosen
        )
    }
    composites = {
        row.month: row
        for row in SegmentScore.objects.filter(segment=segment, month__in=[month, previous])
    }
    details = {
        key: CDetail(
            c=key,
            label=str(SixC(key).label),
            question=str(C_QUESTIONS[key]),
            month=month,
            score=scores.get((month, key)),
            previous_score=_score_of(scores.get((previous, key))),
        )
        for key in chosen
    }
    _add_indicators(details, segment, month)
    _add_history(details, segment, None if c else month)
    now, before = composites.get(month), composites.get(previous)
    return SegmentScorecard(
        segment=segment,
        month=month,
        frozen=bool(now and now.frozen),
        composite=now.composite if now else None,
        strong_count=now.strong_count if now else None,
        previous_composite=before.composite if before else None,
        cs=list(details.values()),
    )


def _score_of(score: CScore | None) -> Decimal | None:
    return score.score if score else None


def _add_indicators(details: dict[str, CDetail], segment: Segment, month: date) -> None:
    rows = IndicatorValue.objects.filter(segment=segment, month=month, c__in=list(details))
    for row in sorted(rows, key=lambda row: INDICATOR_ORDER.get(row.code, len(INDICATOR_ORDER))):
        details[row.c].indicators.append(row)


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
    """One segment's six scores this month and last, for a radar chart."""
    previous = add_months(month, -1)
    now: dict[str, Decimal] = {}
    before: dict[str, Decimal] = {}
    for score_month, c, score in CScore.objects.filter(
        merger=merger, segment_id=segment_id, month__in=[month, previous]
    ).values_list("month", "c", "score"):
        (now if score_month == month else before)[c] = score
    return now, before
