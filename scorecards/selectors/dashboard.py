"""Everything a monthly dashboard shows, for the program, a team or a rep.

A past month with a frozen snapshot shows the snapshot's figures: its line's for
the program or one segment, direction, team or rep, and for any other combination of
filters the sums of the deals the snapshot kept (dashboard_kept), which keep no
lost deal and no quota, so those figures are not measured. The current month, and a
closed month frozen before its deals were kept, are computed live and say so. The
figures come from a few grouped queries (see dashboard_data), so the page's query
count does not grow with the data. The tiles' figures are
read in dashboard_tiles, the other sections built in dashboard_sections.
"""

from dataclasses import astuple, dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Merger
from scorecards import dashboard_math
from scorecards.dashboard_math import Attainment, Funnel, Impact, SegmentDirection, Tile
from scorecards.selectors import dashboard_sections, dashboard_tiles
from scorecards.selectors.dashboard_data import DashboardData, DashboardFilter
from tracker.models import MonthlySnapshot, SnapshotLine
from tracker.pipeline_math import ZERO, add_months, month_end
from tracker.selectors.reach import Reach
from tracker.selectors.wins import Win

__all__ = ["Dashboard", "DashboardFilter", "Tile", "dashboard_within_reach", "program_dashboard"]

MAX_MONTHS = 60
DASHBOARD_CACHE_SECONDS = 120


@dataclass
class Dashboard:
    month: date
    # "live", "snapshot" (its line), "kept" (its kept deals) or "recomputed" (today's deals)
    source: str
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


def dashboard_within_reach(dashboard: Dashboard, reach: Reach) -> Dashboard:
    """The dashboard as one reader may see it: the attainment of the teams and reps in
    their reach only, as on the quota page. Cached dashboards are shared by every
    reader of a program, so this applies after the cache."""
    if reach.everything:
        return dashboard
    return replace(
        dashboard,
        attainment_teams=dashboard.attainment_teams.within(reach.team),
        attainment_reps=dashboard.attainment_reps.within(reach.rep),
    )


def program_dashboard(
    *, merger: Merger, where: DashboardFilter, today: date | None = None
) -> Dashboard:
    today = today or timezone.localdate()
    month = where.month.replace(day=1)
    previous = add_months(month, -1)
    snapshots = dashboard_tiles.snapshot_lines(merger, where)
    snapshot = dashboard_tiles.snapshot_line_whole(snapshots.get(month))
    data = DashboardData(merger=merger, where=where, today=today, frozen=snapshot)
    is_current = month >= today.replace(day=1)
    months = _months(merger, month)
    now = dashboard_tiles.month_figures(data, month, snapshot)
    if snapshot is None:
        now = replace(now, restated=dashboard_tiles.pending_restatement(data, snapshots, month))
    before = dashboard_tiles.month_figures(data, previous, snapshots.get(previous))
    kept_before = data.kept_deals.snapshot_of(previous) is not None
    pipeline_before = before.figures if previous in snapshots or kept_before else None
    compared_with = _("Changes against %(month)s.") % {"month": date_format(previous, "F Y")}
    if snapshot is None and today < month_end(month):
        # Month to date against the same days of last month, never against all of it.
        before = dashboard_tiles.same_days_last_month(data, month, today)
        compared_with = _(
            "Changes against the same days of %(month)s (1 to %(day)d); pipeline against its end."
        ) % {"month": date_format(previous, "F Y"), "day": today.day}
    tiles = dashboard_math.tiles(now, before, pipeline_before=pipeline_before)
    impact = dashboard_sections.impact(data, months, snapshots)
    if not where.has_target:
        tiles, impact = dashboard_math.without_target(tiles, impact)
    if not where.has_quota:
        tiles = dashboard_math.without_quota(tiles)
    if data.kept is not None:
        tiles = dashboard_math.kept_not_measured(tiles)
    return Dashboard(
        month=month,
        source=_source(is_current, snapshot, data),
        frozen_at=snapshot.snapshot.frozen_at if snapshot else None,
        currency=merger.reporting_currency,
        tiles=tiles,
        impact=impact,
        funnel=dashboard_sections.funnel(data),
        segment_direction=dashboard_sections.segment_direction(data),
        attainment_teams=dashboard_sections.team_attainment(
            data, dashboard_sections.frozen_month_lines(merger, snapshot)
        ),
        attainment_reps=dashboard_sections.rep_attainment(
            data, dashboard_sections.frozen_month_lines(merger, snapshot)
        ),
        six_c=dashboard_sections.six_c(data, month),
        overlap=dashboard_sections.overlap(merger, months, where),
        wins=dashboard_sections.wins(data, snapshot),
        missing=dashboard_sections.missing(merger),
        restated=now.restated,
        month_frozen=month in data.kept_deals.snapshots,
        compared_with=compared_with,
    )


def _source(is_current: bool, snapshot: SnapshotLine | None, data: DashboardData) -> str:
    if is_current:
        return "live"
    if snapshot is not None:
        return "snapshot"
    return "recomputed" if data.kept is None else "kept"


def _months(merger: Merger, month: date) -> list[date]:
    first = max(merger.day_one.replace(day=1), add_months(month, -(MAX_MONTHS - 1)))
    months, current = [], first
    while current <= month:
        months.append(current)
        current = add_months(current, 1)
    return months or [month]


def dashboard_months(
    *, merger: Merger, today: date | None = None, frozen: set[date] | None = None
) -> list[date]:
    """Months a user can pick: Day 1 to this month, newest first.

    `frozen` is the program's snapshot months where the caller has read them already."""
    today = today or timezone.localdate()
    months = _months(merger, today.replace(day=1))
    if frozen is None:
        frozen = set(MonthlySnapshot.objects.filter(merger=merger).values_list("month", flat=True))
    return sorted(set(months) | frozen, reverse=True)
