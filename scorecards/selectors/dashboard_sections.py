"""A dashboard's sections besides its tiles: impact, funnel, segment x direction,
attainment of teams and reps, six C, overlap, wins and what data is missing."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Direction, Merger
from accounts.selectors.overlap_history import (
    first_purchase_groups,
    history_of_groups,
    transitions_of_groups,
)
from scorecards import dashboard_math
from scorecards.dashboard_math import Attainment, Funnel, Impact, SegmentDirection, attainment_pct
from scorecards.overlap_frozen import overlap_as_frozen
from scorecards.selectors.dashboard_data import DashboardData, DashboardFilter
from scorecards.selectors.scores import dashboard_six_c
from tracker.models import Opportunity, Rep, SnapshotLine, SynergyTarget, Team
from tracker.pipeline_math import ZERO, PipelineFigures, month_end
from tracker.selectors.metrics import team_pipeline_rollup
from tracker.selectors.wins import LATEST_WINS, Win, wins_feed, wins_frozen, wins_of_states


def overlap(merger: Merger, months: list[date], where: DashboardFilter) -> dict[str, Any]:
    """Closed months as their snapshot holds them, later ones from today's install base.

    `today` is today's reading of every month, also of the closed ones: a figure lists
    its accounts where the two agree."""
    segment = merger.segments.filter(pk=where.segment_id).first() if where.segment_id else None
    groups = first_purchase_groups(merger=merger, segment=segment)
    today = history_of_groups(groups=groups, months=months)
    moves = transitions_of_groups(groups=groups, months=months)
    scope = (SnapshotLine.Scope.SEGMENT, str(segment.pk)) if segment else ("program", "")
    frozen = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month__in=months, scope=scope[0], key=scope[1]
    ).values_list("snapshot__month", "overlap")
    counts, transitions = overlap_as_frozen(
        months=months, counts=today, transitions=moves, frozen=dict(frozen)
    )
    return {
        "months": months,
        "counts": counts,
        "transitions": transitions,
        "today": today,
        "segment_id": segment.pk if segment else None,
    }


def missing(merger: Merger) -> list[str]:
    counts = {
        "accounts": merger.accounts.exists(),
        "opportunities": Opportunity.objects.filter(merger=merger).exists(),
        "targets": SynergyTarget.objects.filter(merger=merger).exists(),
    }
    hints = {
        "accounts": _(
            "No accounts yet: sales ops imports both companies' CRM exports under Accounts."
        ),
        "opportunities": _(
            "No opportunities yet: reps log them from the whitespace or an account page."
        ),
        "targets": _("No synergy targets yet: sales ops enters the deal model's monthly targets."),
    }
    return [hints[key] for key, present in counts.items() if not present]


def impact(data: DashboardData, months: list[date], snapshots: dict) -> Impact:
    """Realized and target to date at each month's end: frozen months as they were frozen
    (by the slice's line, or summed from their kept deals), later ones live (which books
    every restatement of a frozen month where it was made)."""
    realized: list[Decimal | None] = []
    target, in_month, sources = [], [], []
    kept = data.kept_deals
    for month in months:
        line = snapshots.get(month)
        if line is not None:
            realized.append(line.realized_to_date)
            in_month.append(line.realized_synergy)
            sources.append("snapshot")
        elif month in kept.realized:
            realized.append(kept.realized_to(month))
            in_month.append(kept.realized[month])
            sources.append("kept")
        else:
            realized.append(data.realized_to(month))
            in_month.append(data.realized_by_month.get(month, ZERO))
            sources.append("recomputed" if month in kept.snapshots else "live")
        frozen_target = line is not None and data.where.has_target
        target.append(line.target_to_date if frozen_target else data.target_to(month))
    forecast = dashboard_math.forecast(
        cells=data.open_cells,
        categories={pk: stage.forecast_category for pk, stage in data.stages.items()},
        month=months[-1],
        realized=realized[-1] if realized else ZERO,
    )
    return dashboard_math.impact(
        months=months,
        realized=realized,
        target=target,
        forecast=forecast,
        realized_in_month=in_month,
        sources=sources,
    )


def funnel(data: DashboardData) -> Funnel:
    return dashboard_math.funnel(stages=data.funnel_stages(), cells=data.open_cells)


def segment_direction(data: DashboardData) -> SegmentDirection:
    return dashboard_math.segment_direction(
        segments=data.segments,
        directions=Direction.choices,
        cells=data.open_cells,
    )


type FrozenLines = dict[tuple[str, int], tuple[Decimal, Decimal]]


def frozen_month_lines(merger: Merger, snapshot: SnapshotLine | None) -> FrozenLines | None:
    """{(scope, id): (cross-sell quota, credited)} of a frozen month's team and rep lines."""
    if snapshot is None:
        return None
    rows = SnapshotLine.objects.filter(
        snapshot_id=snapshot.snapshot_id,
        scope__in=[SnapshotLine.Scope.TEAM, SnapshotLine.Scope.REP],
    ).values_list("scope", "key", "cross_sell_quota", SnapshotLine.ATTAINMENT_CREDIT)
    return {(scope, int(key)): (quota, credited) for scope, key, quota, credited in rows if key}


