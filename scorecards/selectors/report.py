"""The scorecard report: the one row source that every export format renders.

A report is plain data (sections of typed columns and rows of Decimal, int,
str and date) so the CSV, XLSX and PDF renderers share it and never query the
database. Reading it costs the same few queries whatever the program's size:
every section is one grouped or bulk read for all segments at once.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger
from core.people import person_name
from scorecards.models import Assessment, SixC
from scorecards.selectors import board_pack
from scorecards.selectors.program import ProgramScorecard, SynergyLine, program_scorecard
from scorecards.selectors.report_shape import (
    NUMERIC_TYPES,
    Cell,
    Column,
    ColumnType,
    ScorecardReport,
    Section,
)
from scorecards.selectors.scores import MonthScores, segment_scores_with_previous

__all__ = [
    "NUMERIC_TYPES",
    "Cell",
    "Column",
    "ColumnType",
    "ScorecardReport",
    "Section",
    "group_by_segment",
    "scorecard_report",
]

HUNDRED = Decimal("100")


def scorecard_report(*, merger: Merger, month: date) -> ScorecardReport:
    """The program scorecard, six-C scores, their evidence and synergy for one month."""
    month = month.replace(day=1)
    segments = dict(merger.segments.values_list("id", "name"))
    scorecard = program_scorecard(merger=merger, month=month)
    # Frozen, stored or scored on the fly, as the scorecard page shows them: never written here.
    scores, previous = segment_scores_with_previous(merger=merger, month=month)
    program = _program_section(merger, scorecard)
    six_cs = _six_cs_section(segments, scores, previous)
    by_segment = _synergy_by_segment_section(scorecard)
    open_count, stale_count = board_pack.pipeline_health(merger=merger, month=month)
    return ScorecardReport(
        title=_("Cross-sell scorecard"),
        program=merger.name,
        month=month,
        generated_at=timezone.now(),
        currency=merger.reporting_currency,
        sections=[
            program,
            board_pack.realized_over_time_section(
                merger=merger, month=month, program_row=program.records()[0]
            ),
            board_pack.team_attainment_section(merger=merger, month=month),
            board_pack.top_wins_section(merger=merger, month=month),
            board_pack.risks_section(
                synergy_segment=by_segment,
                six_cs=six_cs,
                open_count=open_count,
                stale_count=stale_count,
            ),
            six_cs,
            _explanations_section(merger, month, segments, scores),
            _indicators_section(segments, scores),
            by_segment,
            _synergy_by_direction_section(scorecard),
        ],
    )


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


def _six_cs_section(
    segments: dict[int, str], scores: MonthScores, previous: MonthScores | None
) -> Section:
    columns = [
        Column("segment", _("Segment")),
        # Empty where a C is not scored (no data yet): never a low score.
        *[Column(c, str(label), ColumnType.SCORE) for c, label in SixC.choices],
        Column("composite", _("Composite"), ColumnType.SCORE),
        Column("scored_count", _("Cs scored"), ColumnType.INTEGER),
        Column("strong_count", _("Cs rated strong"), ColumnType.INTEGER),
        Column("composite_change", _("Change since last month"), ColumnType.SCORE),
    ]
    rows = []
    for segment_id, name in _by_name(segments):
        current = scores.of(segment_id)
        before = previous.of(segment_id) if previous else None
        composites = (current.composite if current else None, before.composite if before else None)
        change = None if None in composites else composites[0] - composites[1]
        rows.append(
            (
                name,
                *[_score_of(scores, segment_id, c) for c in SixC.values],
                composites[0],
                current.scored_count if current else None,
                current.strong_count if current else None,
                change,
            )
        )
    return Section("six_cs", _("Six Cs by segment"), columns, rows)


def _by_name(segments: dict[int, str]) -> list[tuple[int, str]]:
    return sorted(segments.items(), key=lambda item: (item[1].casefold(), item[0]))


def _score_of(scores: MonthScores, segment_id: int, c: str) -> Decimal | None:
    result = scores.c_of(segment_id, c)
    return result.score if result else None


def _explanations_section(merger, month, segments, scores: MonthScores) -> Section:
    latest = _latest_assessments(merger, month)
    columns = [
        Column("segment", _("Segment")),
        Column("c", _("C")),
        Column("status", _("Status")),
        Column("score", _("Score"), ColumnType.SCORE),
        Column("computed", _("Computed score"), ColumnType.SCORE),
        Column("weakest", _("Weakest indicator")),
        Column("weakest_value", _("Weakest indicator's value"), ColumnType.NUMBER),
        Column("weakest_score", _("Weakest indicator's score"), ColumnType.SCORE),
        Column("explanation", _("Explanation")),
        Column("to_score", _("Data that would score it")),
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
            result = scores.c_of(segment_id, c)
            if result is None:
                continue
            weakest = result.weakest
            assessment = latest.get((segment_id, c))
            rows.append(
                (
                    name,
                    str(labels[c]),
                    _("scored") if result.scored else _("not scored"),
                    result.score,
                    result.computed,
                    weakest.label if weakest else "",
                    weakest.value if weakest else None,
                    weakest.score if weakest else None,
                    result.explanation,
                    "" if result.scored else "; ".join(result.missing_data),
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
    return person_name(assessment.author)


def _indicators_section(segments: dict[int, str], scores: MonthScores) -> Section:
    columns = [
        Column("segment", _("Segment")),
        Column("c", _("C")),
        Column("indicator", _("Indicator")),
        Column("scope", _("Measured for")),
        Column("value", _("Value"), ColumnType.NUMBER),
        Column("unit", _("Unit")),
        Column("threshold", _("Thresholds (score: value)")),
        Column("score", _("Score"), ColumnType.SCORE),
        Column("source", _("Source")),
    ]
    labels = dict(SixC.choices)
    rows = [
        (
            name,
            str(labels[c_result.c]),
            indicator.label,
            _("the program") if indicator.program_wide else _("the segment"),
            indicator.value,
            indicator.unit,
            indicator.threshold,
            indicator.score,
            indicator.source
            if indicator.measured
            else _("not measured: %(needs)s") % {"needs": indicator.needs},
        )
        for segment_id, name in _by_name(segments)
        if (result := scores.of(segment_id)) is not None
        for c_result in result.cs
        for indicator in c_result.indicators
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
