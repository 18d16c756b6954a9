"""The program scorecard: synergy target, realized and forecast, and the gap.

Realized synergy is won cross-company revenue since Day 1. The forecast is the
dashboard's (tracker.figures.forecast): it adds the open cross-company deals expected
to close by the end of the twelfth month after the scorecard's, the horizon of the
dashboard's forecast band, so the board pack and the dashboard state one figure.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.filter_fields import NO_SEGMENT
from accounts.models import Direction, Merger
from core.db_functions import MonthStart
from tracker.deal_figures import OpenCell
from tracker.figures import MONEY, amount_sums, cross_company_q, forecast, forecast_end, realized_q
from tracker.models import MonthlySnapshot, Opportunity, SnapshotLine, Stage, SynergyTarget
from tracker.pipeline_math import ZERO, cents, month_end, months_between

HUNDRED = Decimal("100")
RESEARCH_AVERAGE_GAP_PCT = Decimal("20")


@dataclass
class SynergyLine:
    key: str
    label: str
    # None: no target is set for the line (deals without a segment), not a target of zero.
    target_to_date: Decimal | None = ZERO
    realized: Decimal = ZERO
    forecast_low: Decimal = ZERO
    forecast: Decimal = ZERO
    forecast_high: Decimal = ZERO

    @property
    def is_unsegmented(self) -> bool:
        """The "No segment" line: no segment page to open, its deals are the drill-down."""
        return self.key == NO_SEGMENT

    @property
    def gap_pct(self) -> Decimal | None:
        """How far realized synergy falls short of the target to date, in percent."""
        if not self.target_to_date:
            return None
        gap = (self.target_to_date - self.realized) * HUNDRED / self.target_to_date
        return gap.quantize(Decimal("0.1"))


@dataclass
class ProgramScorecard:
    month: date
    months_since_day_one: int
    horizon_months: int
    total_target: Decimal
    program: SynergyLine
    by_segment: list[SynergyLine] = field(default_factory=list)
    by_direction: list[SynergyLine] = field(default_factory=list)
    research_average_gap_pct: Decimal = RESEARCH_AVERAGE_GAP_PCT

    @property
    def horizon_elapsed_pct(self) -> Decimal:
        share = Decimal(self.months_since_day_one) * HUNDRED / Decimal(self.horizon_months)
        return min(share, HUNDRED).quantize(Decimal("0.1"))


def program_scorecard(*, merger: Merger, month: date) -> ProgramScorecard:
    month = month.replace(day=1)
    last_day = month_end(month)
    until = forecast_end(month)
    snapshot = MonthlySnapshot.objects.filter(merger=merger, month=month).first()
    if snapshot is not None:
        # A closed month reads its snapshot: later edits are restatements of a later month.
        targets, realized, cells = _frozen_figures(snapshot)
    else:
        targets = _targets(merger, month)
        realized, cells = _realized(merger, last_day), _open_cells(merger, until)
    categories = dict(Stage.objects.filter(merger=merger).values_list("id", "forecast_category"))

    def line(key: str, label: str, target: Decimal | None, done: Decimal | None, scope):
        band = forecast(
            cells=[cell for cell in cells if scope(cell)],
            categories=categories,
            realized=Decimal(done or ZERO),
            until=until,
        )
        return SynergyLine(
            key=key,
            label=label,
            target_to_date=None if target is None else cents(target),
            realized=cents(done or ZERO),
            forecast_low=band.low,
            forecast=band.expected,
            forecast_high=band.high,
        )

    segment_names = dict(merger.segments.values_list("id", "name"))
    program = line(
        "program", str(merger), targets.get(None, ZERO), realized["program"], lambda cell: True
    )
    by_segment = [
        line(
            str(segment_id),
            name,
            targets.get(segment_id, ZERO),
            realized["segment"].get(segment_id),
            lambda cell, segment_id=segment_id: cell.segment_id == segment_id,
        )
        for segment_id, name in sorted(segment_names.items(), key=lambda item: item[1])
    ]
    # Deals without a segment (or of a segment deleted since a freeze) as "No segment", so
    # that the segments add up to the program. Its realized is the program's remainder: a
    # month frozen without such a line still states it, from its own frozen lines.
    unsegmented = realized["program"] - sum(
        (realized["segment"].get(pk) or ZERO for pk in segment_names), ZERO
    )

    def unsegmented_cell(cell) -> bool:
        return cell.segment_id not in segment_names

    if unsegmented or any(unsegmented_cell(cell) for cell in cells):
        by_segment.append(line(NO_SEGMENT, _("No segment"), None, unsegmented, unsegmented_cell))
    by_direction = [
        line(
            direction,
            label,
            ZERO,
            realized["direction"].get(direction),
            lambda cell, direction=direction: cell.direction == direction,
        )
        for direction, label in _directions()
    ]
    return ProgramScorecard(
        month=month,
        months_since_day_one=max(months_between(merger.day_one, last_day), 0),
        horizon_months=merger.horizon_months,
        total_target=_total_target(merger),
        program=program,
        by_segment=by_segment,
        by_direction=by_direction,
    )


def _directions() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Direction.choices]


def _targets(merger: Merger, month: date) -> dict[int | None, Decimal]:
    rows = (
        SynergyTarget.objects.filter(merger=merger, month__lte=month)
        .values("segment_id")
        .annotate(total=Sum("cross_sell"))
        .order_by()
    )
    return {row["segment_id"]: row["total"] for row in rows}


def _total_target(merger: Merger) -> Decimal:
    return SynergyTarget.objects.filter(merger=merger, segment__isnull=True).aggregate(
        total=Coalesce(Sum("cross_sell"), ZERO, output_field=MONEY)
    )["total"]


class _OpenSum(NamedTuple):
    """Open cross-company deals summed by stage, segment, direction and close month."""

    stage_id: int
    segment_id: int | None
    direction: str
    month: date | None
    amount: Decimal
    weighted: Decimal


def _realized(merger: Merger, last_day: date) -> dict:
    """Realized synergy from Day 1 to `last_day`, for the program, segments and directions."""
    rows = (
        Opportunity.objects.filter(
            realized_q(closed_from=merger.day_one, closed_to=last_day), merger=merger
        )
        .values("segment_id", "direction")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    result: dict = {"program": ZERO, "segment": {}, "direction": {}}
    for row in rows:
        for scope, key in (("segment", row["segment_id"]), ("direction", row["direction"])):
            result[scope][key] = result[scope].get(key, ZERO) + row["total"]
        result["program"] += row["total"]
    return result


def _open_cells(merger: Merger, until: date) -> list[_OpenSum]:
    """The open cross-company deals a forecast to `until` can count, summed as the
    dashboard's open-deal cube sums them: one grouped query."""
    rows = (
        Opportunity.objects.filter(
            cross_company_q(),
            merger=merger,
            outcome=Stage.Outcome.OPEN,
            expected_close__lte=until,
        )
        .values("stage_id", "segment_id", "direction", month=MonthStart("expected_close"))
        .annotate(
            **amount_sums(),
        )
        .order_by()
    )
    return [
        _OpenSum(
            row["stage_id"],
            row["segment_id"],
            row["direction"],
            row["month"],
            row["total"],
            row["weighted"],
        )
        for row in rows
    ]