def team_attainment(data: DashboardData, frozen: FrozenLines | None) -> Attainment:
    teams = list(Team.objects.filter(merger=data.merger).order_by("name"))
    if data.where.team_id:
        wanted = set(data.team_ids)
        teams = [team for team in teams if team.pk in wanted]
    if frozen is not None:
        rolled = {
            key: PipelineFigures(open_amount=quota, won_amount=credited)
            for (scope, key), (quota, credited) in frozen.items()
            if scope == SnapshotLine.Scope.TEAM
        }
    else:
        rolled = _live_team_figures(data)
    return Attainment(
        names=tuple(team.name for team in teams),
        ids=tuple(team.pk for team in teams),
        attainment=tuple(
            attainment_pct(credited=rolled[t.pk].won_amount, quota=rolled[t.pk].open_amount)
            if t.pk in rolled
            else None
            for t in teams
        ),
    )


def _live_team_figures(data: DashboardData) -> dict[int, PipelineFigures]:
    by_rep, credits = data.quotas(data.month, data.month), data.credits(data.month)
    team_of = dict(Rep.objects.filter(merger=data.merger).values_list("id", "team_id"))
    # Summed as plain pairs: a thousand reps added as PipelineFigures cost more than the
    # query. The same additions in the same order, so the same Decimals.
    sums: dict[int | None, tuple[Decimal, Decimal]] = {}
    for rep_id, team_id in team_of.items():
        quota = by_rep.get(rep_id, (ZERO, ZERO))[1]
        summed_quota, summed_credit = sums.get(team_id, (ZERO, ZERO))
        sums[team_id] = (summed_quota + quota, summed_credit + credits.get(rep_id, ZERO))
    per_team = {
        team_id: PipelineFigures(open_amount=quota, won_amount=credited)
        for team_id, (quota, credited) in sums.items()
    }
    return team_pipeline_rollup(merger=data.merger, figures_by_team=per_team)


def rep_attainment(data: DashboardData, frozen: FrozenLines | None) -> Attainment:
    # Names and ids only: a program's thousand reps as objects cost more than the figures.
    reps = Rep.objects.filter(merger=data.merger, is_active=True).order_by()
    if data.owner_ids is not None:
        reps = reps.filter(pk__in=data.owner_ids)
    if frozen is not None:
        rep_lines = {
            key: v for (scope, key), v in frozen.items() if scope == SnapshotLine.Scope.REP
        }
        by_rep = {rep: (ZERO, quota) for rep, (quota, _credited) in rep_lines.items()}
        credits = {rep: credited for rep, (_quota, credited) in rep_lines.items()}
    else:
        by_rep, credits = data.quotas(data.month, data.month), data.credits(data.month)
    rows = sorted(
        (
            (
                Rep.name_of(first_name, last_name, username),
                pk,
                attainment_pct(
                    credited=credits.get(pk, ZERO), quota=by_rep.get(pk, (ZERO, ZERO))[1]
                ),
            )
            for pk, first_name, last_name, username in reps.values_list("pk", *Rep.NAME_FIELDS)
        ),
        # Best first; 0% before reps without a quota, who come last.
        key=lambda row: (row[2] is None, -(row[2] or 0), row[0]),
    )
    return Attainment(
        names=tuple(r[0] for r in rows),
        ids=tuple(r[1] for r in rows),
        attainment=tuple(r[2] for r in rows),
    )


def wins(data: DashboardData, snapshot: SnapshotLine | None) -> list[Win]:
    kept = data.kept_deals
    if snapshot is None and data.kept is not None and kept.realized_to(data.month) is not None:
        # Every month since Day 1 kept its realized deals: the latest wins are among them,
        # each as it stood when its month was frozen, as the filters chose it.
        return wins_of_states(
            kept.latest_wins(limit=LATEST_WINS),
            frozen_at=kept.snapshots[data.month].frozen_at,
        )
    if snapshot is None:
        # The deals the filters narrow to (segment, team, direction, company, rep).
        return wins_feed(
            merger_id=data.merger.pk,
            closed_to=month_end(data.month),
            opportunities=data.filtered_opportunities(),
        )
    return wins_frozen(merger=data.merger, snapshot=snapshot.snapshot, frozen=snapshot.wins)


def six_c(data: DashboardData, month: date) -> dict:
    return dashboard_six_c(
        merger=data.merger, month=month, segment_id=data.where.segment_id, segments=data.segments
    )
