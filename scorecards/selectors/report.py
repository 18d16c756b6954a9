"""The scorecard report: the one row source that every export format renders.

A report is plain data (sections of typed columns and rows of Decimal, int,
str and date) so the CSV, XLSX and PDF renderers share it and never query the
database. Reading it costs the same few queries whatever the program's size:
every section is one grouped or bulk read for all segments at once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger
from scorecards.indicators import INDICATORS
from scorecards.models import Assessment, CScore, IndicatorValue, SegmentScore, SixC
from scorecards.selectors.program import ProgramScorecard, SynergyLine, program_scorecard
from scorecards.services.scores import scores_recompute
from tracker.pipeline_math import add_months

HUNDRED = Decimal("100")
INDICATOR_ORDER = {indicator.code: position for position, indicator in enumerate(INDICATORS)}
C_ORDER = {c: position for position, c in enumerate(SixC.values)}

type Cell = Decimal | int | str | date | None


class ColumnType(StrEnum):
    TEXT = "text"
    MONEY = "money"
    # A share as a fraction: Decimal("0.25") is 25%.
    PERCENT = "percent"
    SCORE = "score"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"


NUMERIC_TYPES = frozenset(
    {
        ColumnType.MONEY,
        ColumnType.PERCENT,
        ColumnType.SCORE,
        ColumnType.INTEGER,
        ColumnType.NUMBER,
    }
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: ColumnType = ColumnType.TEXT

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dicts by column key, for renderers that pick columns by name."""
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass
class ScorecardReport:
    title: str
    program: str
    month: date
    generated_at: datetime
    currency: str
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def scorecard_report(*, merger: Merger, month: date) -> ScorecardReport:
    """The program scorecard, six-C scores, their evidence and synergy for one month."""
    month = month.replace(day=1)
    _ensure_scores(merger, month)
    segments = dict(merger.segments.values_list("id", "name"))
    scorecard = program_scorecard(merger=merger, month=month)
    c_scores = _c_scores(merger, month)
    return ScorecardReport(
        title=_("Cross-sell scorecard"),
        program=merger.name,
        month=month,
        generated_at=timezone.now(),
        currency=merger.reporting_currency,
        sections=[
            _program_section(merger, scorecard),
            _six_cs_section(merger, month, segments, c_scores),
            _explanations_section(merger, month, segments, c_scores),
            _indicators_section(merger, month),
            _synergy_by_segment_section(scorecard),
            _synergy_by_direction_section(scorecard),
        ],
    )


def _ensure_scores(merger: Merger, month: date) -> None:
    # A month nobody scored yet is scored now; scores_recompute leaves frozen months alone.
    if not SegmentScore.objects.filter(merger=merger, month=month).exists():
        scores_recompute(merger_id=merger.pk, month=month)


def _c_scores(merger: Merger, month: date) -> dict[tuple[int, str], CScore]:
    rows = CScore.objects.filter(merger=merger, month=month).only(
        "segment_id", "c", "score", "computed", "explanation"
    )
    return {(row.segment_id, row.c): row for row in rows}


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / HUNDRED


def _program_section(merger: Merger, scorecard: ProgramScorecard) -> Section:
    line = scorecard.program
    money = ColumnType.MONEY
    columns = [
        Column("program", _("Program")),
        Column("month", _("Month"), ColumnType.DATE),
        Column("currency", _("Currency")),
        Column("target_to_date", _("Target to date"), money),
        Column("realized", _("Realized"), money),
        Column("forecast_low", _("Forecast, low"), money),
        Column("forecast", _("Forecast, expected"), money),
        Column("forecast_high", _("Forecast, high"), money),
        Column("gap_pct", _("Gap to target"), ColumnType.PERCENT),
        Column("research_gap_pct", _("Research average gap"), ColumnType.PERCENT),
        Column("total_target", _("Total target over the horizon"), money),
        Column("months_since_day_one", _("Months since Day 1"), ColumnType.INTEGER),
        Column("horizon_months", _("Horizon (months)"), ColumnType.INTEGER),
        Column("horizon_elapsed_pct", _("Horizon elapsed"), ColumnType.PERCENT),
        Column("day_one", _("Day 1"), ColumnType.DATE),
    ]
    row = (
        merger.name,
        scorecard.month,
        merger.reporting_currency,
        line.target_to_date,
        line.realized,
        line.forecast_low,
        line.forecast,
        line.forecast_high,
        _pct(line.gap_pct),
        _pct(scorecard.research_average_gap_pct),
        scorecard.total_target,
        scorecard.months_since_day_one,
        scorecard.horizon_months,
        _pct(scorecard.horizon_elapsed_pct),
        merger.day_one,
    )
    return Section("program", _("Program scorecard"), columns, [row])


def _six_cs_section(merger, month, segments, c_scores) -> Section:
    composites = {
        (row.segment_id, row.month): row
        for row in SegmentScore.objects.filter(
            merger=merger, month__in=[month, add_months(month, -1)]
        ).only("segment_id", "month", "composite", "strong_count")
    }
    previous_month = add_months(month, -1)
    columns = [
        Column("segment", _("Segment")),
        *[Column(c, str(label), ColumnType.SCORE) for c, label in SixC.choices],
        Column("composite", _("Composite"), ColumnType.SCORE),
        Column("strong_count", _("Cs rated strong"), ColumnType.INTEGER),
        Column("composite_change", _("Change since last month"), ColumnType.SCORE),
    ]
    rows = []
    for segment_id, name in _by_name(segments):
        current = composites.get((segment_id, month))
        previous = composites.get((segment_id, previous_month))
        change = current.composite - previous.composite if current and previous else None
        scores = [_score_of(c_scores.get((segment_id, c))) for c in SixC.values]
        rows.append(
            (
                name,
                *scores,
                current.composite if current else None,
                current.strong_count if current else None,
                change,
            )
        )
    return Section("six_cs", _("Six Cs by segment"), columns, rows)