def _frozen_figures(snapshot: MonthlySnapshot) -> tuple[dict, dict, list[OpenCell]]:
    """(targets to date, realized to date, open deals) at a closed month's end."""
    lines = {(line.scope, line.key): line for line in snapshot.lines.all()}
    program = lines.get((SnapshotLine.Scope.PROGRAM, ""))
    cells = [OpenCell.from_json(row) for row in (program.open_cells if program else [])]
    realized: dict = {"program": ZERO, "segment": {}, "direction": {}}
    targets: dict[int | None, Decimal] = {}
    for (scope, key), line in lines.items():
        if scope == SnapshotLine.Scope.PROGRAM:
            realized["program"] = line.realized_to_date
            targets[None] = line.target_to_date
        elif scope == SnapshotLine.Scope.SEGMENT:
            segment_id = int(key) if key else None
            realized["segment"][segment_id] = line.realized_to_date
            if segment_id is not None:
                targets[segment_id] = line.target_to_date
        elif scope == SnapshotLine.Scope.DIRECTION:
            realized["direction"][key] = line.realized_to_date
    return targets, realized, cells


def program_month_problem(*, merger: Merger, month: date) -> str | None:
    """Why a month cannot be reported on (before Day 1, or not started yet), or None."""
    if month < merger.day_one.replace(day=1):
        return _("The program starts in %(month)s.") % {
            "month": date_format(merger.day_one, "F Y")
        }
    if month > timezone.localdate().replace(day=1):
        return _("This month has not started yet.")
    return None
