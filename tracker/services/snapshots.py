"""Month-end snapshots: a month's pipeline, quota and attainment, frozen once.

A snapshot is written at most once per program and month; re-running the task
finds it and returns it unchanged, so a past month's numbers never move when
opportunities are edited later. Wins, losses, quotas and targets are those of
the month; open pipeline is what is open when the snapshot is frozen, which is
the month end when beat runs on time.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Kind, Merger, Segment
from tracker.models import MonthlySnapshot, Rep, SnapshotLine, SynergyTarget, Team
from tracker.pipeline_math import ZERO, PipelineFigures, ended_months, month_end, rollup
from tracker.quota_math import QuotaFigures, quota_rollup
from tracker.selectors.metrics import (
    Dimension,
    PipelineFilter,
    credited_won,
    pipeline_figures,
    quota_rows,
    quota_totals_of,
)

CROSS_SELL_ONLY = PipelineFilter(kinds=(Kind.CROSS_SELL,))


def snapshot_freeze(*, merger_id: int, month: date) -> MonthlySnapshot:
    """Freezes the figures of `month` (any day in it) for the program; idempotent."""
    first = month.replace(day=1)
    existing = MonthlySnapshot.objects.filter(merger_id=merger_id, month=first).first()
    if existing:
        return existing
    merger = Merger.objects.get(pk=merger_id)
    lines = _snapshot_lines(merger=merger, first=first)
    try:
        with transaction.atomic():
            snapshot = MonthlySnapshot.objects.create(
                merger=merger, month=first, frozen_at=timezone.now()
            )
            for line in lines:
                line.snapshot = snapshot
            SnapshotLine.objects.bulk_create(lines, batch_size=1000)
    except IntegrityError:
        # Another worker froze the same month first; theirs stands.
        return MonthlySnapshot.objects.get(merger_id=merger_id, month=first)
    return snapshot


def _snapshot_lines(*, merger: Merger, first: date) -> list[SnapshotLine]:
    last_day = month_end(first)
    period = {"closed_from": first, "closed_to": last_day, "today": last_day}
    by = {
        dimension: pipeline_figures(merger=merger, by=dimension, **period)
        for dimension in (
            Dimension.PROGRAM,
            Dimension.REP,
            Dimension.TEAM,
            Dimension.SEGMENT,
            Dimension.DIRECTION,
        )
    }
    realized = {
        dimension: pipeline_figures(merger=merger, by=dimension, where=CROSS_SELL_ONLY, **period)
        for dimension in (
            Dimension.PROGRAM,
            Dimension.TEAM,
            Dimension.SEGMENT,
            Dimension.DIRECTION,
        )
    }
    month_quotas = quota_rows(merger=merger, month_from=first, month_to=first)
    quotas = {
        dimension: quota_totals_of(month_quotas, month_from=first, month_to=first, by=dimension)
        for dimension in (Dimension.PROGRAM, Dimension.REP, Dimension.TEAM)
    }
    credits = credited_won(merger=merger, closed_from=first, closed_to=last_day)
    targets = _targets(merger=merger, month=first)
    lines = [
        _line(
            SnapshotLine.Scope.PROGRAM,
            "",
            str(merger),
            by[Dimension.PROGRAM].get("program"),
            realized=_won(realized[Dimension.PROGRAM].get("program")),
            quota=quotas[Dimension.PROGRAM].get("program"),
            target=targets.get(None, ZERO),
        ),
    ]
    lines += _rep_lines(merger, by[Dimension.REP], quotas[Dimension.REP], credits)
    lines += _team_lines(
        merger, by[Dimension.TEAM], realized[Dimension.TEAM], quotas[Dimension.TEAM]
    )
    segment_names = dict(Segment.objects.filter(merger=merger).values_list("id", "name"))
    for segment_id, figures in by[Dimension.SEGMENT].items():
        lines.append(
            _line(
                SnapshotLine.Scope.SEGMENT,
                str(segment_id or ""),
                segment_names.get(segment_id, ""),
                figures,
                realized=_won(realized[Dimension.SEGMENT].get(segment_id)),
                target=targets.get(segment_id, ZERO),
            )
        )
    for direction, figures in by[Dimension.DIRECTION].items():
        lines.append(
            _line(
                SnapshotLine.Scope.DIRECTION,
                direction,
                direction,
                figures,
                realized=_won(realized[Dimension.DIRECTION].get(direction)),
            )
        )
    return lines


def _rep_lines(merger, figures_by_rep, quota_by_rep, credits) -> list[SnapshotLine]:
    reps = Rep.objects.filter(merger=merger).select_related("user")
    return [
        _line(
            SnapshotLine.Scope.REP,
            str(rep.id),
            str(rep),
            figures_by_rep.get(rep.id),
            realized=credits.get(rep.id, ZERO),
            quota=quota_by_rep.get(rep.id),
        )
        for rep in reps
    ]


def _team_lines(merger, figures_by_team, realized_by_team, quota_by_team) -> list[SnapshotLine]:
    teams = list(Team.objects.filter(merger=merger))
    parent_of = {team.id: team.parent_id for team in teams}

    pipeline = rollup(figures_by_team, parent_of)
    realized = rollup(realized_by_team, parent_of)
    quotas = quota_rollup(
        {
            team_id: QuotaFigures(core_quota=core, cross_sell_quota=cross)
            for team_id, (core, cross) in quota_by_team.items()
        },
        parent_of,
    )
    return [
        _line(
            SnapshotLine.Scope.TEAM,
            str(team.id),
            team.name,
            pipeline.get(team.id),
            realized=_won(realized.get(team.id)),
            quota=(quotas[team.id].core_quota, quotas[team.id].cross_sell_quota),
        )
        for team in teams
    ]


def _won(figures: PipelineFigures | None) -> Decimal:
    return figures.won_amount if figures else ZERO


def _line(
    scope: str,
    key: str,
    label: str,
    figures: PipelineFigures | None,
    *,
    realized: Decimal = ZERO,
    quota: tuple[Decimal, Decimal] | None = None,
    target: Decimal = ZERO,
) -> SnapshotLine:
    figures = figures or PipelineFigures()
    core, cross = quota or (ZERO, ZERO)
    return SnapshotLine(
        scope=scope,
        key=key,
        label=label[:200],
        open_pipeline=figures.open_amount,
        weighted_pipeline=figures.weighted_amount,
        won_amount=figures.won_amount,
        won_count=figures.won_count,
        lost_count=figures.lost_count,
        open_count=figures.open_count,
        stale_count=figures.stale_count,
        core_quota=core,
        cross_sell_quota=cross,
        realized_synergy=realized,
        target=target,
    )


def _targets(*, merger: Merger, month: date) -> dict[Any, Decimal]:
    rows = (
        SynergyTarget.objects.filter(merger=merger, month=month)
        .values("segment_id")
        .annotate(total=Sum("cross_sell"))
        .order_by()
    )
    return {row["segment_id"]: row["total"] for row in rows}


def snapshot_due_months(*, merger_id: int, today: date | None = None) -> list[date]:
    """Months since Day 1 that have ended and are not frozen yet (catch-up after downtime)."""
    merger = Merger.objects.get(pk=merger_id)
    today = today or timezone.localdate()
    frozen = set(MonthlySnapshot.objects.filter(merger=merger).values_list("month", flat=True))
    return [m for m in ended_months(since=merger.day_one, today=today) if m not in frozen]