def _by_name(segments: dict[int, str]) -> list[tuple[int, str]]:
    return sorted(segments.items(), key=lambda item: (item[1].casefold(), item[0]))


def _score_of(c_score: CScore | None) -> Decimal | None:
    return None if c_score is None else c_score.score


def _explanations_section(merger, month, segments, c_scores) -> Section:
    latest = _latest_assessments(merger, month)
    columns = [
        Column("segment", _("Segment")),
        Column("c", _("C")),
        Column("score", _("Score"), ColumnType.SCORE),
        Column("computed", _("Computed score"), ColumnType.SCORE),
        Column("explanation", _("Explanation")),
        Column("assessed_by", _("Assessed by")),
        Column("assessment_mode", _("Assessment")),
        Column("assessment_score", _("Assessed score or adjustment"), ColumnType.NUMBER),
        Column("evidence", _("Evidence")),
    ]
    labels = dict(SixC.choices)
    modes = dict(Assessment.Mode.choices)
    rows = []
    for segment_id, name in _by_name(segments):
        for c in SixC.values:
            c_score = c_scores.get((segment_id, c))
            if c_score is None:
                continue
            assessment = latest.get((segment_id, c))
            rows.append(
                (
                    name,
                    str(labels[c]),
                    c_score.score,
                    c_score.computed,
                    c_score.explanation,
                    _author(assessment),
                    str(modes[assessment.mode]) if assessment else "",
                    assessment.score if assessment else None,
                    assessment.evidence if assessment else "",
                )
            )
    return Section("explanations", _("Explanations"), columns, rows)


def _latest_assessments(merger: Merger, month: date) -> dict[tuple[int, str], Assessment]:
    latest: dict[tuple[int, str], Assessment] = {}
    rows = (
        Assessment.objects.filter(merger=merger, month=month)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    for row in rows:
        latest.setdefault((row.segment_id, row.c), row)
    return latest


def _author(assessment: Assessment | None) -> str:
    if assessment is None:
        return ""
    return assessment.author.get_full_name() or assessment.author.get_username()


def _indicators_section(merger: Merger, month: date) -> Section:
    columns = [
        Column("segment", _("Segment")),
        Column("c", _("C")),
        Column("indicator", _("Indicator")),
        Column("value", _("Value"), ColumnType.NUMBER),
        Column("unit", _("Unit")),
        Column("threshold", _("Thresholds (score: value)")),
        Column("score", _("Score"), ColumnType.SCORE),
        Column("source", _("Source")),
    ]
    values = IndicatorValue.objects.filter(merger=merger, month=month).values_list(
        "segment__name", "c", "code", "label", "value", "unit", "threshold", "score", "source"
    )
    ordered = sorted(
        values,
        key=lambda row: (
            row[0].casefold(),
            C_ORDER.get(row[1], 99),
            INDICATOR_ORDER.get(row[2], 999),
            row[2],
        ),
    )
    labels = dict(SixC.choices)
    rows = [
        (segment, str(labels.get(c, c)), label, value, unit, threshold, score, source)
        for segment, c, _code, label, value, unit, threshold, score, source in ordered
    ]
    return Section("indicators", _("Indicators"), columns, rows)


def _synergy_columns(first: Column, *, with_target: bool) -> list[Column]:
    money = ColumnType.MONEY
    target = [Column("target_to_date", _("Target to date"), money)] if with_target else []
    gap = [Column("gap_pct", _("Gap to target"), ColumnType.PERCENT)] if with_target else []
    return [
        first,
        *target,
        Column("realized", _("Realized"), money),
        Column("forecast_low", _("Forecast, low"), money),
        Column("forecast", _("Forecast, expected"), money),
        Column("forecast_high", _("Forecast, high"), money),
        *gap,
    ]


def _synergy_row(line: SynergyLine, *, with_target: bool) -> tuple[Cell, ...]:
    amounts = (line.realized, line.forecast_low, line.forecast, line.forecast_high)
    if with_target:
        return (line.label, line.target_to_date, *amounts, _pct(line.gap_pct))
    return (line.label, *amounts)


def _synergy_by_segment_section(scorecard: ProgramScorecard) -> Section:
    columns = _synergy_columns(Column("segment", _("Segment")), with_target=True)
    rows = [_synergy_row(line, with_target=True) for line in scorecard.by_segment]
    return Section("synergy_segment", _("Synergy by segment"), columns, rows)


def _synergy_by_direction_section(scorecard: ProgramScorecard) -> Section:
    # Targets are set per program and segment, never per direction.
    columns = _synergy_columns(Column("direction", _("Direction")), with_target=False)
    rows = [_synergy_row(line, with_target=False) for line in scorecard.by_direction]
    return Section("synergy_direction", _("Synergy by direction"), columns, rows)


def group_by_segment(section: Section) -> dict[str, list[dict[str, Cell]]]:
    grouped: dict[str, list[dict[str, Cell]]] = defaultdict(list)
    for record in section.records():
        grouped[str(record["segment"])].append(record)
    return grouped
