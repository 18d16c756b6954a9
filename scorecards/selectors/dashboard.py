"""Everything a monthly dashboard shows, for the program, a team or a rep.

A past month with a frozen snapshot shows the snapshot's figures; the current
month, and combinations of filters no snapshot line covers, are computed live
and say so. The figures come from a few grouped queries (see dashboard_data),
so the page's query count does not grow with the data.
"""

from collections import defaultdict
from dataclasses import astuple, dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts.models import Direction, Merger
from accounts.selectors.overlap_history import overlap_history, overlap_transitions_by_month
from scorecards.selectors.dashboard_data import DashboardData, DashboardFilter
from scorecards.selectors.scores import dashboard_six_c
from tracker.figures import is_cross_company
from tracker.models import (
    MonthlySnapshot,
    Opportunity,
    Rep,
    SnapshotLine,
    Stage,
    SynergyTarget,
    Team,
)
from tracker.pipeline_math import (
    ZERO,
    PipelineFigures,
    add_months,
    attainment,
    cents,
    coverage,
    month_end,
    ratio,
)
from tracker.selectors.metrics import team_pipeline_rollup
from tracker.selectors.wins import Win, wins_feed, wins_frozen

__all__ = ["Dashboard", "DashboardFilter", "Tile", "program_dashboard"]

HUNDRED = Decimal("100")
MAX_MONTHS = 60
FORECAST_MONTHS = 12
DASHBOARD_CACHE_SECONDS = 120


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: Decimal | None
    unit: str  # "money", "percent" or "ratio"
    previous: Decimal | None = None
    note: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Dashboard:
    month: date
    source: str  # "live", "snapshot" or "recomputed"
    frozen_at: datetime | None
    currency: str
    tiles: list[Tile]
    impact: dict[str, list]
    funnel: dict[str, list]
    segment_direction: dict[str, Any]
    attainment_teams: dict[str, list]
    attainment_reps: dict[str, list]
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


@dataclass(frozen=True)
class _MonthFigures:
    realized_to_date: Decimal
    target_to_date: Decimal
    figures: PipelineFigures
    cross_quota: Decimal
    credited: Decimal
    # Open cross-company pipeline expected to close in the rest of the month; None once
    # the month is over, when there is no rest of the period left to cover.
    closing_pipeline: Decimal | None = None
    # Changes since the last freeze to deals of frozen months (tracker.services.snapshots).
    restated: Decimal = ZERO


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
    snapshot = snapshots.get(month)
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
    tiles = _tiles(now, before, pipeline_before=pipeline_before)
    impact = _impact(data, months, snapshots)
    if not where.has_target:
        tiles, impact = _without_target(tiles, impact)
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
    counts = overlap_history(merger=merger, months=months, segment=segment)
    moves = overlap_transitions_by_month(merger=merger, months=months, segment=segment)
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
    lines = SnapshotLine.objects.filter(
        snapshot__merger=merger, scope=scope[0], key=scope[1]
    ).select_related("snapshot")
    return {line.snapshot.month: line for line in lines}


