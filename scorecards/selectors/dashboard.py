"""Everything a monthly dashboard shows, for the program, a team or a rep.

A past month with a frozen snapshot shows the snapshot's figures; the current
month, and combinations of filters no snapshot line covers, are computed live
and say so. The figures come from a few grouped queries (see dashboard_data),
so the page's query count does not grow with the data.
"""

from dataclasses import astuple, dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Direction, Merger
from accounts.selectors.overlap_history import (
    first_purchase_groups,
    history_of_groups,
    transitions_of_groups,
)
from scorecards import dashboard_math
from scorecards.dashboard_math import (
    Attainment,
    Funnel,
    Impact,
    MonthFigures,
    SegmentDirection,
    Tile,
    attainment_pct,
)
from scorecards.selectors.dashboard_data import DashboardData, DashboardFilter
from scorecards.selectors.scores import dashboard_six_c
from tracker.models import (
    MonthlySnapshot,
    Opportunity,
    Rep,
    SnapshotLine,
    SynergyTarget,
    Team,
)
from tracker.pipeline_math import (
    ZERO,
    PipelineFigures,
    add_months,
    month_end,
)
from tracker.selectors.metrics import team_pipeline_rollup
from tracker.selectors.wins import Win, wins_feed, wins_frozen

__all__ = ["Dashboard", "DashboardFilter", "Tile", "program_dashboard"]

MAX_MONTHS = 60
DASHBOARD_CACHE_SECONDS = 120


@dataclass
class Dashboard:
    month: date
    source: str  # "live", "snapshot" or "recomputed"
    frozen_at: datetime | None
    currency: str
    tiles: list[Tile]
    impact: Impact
    funnel: Funnel
    segment_direction: SegmentDirection
    attainment_teams: Attainment
    attainment_reps: Attainment
    six_c: dict[str, Any]
    overlap: dict[str, Any]
    wins: list[Win]
    missing: list[str] = field(default_factory=list)
    # Changes to deals of earlier closed months booked in this month (restatements).
    restated: Decimal = ZERO
    # The month is closed, even if these filters are not among its snapshot's lines.
    month_frozen: bool = False
    # What each tile's change is measured against.
    compared_with: str = ""
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def has_data(self) -> bool:
        return not self.missing


def program_dashboard_cached(
    *, merger: Merger, where: DashboardFilter, today: date | None = None
) -> Dashboard:
    """program_dashboard, kept for a short while per program, filter and day.

    A large program's dashboard aggregates hundreds of thousands of rows; leaders
    opening it during a monthly review share one computation. The page says how
    old its figures are (Dashboard.computed_at).
    """
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", DASHBOARD_CACHE_SECONDS)
    today = today or timezone.localdate()
    if not seconds:
        return program_dashboard(merger=merger, where=where, today=today)
    # The dashboard holds words as well as figures: one copy per language.
    language = translation.get_language() or settings.LANGUAGE_CODE
    parts = (merger.pk, merger.created_at.timestamp(), today.isoformat(), language)
    parts += astuple(where)
    key = "dashboard:" + ":".join(str(part) for part in parts)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = program_dashboard(merger=merger, where=where, today=today)
        cache.set(key, dashboard, seconds)
    return dashboard


def program_dashboard(
    *, merger: Merger, where: DashboardFilter, today: date | None = None
) -> Dashboard:
    today = today or timezone.localdate()
    month = where.month.replace(day=1)
    previous = add_months(month, -1)
    snapshots = _snapshot_lines(merger, where)
    snapshot = _snapshot_line_whole(snapshots.get(month))
    data = DashboardData(merger=merger, where=where, today=today, frozen=snapshot)
    is_current = month >= today.replace(day=1)
    months = _months(merger, month)
    now = _month_figures(data, month, snapshot)
    if snapshot is None:
        now = replace(now, restated=_pending_restatement(data, snapshots, month))
    before = _month_figures(data, previous, snapshots.get(previous))
    pipeline_before = before.figures if previous in snapshots else None
    compared_with = _("Changes against %(month)s.") % {"month": date_format(previous, "F Y")}
    if snapshot is None and today < month_end(month):
        # Month to date against the same days of last month, never against all of it.
        before = _same_days_last_month(data, month, today)
        compared_with = _(
            "Changes against the same days of %(month)s (1 to %(day)d); pipeline against its end."
        ) % {"month": date_format(previous, "F Y"), "day": today.day}
    tiles = dashboard_math.tiles(now, before, pipeline_before=pipeline_before)
    impact = _impact(data, months, snapshots)
    if not where.has_target:
        tiles, impact = dashboard_math.without_target(tiles, impact)
    return Dashboard(
        month=month,
        source="live" if is_current else ("snapshot" if snapshot else "recomputed"),
        frozen_at=snapshot.snapshot.frozen_at if snapshot else None,
        currency=merger.reporting_currency,
        tiles=tiles,
        impact=impact,
        funnel=_funnel(data),
        segment_direction=_segment_direction(data),
        attainment_teams=_team_attainment(data, _frozen_month_lines(merger, snapshot)),
        attainment_reps=_rep_attainment(data, _frozen_month_lines(merger, snapshot)),
        six_c=_six_c(merger, where, month),
        overlap=_overlap(merger, months, where),
        wins=_wins(data, snapshot),
        missing=_missing(merger),
        restated=now.restated,
        month_frozen=MonthlySnapshot.objects.filter(merger=merger, month=month).exists(),
        compared_with=compared_with,
    )