def _month_figures(
    data: DashboardData, month: date, snapshot: SnapshotLine | None
) -> _MonthFigures:
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
        return _MonthFigures(
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
    return _MonthFigures(
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


def _same_days_last_month(data: DashboardData, month: date, today: date) -> _MonthFigures:
    """Last month's flow figures up to the same day of the month as today."""
    previous = add_months(month, -1)
    cutoff = min(previous + timedelta(days=today.day - 1), month_end(previous))
    won, lost, realized = data.closed_between(previous, cutoff)
    by_rep = data.quotas(previous, previous)
    credits = data.credits_between(previous, cutoff)
    chosen = data.chosen_reps(by_rep, credits)
    return _MonthFigures(
        data.realized_to(add_months(previous, -1)) + realized,
        data.target_to(previous),
        PipelineFigures(won_count=won, lost_count=lost),
        sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO),
        sum((credits.get(rep, ZERO) for rep in chosen), ZERO),
    )


def _tiles(
    now: _MonthFigures, before: _MonthFigures, *, pipeline_before: PipelineFigures | None
) -> list[Tile]:
    return [
        Tile(
            "realized",
            _("Realized synergy against target to date"),
            _pct(now.realized_to_date, now.target_to_date),
            "percent",
            _pct(before.realized_to_date, before.target_to_date),
            note=_realized_note(now),
        ),
        Tile(
            "open_pipeline",
            _("Open cross-sell pipeline"),
            now.figures.open_amount,
            "money",
            pipeline_before.open_amount if pipeline_before else None,
        ),
        Tile(
            "weighted_pipeline",
            _("Weighted pipeline"),
            now.figures.weighted_amount,
            "money",
            pipeline_before.weighted_amount if pipeline_before else None,
        ),
        Tile(
            "coverage",
            _("Pipeline coverage"),
            _coverage(now),
            "ratio",
            _coverage(before),
            note=_(
                "Open cross-company pipeline due to close in the rest of the month, over the "
                "month's cross-sell quota still to win"
            )
            if now.closing_pipeline is not None
            else _("The month is over: no time left to cover."),
        ),
        Tile(
            "attainment",
            _("Cross-sell quota attainment"),
            _times_hundred(attainment(won_amount=now.credited, quota=now.cross_quota)),
            "percent",
            _times_hundred(attainment(won_amount=before.credited, quota=before.cross_quota)),
        ),
        Tile(
            "win_rate",
            _("Win rate"),
            _times_hundred(now.figures.win_rate),
            "percent",
            _times_hundred(before.figures.win_rate),
        ),
    ]


def _coverage(figures: _MonthFigures) -> Decimal | None:
    if figures.closing_pipeline is None:
        return None
    return coverage(
        open_amount=figures.closing_pipeline,
        quota=figures.cross_quota,
        won_amount=figures.credited,
    )


def whole(amount: Decimal) -> str:
    """A whole amount as the reader's locale groups it: 17,034,000 or 17 034 000."""
    return number_format(amount, decimal_pos=0, force_grouping=True)


def _realized_note(now: _MonthFigures) -> str:
    note = _("%(realized)s of %(target)s") % {
        "realized": whole(now.realized_to_date),
        "target": whole(now.target_to_date),
    }
    if now.restated:
        note += " · " + _("includes %(amount)s restated in closed months") % {
            "amount": ("+" if now.restated > 0 else "") + whole(now.restated)
        }
    return note


def _without_target(tiles: list[Tile], impact: dict) -> tuple[list[Tile], dict]:
    """A slice without a target of its own shows what it won instead of a share of target."""
    realized = impact["realized"]
    won = Tile(
        "won_to_date",
        _("Cross-sell won to date"),
        realized[-1] if realized else None,
        "money",
        realized[-2] if len(realized) > 1 else None,
        note=_("Synergy targets are set for the program and its segments, not for this slice."),
    )
    tiles = [won, *(tile for tile in tiles if tile.key != "realized")]
    return tiles, {**impact, "target": [None] * len(impact["target"])}


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return _times_hundred(ratio(part, whole))


def _times_hundred(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * HUNDRED).quantize(Decimal("0.1"))


def _months(merger: Merger, month: date) -> list[date]:
    first = max(merger.day_one.replace(day=1), add_months(month, -(MAX_MONTHS - 1)))
    months, current = [], first
    while current <= month:
        months.append(current)
        current = add_months(current, 1)
    return months or [month]


def _impact(data: DashboardData, months: list[date], snapshots: dict) -> dict:
    """Realized and target to date at each month's end: frozen months as they were frozen,
    later ones live (which books every restatement of a frozen month where it was made)."""
    realized, target = [], []
    for month in months:
        line = snapshots.get(month)
        realized.append(line.realized_to_date if line else data.realized_to(month))
        frozen_target = line is not None and data.where.has_target
        target.append(line.target_to_date if frozen_target else data.target_to(month))
    forecast = _forecast(data, months[-1], realized[-1] if realized else ZERO)
    return {"months": months, "realized": realized, "target": target, **forecast}


def _forecast(data: DashboardData, month: date, realized: Decimal) -> dict:
    """Future months: realized so far plus open deals by expected close month.

    The low line counts committed deals at their weight, the high line the
    commit and best-case deals in full and the rest at their weight.
    """
    by_month: dict[date | None, tuple[Decimal, Decimal]] = {}
    for cell in data.open_cells:
        if not is_cross_company(cell.direction):
            continue
        category = data.stages[cell.stage_id].forecast_category
        low = cell.weighted if category == Stage.Forecast.COMMIT else ZERO
        upside = category in (Stage.Forecast.COMMIT, Stage.Forecast.BEST_CASE)
        high = cell.amount if upside else cell.weighted
        old_low, old_high = by_month.get(cell.month, (ZERO, ZERO))
        by_month[cell.month] = (old_low + low, old_high + high)
    dated = {m: value for m, value in by_month.items() if m is not None}
    overdue_low = sum((low for m, (low, _h) in dated.items() if m <= month), ZERO)
    overdue_high = sum((high for m, (_l, high) in dated.items() if m <= month), ZERO)
    months, low, high = [month], [realized], [realized]
    running_low, running_high = realized + overdue_low, realized + overdue_high
    for step in range(1, FORECAST_MONTHS + 1):
        future = add_months(month, step)
        running_low += dated.get(future, (ZERO, ZERO))[0]
        running_high += dated.get(future, (ZERO, ZERO))[1]
        months.append(future)
        low.append(running_low)
        high.append(running_high)
    return {"forecast_months": months, "forecast_low": low, "forecast_high": high}


def _funnel(data: DashboardData) -> dict:
    stages = data.open_stages()
    counts: dict[int, int] = defaultdict(int)
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for cell in data.open_cells:
        counts[cell.stage_id] += cell.count
        amounts[cell.stage_id] += cell.amount
    return {
        "stages": [stage.name for stage in stages],
        "stage_ids": [stage.pk for stage in stages],
        "counts": [counts.get(stage.pk, 0) for stage in stages],
        "amounts": [cents(amounts[stage.pk]) if stage.pk in amounts else ZERO for stage in stages],
    }


def _segment_direction(data: DashboardData) -> dict:
    amounts: dict[tuple[int | None, str], Decimal] = defaultdict(lambda: ZERO)
    for cell in data.open_cells:
        amounts[cell.segment_id, cell.direction] += cell.amount
    segments = list(data.merger.segments.order_by("name").values_list("id", "name"))
    directions = [
        value for value, _label in Direction.choices if any(key[1] == value for key in amounts)
    ]
    return {
        "segments": [name for _id, name in segments],
        "segment_ids": [segment_id for segment_id, _name in segments],
        "amounts_by_direction": {
            direction: [
                cents(amounts[segment_id, direction])
                if (segment_id, direction) in amounts
                else ZERO
                for segment_id, _n in segments
            ]
            for direction in directions
        },
        "direction_labels": {value: str(label) for value, label in Direction.choices},
    }


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


def _team_attainment(data: DashboardData, frozen: FrozenLines | None) -> dict:
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
    return {
        "names": [team.name for team in teams],
        "ids": [team.pk for team in teams],
        "attainment": [
            _times_hundred(
                attainment(won_amount=rolled[t.pk].won_amount, quota=rolled[t.pk].open_amount)
            )
            if t.pk in rolled
            else None
            for t in teams
        ],
    }


def _live_team_figures(data: DashboardData) -> dict[int, PipelineFigures]:
    by_rep, credits = data.quotas(data.month, data.month), data.credits(data.month)
    team_of = dict(Rep.objects.filter(merger=data.merger).values_list("id", "team_id"))
    per_team: dict[int | None, PipelineFigures] = {}
    for rep_id, team_id in team_of.items():
        quota = by_rep.get(rep_id, (ZERO, ZERO))[1]
        addition = PipelineFigures(open_amount=quota, won_amount=credits.get(rep_id, ZERO))
        per_team[team_id] = per_team.get(team_id, PipelineFigures()) + addition
    return team_pipeline_rollup(merger=data.merger, figures_by_team=per_team)


def _rep_attainment(data: DashboardData, frozen: FrozenLines | None) -> dict:
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
                _times_hundred(
                    attainment(
                        won_amount=credits.get(rep.pk, ZERO),
                        quota=by_rep.get(rep.pk, (ZERO, ZERO))[1],
                    )
                ),
            )
            for rep in reps
        ),
        # Best first; 0% before reps without a quota, who come last.
        key=lambda row: (row[2] is None, -(row[2] or 0), row[0]),
    )
    return {
        "names": [r[0] for r in rows],
        "ids": [r[1] for r in rows],
        "attainment": [r[2] for r in rows],
    }


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