def _overlap(merger: Merger, months: list[date], where: DashboardFilter) -> dict[str, Any]:
    """Closed months as their snapshot holds them, later ones from today's install base."""
    segment = merger.segments.filter(pk=where.segment_id).first() if where.segment_id else None
    groups = first_purchase_groups(merger=merger, segment=segment)
    counts = history_of_groups(groups=groups, months=months)
    moves = transitions_of_groups(groups=groups, months=months)
    scope = (SnapshotLine.Scope.SEGMENT, str(segment.pk)) if segment else ("program", "")
    frozen = SnapshotLine.objects.filter(
        snapshot__merger=merger, snapshot__month__in=months, scope=scope[0], key=scope[1]
    ).values_list("snapshot__month", "overlap")
    index = {month: i for i, month in enumerate(months)}
    for month, overlap in frozen:
        for figures, stored in (
            (counts, overlap.get("counts")),
            (moves, overlap.get("transitions")),
        ):
            for key, value in (stored or {}).items():
                if key in figures:
                    figures[key][index[month]] = value
    return {"months": months, "counts": counts, "transitions": moves}


def _missing(merger: Merger) -> list[str]:
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


def _snapshot_lines(merger: Merger, where: DashboardFilter) -> dict[date, SnapshotLine]:
    scope = where.snapshot_scope()
    if scope is None:
        return {}
    lines = (
        SnapshotLine.objects.filter(snapshot__merger=merger, scope=scope[0], key=scope[1])
        .select_related("snapshot")
        .defer(*_SNAPSHOT_DETAIL)
    )
    return {line.snapshot.month: line for line in lines}


# A closed month's open deals, wins and overlap as stored: only the dashboard's own month
# reads them, so the other months' lines leave them in the database (most of the lines'
# bytes, and of the time to decode them).
_SNAPSHOT_DETAIL = ("open_cells", "wins", "overlap")


def _snapshot_line_whole(line: SnapshotLine | None) -> SnapshotLine | None:
    if line is None:
        return None
    return SnapshotLine.objects.select_related("snapshot").get(pk=line.pk)


def _month_figures(
    data: DashboardData, month: date, snapshot: SnapshotLine | None
) -> MonthFigures:
    if snapshot is not None:
        figures = PipelineFigures(
            open_count=snapshot.open_count,
            open_amount=snapshot.open_pipeline,
            weighted_amount=snapshot.weighted_pipeline,
            won_count=snapshot.won_count,
            won_amount=snapshot.won_amount,
            lost_count=snapshot.lost_count,
            stale_count=snapshot.stale_count,
        )
        return MonthFigures(
            snapshot.realized_to_date,
            snapshot.target_to_date if data.where.has_target else ZERO,
            figures,
            snapshot.cross_sell_quota,
            snapshot.realized_synergy,
            None,
            snapshot.restated,
        )
    # Open deals are counted as they stand now, whatever the month.
    figures = data.open_figures() + data.closed_figures(month)
    cross_quota, credited = _quota_and_credit(data, month)
    return MonthFigures(
        data.realized_to(month),
        data.target_to(month),
        figures,
        cross_quota,
        credited,
        data.closing_pipeline() if month == data.today.replace(day=1) else None,
    )


def _pending_restatement(data: DashboardData, snapshots: dict, month: date) -> Decimal:
    """How much deals of frozen months moved since their freeze: live minus frozen to date."""
    frozen = [m for m in snapshots if m < month]
    if not frozen:
        return ZERO
    last = max(frozen)
    return data.realized_to(last) - snapshots[last].realized_to_date


def _quota_and_credit(data: DashboardData, month: date) -> tuple[Decimal, Decimal]:
    by_rep, credits = data.quotas(month, month), data.credits(month)
    chosen = data.chosen_reps(by_rep, credits)
    quota = sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO)
    credited = sum((credits.get(rep, ZERO) for rep in chosen), ZERO)
    return quota, credited


def _same_days_last_month(data: DashboardData, month: date, today: date) -> MonthFigures:
    """Last month's flow figures up to the same day of the month as today."""
    previous = add_months(month, -1)
    cutoff = min(previous + timedelta(days=today.day - 1), month_end(previous))
    won, lost, realized = data.closed_between(previous, cutoff)
    by_rep = data.quotas(previous, previous)
    credits = data.credits_between(previous, cutoff)
    chosen = data.chosen_reps(by_rep, credits)
    return MonthFigures(
        data.realized_to(add_months(previous, -1)) + realized,
        data.target_to(previous),
        PipelineFigures(won_count=won, lost_count=lost),
        sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO),
        sum((credits.get(rep, ZERO) for rep in chosen), ZERO),
    )


def _months(merger: Merger, month: date) -> list[date]:
    first = max(merger.day_one.replace(day=1), add_months(month, -(MAX_MONTHS - 1)))
    months, current = [], first
    while current <= month:
        months.append(current)
        current = add_months(current, 1)
    return months or [month]


def _impact(data: DashboardData, months: list[date], snapshots: dict) -> Impact:
    """Realized and target to date at each month's end: frozen months as they were frozen,
    later ones live (which books every restatement of a frozen month where it was made)."""
    realized, target = [], []
    for month in months:
        line = snapshots.get(month)
        realized.append(line.realized_to_date if line else data.realized_to(month))
        frozen_target = line is not None and data.where.has_target
        target.append(line.target_to_date if frozen_target else data.target_to(month))
    forecast = dashboard_math.forecast(
        cells=data.open_cells,
        categories={pk: stage.forecast_category for pk, stage in data.stages.items()},
        month=months[-1],
        realized=realized[-1] if realized else ZERO,
    )
    return dashboard_math.impact(
        months=months, realized=realized, target=target, forecast=forecast
    )


def _funnel(data: DashboardData) -> Funnel:
    stages = [(stage.pk, stage.name) for stage in data.open_stages()]
    return dashboard_math.funnel(stages=stages, cells=data.open_cells)


def _segment_direction(data: DashboardData) -> SegmentDirection:
    return dashboard_math.segment_direction(
        segments=list(data.merger.segments.order_by("name").values_list("id", "name")),
        directions=Direction.choices,
        cells=data.open_cells,
    )


type FrozenLines = dict[tuple[str, int], tuple[Decimal, Decimal]]


def _frozen_month_lines(merger: Merger, snapshot: SnapshotLine | None) -> FrozenLines | None:
    """{(scope, id): (cross-sell quota, credited)} of a frozen month's team and rep lines."""
    if snapshot is None:
        return None
    rows = SnapshotLine.objects.filter(
        snapshot_id=snapshot.snapshot_id,
        scope__in=[SnapshotLine.Scope.TEAM, SnapshotLine.Scope.REP],
    ).values_list("scope", "key", "cross_sell_quota", "realized_synergy")
    return {(scope, int(key)): (quota, credited) for scope, key, quota, credited in rows if key}


def _team_attainment(data: DashboardData, frozen: FrozenLines | None) -> Attainment:
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
    per_team: dict[int | None, PipelineFigures] = {}
    for rep_id, team_id in team_of.items():
        quota = by_rep.get(rep_id, (ZERO, ZERO))[1]
        addition = PipelineFigures(open_amount=quota, won_amount=credits.get(rep_id, ZERO))
        per_team[team_id] = per_team.get(team_id, PipelineFigures()) + addition
    return team_pipeline_rollup(merger=data.merger, figures_by_team=per_team)


def _rep_attainment(data: DashboardData, frozen: FrozenLines | None) -> Attainment:
    reps = Rep.objects.filter(merger=data.merger, is_active=True).select_related("user")
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
                str(rep),
                rep.pk,
                attainment_pct(
                    credited=credits.get(rep.pk, ZERO), quota=by_rep.get(rep.pk, (ZERO, ZERO))[1]
                ),
            )
            for rep in reps
        ),
        # Best first; 0% before reps without a quota, who come last.
        key=lambda row: (row[2] is None, -(row[2] or 0), row[0]),
    )
    return Attainment(
        names=tuple(r[0] for r in rows),
        ids=tuple(r[1] for r in rows),
        attainment=tuple(r[2] for r in rows),
    )


def _wins(data: DashboardData, snapshot: SnapshotLine | None) -> list[Win]:
    if snapshot is None:
        return wins_feed(
            merger_id=data.merger.pk, closed_to=month_end(data.month), owner_ids=data.owner_ids
        )
    return wins_frozen(merger_id=data.merger.pk, frozen=snapshot.wins)


def _six_c(merger: Merger, where: DashboardFilter, month: date) -> dict:
    return dashboard_six_c(merger=merger, month=month, segment_id=where.segment_id)


def dashboard_months(*, merger: Merger, today: date | None = None) -> list[date]:
    """Months a user can pick: Day 1 to this month, newest first."""
    today = today or timezone.localdate()
    months = _months(merger, today.replace(day=1))
    frozen = set(MonthlySnapshot.objects.filter(merger=merger).values_list("month", flat=True))
    return sorted(set(months) | frozen, reverse=True)
