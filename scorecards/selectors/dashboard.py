"""Everything a monthly dashboard shows, for the program, a team or a rep.

A past month with a frozen snapshot shows the snapshot's figures; the current
month, and combinations of filters no snapshot line covers, are computed live
and say so. Every part is one grouped query, so the page's query count does not
grow with the data.
"""

from dataclasses import astuple, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Direction, Kind, Merger
from accounts.selectors.overlap_history import overlap_history
from scorecards.models import CScore, SixC
from tracker.models import (
    MonthlySnapshot,
    Opportunity,
    Rep,
    SnapshotLine,
    Stage,
    SynergyTarget,
    Team,
)
from tracker.pipeline_math import ZERO, PipelineFigures, add_months, attainment, coverage, ratio
from tracker.selectors.metrics import (
    MONEY,
    Dimension,
    PipelineFilter,
    credited_won,
    pipeline_figures,
    quota_totals,
    team_pipeline_rollup,
    team_subtree_ids,
)
from tracker.selectors.wins import Win, wins_feed

HUNDRED = Decimal("100")
MAX_MONTHS = 60
FORECAST_MONTHS = 12
COVERAGE_MONTHS = 12
DASHBOARD_CACHE_SECONDS = 120


@dataclass(frozen=True)
class DashboardFilter:
    month: date
    segment_id: int | None = None
    team_id: int | None = None
    direction: str | None = None
    company_id: int | None = None
    owner_id: int | None = None

    def pipeline(self) -> PipelineFilter:
        return PipelineFilter(
            segment_id=self.segment_id,
            team_id=self.team_id,
            owner_id=self.owner_id,
            direction=self.direction,
            company_id=self.company_id,
        )

    def snapshot_scope(self) -> tuple[str, str] | None:
        """The one snapshot line that answers these filters, if there is one."""
        given = {
            SnapshotLine.Scope.SEGMENT: self.segment_id,
            SnapshotLine.Scope.TEAM: self.team_id,
            SnapshotLine.Scope.DIRECTION: self.direction,
            SnapshotLine.Scope.REP: self.owner_id,
        }
        chosen = {scope: value for scope, value in given.items() if value}
        if self.company_id or len(chosen) > 1:
            return None
        if not chosen:
            return SnapshotLine.Scope.PROGRAM, ""
        [(scope, value)] = chosen.items()
        return scope, str(value)


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
    # Cross-sell quota of this and the following months: what open pipeline has to cover.
    quota_ahead: Decimal = ZERO


def month_end(month: date) -> date:
    following = add_months(month, 1)
    return following.fromordinal(following.toordinal() - 1)


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
    parts = (merger.pk, merger.created_at.timestamp(), today.isoformat(), *astuple(where))
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
    snapshots = _snapshot_lines(merger, where)
    snapshot = snapshots.get(month)
    is_current = month >= today.replace(day=1)
    now = _month_figures(merger, where, month, snapshot)
    before = _month_figures(
        merger, where, add_months(month, -1), snapshots.get(add_months(month, -1))
    )
    months = _months(merger, month)
    return Dashboard(
        month=month,
        source="live" if is_current else ("snapshot" if snapshot else "recomputed"),
        frozen_at=snapshot.snapshot.frozen_at if snapshot else None,
        currency=merger.reporting_currency,
        tiles=_tiles(now, before, previous_is_snapshot=add_months(month, -1) in snapshots),
        impact=_impact(merger, where, months, snapshots),
        funnel=_funnel(merger, where),
        segment_direction=_segment_direction(merger, where),
        attainment_teams=_team_attainment(merger, where, month),
        attainment_reps=_rep_attainment(merger, where, month),
        six_c=_six_c(merger, where, month),
        overlap={
            "months": months,
            "counts": overlap_history(
                merger=merger,
                months=months,
                segment=merger.segments.filter(pk=where.segment_id).first()
                if where.segment_id
                else None,
            ),
        },
        wins=wins_feed(
            merger_id=merger.pk, closed_to=month_end(month), owner_ids=_owner_ids(where)
        ),
        missing=_missing(merger),
    )


def _owner_ids(where: DashboardFilter) -> list[int] | None:
    if where.owner_id:
        return [where.owner_id]
    if where.team_id:
        return list(
            Rep.objects.filter(team_id__in=team_subtree_ids(team_id=where.team_id)).values_list(
                "id", flat=True
            )
        )
    return None


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
    merger: Merger, where: DashboardFilter, month: date, snapshot: SnapshotLine | None
) -> _MonthFigures:
    last = month_end(month)
    target = _cumulative_target(merger, where, month)
    realized = _realized_to_date(merger, where, last)
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
            realized,
            target,
            figures,
            snapshot.cross_sell_quota,
            snapshot.realized_synergy,
            _quota_ahead(merger, where, month),
        )
    figures = pipeline_figures(
        merger=merger,
        closed_from=month,
        closed_to=last,
        today=min(last, timezone.localdate()),
        where=where.pipeline(),
    ).get("program", PipelineFigures())
    cross_quota, credited = _quota_and_credit(merger, where, month, last)
    return _MonthFigures(
        realized, target, figures, cross_quota, credited, _quota_ahead(merger, where, month)
    )


def _quota_ahead(merger: Merger, where: DashboardFilter, month: date) -> Decimal:
    last = add_months(month, COVERAGE_MONTHS - 1)
    by_rep = quota_totals(merger=merger, month_from=month, month_to=last, by=Dimension.REP)
    reps = _owner_ids(where)
    chosen = set(by_rep) if reps is None else set(reps)
    return sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO)


def _quota_and_credit(merger, where, month, last) -> tuple[Decimal, Decimal]:
    by_rep = quota_totals(merger=merger, month_from=month, month_to=month, by=Dimension.REP)
    credits = credited_won(merger=merger, closed_from=month, closed_to=last)
    reps = _owner_ids(where)
    chosen = set(by_rep) | set(credits) if reps is None else set(reps)
    quota = sum((by_rep.get(rep, (ZERO, ZERO))[1] for rep in chosen), ZERO)
    credited = sum((credits.get(rep, ZERO) for rep in chosen), ZERO)
    return quota, credited


def _cumulative_target(merger: Merger, where: DashboardFilter, month: date) -> Decimal:
    targets = SynergyTarget.objects.filter(merger=merger, month__lte=month)
    targets = (
        targets.filter(segment_id=where.segment_id)
        if where.segment_id
        else targets.filter(segment__isnull=True)
    )
    return targets.aggregate(total=Coalesce(Sum("cross_sell"), ZERO, output_field=MONEY))["total"]


def _won_cross_sell(merger: Merger, where: DashboardFilter):
    won = Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.WON)
    return PipelineFilter(**{**where.pipeline().__dict__, "kinds": (Kind.CROSS_SELL,)}).apply(won)


def _realized_to_date(merger: Merger, where: DashboardFilter, last: date) -> Decimal:
    return (
        _won_cross_sell(merger, where)
        .filter(closed_on__lte=last)
        .aggregate(total=Coalesce(Sum("amount"), ZERO, output_field=MONEY))["total"]
    )


def _tiles(now: _MonthFigures, before: _MonthFigures, *, previous_is_snapshot: bool) -> list[Tile]:
    pipeline_before = before.figures if previous_is_snapshot else None
    return [
        Tile(
            "realized",
            _("Realized synergy against target to date"),
            _pct(now.realized_to_date, now.target_to_date),
            "percent",
            _pct(before.realized_to_date, before.target_to_date),
            note=_("%(realized)s of %(target)s")
            % {"realized": f"{now.realized_to_date:,.0f}", "target": f"{now.target_to_date:,.0f}"},
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
            coverage(
                open_amount=now.figures.open_amount, quota=now.quota_ahead, won_amount=now.credited
            ),
            "ratio",
            coverage(
                open_amount=pipeline_before.open_amount,
                quota=before.quota_ahead,
                won_amount=before.credited,
            )
            if pipeline_before
            else None,
            note=_(
                "Open pipeline over the cross-sell quota still to win, this month and the "
                "next %(months)d"
            )
            % {"months": COVERAGE_MONTHS - 1},
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


def _impact(merger, where, months: list[date], snapshots: dict[date, SnapshotLine]) -> dict:
    won_by_month = dict(
        _won_cross_sell(merger, where)
        .filter(closed_on__lte=month_end(months[-1]))
        .annotate(month=TruncMonth("closed_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
        .order_by()
    )
    won_by_month = {_as_date(key): value for key, value in won_by_month.items()}
    before_window = _realized_to_date(merger, where, month_end(add_months(months[0], -1)))
    targets = SynergyTarget.objects.filter(merger=merger, month__lte=months[-1])
    targets = (
        targets.filter(segment_id=where.segment_id)
        if where.segment_id
        else targets.filter(segment__isnull=True)
    )
    target_by_month = dict(targets.values_list("month", "cross_sell"))
    realized, target, running = [], [], before_window
    running_target = sum((v for m, v in target_by_month.items() if m < months[0]), ZERO)
    for month in months:
        line = snapshots.get(month)
        running += line.realized_synergy if line else won_by_month.get(month, ZERO)
        running_target += target_by_month.get(month, ZERO)
        realized.append(running)
        target.append(running_target)
    forecast = _forecast(merger, where, months[-1], realized[-1] if realized else ZERO)
    return {"months": months, "realized": realized, "target": target, **forecast}


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _forecast(merger, where, month: date, realized: Decimal) -> dict:
    """Future months: realized so far plus open deals by expected close month."""
    open_ = PipelineFilter(**{**where.pipeline().__dict__, "kinds": (Kind.CROSS_SELL,)}).apply(
        Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN)
    )
    weighted = F("amount") * F("probability") / 100
    upside = Q(stage__forecast_category__in=[Stage.Forecast.COMMIT, Stage.Forecast.BEST_CASE])
    rows = (
        open_.annotate(month=TruncMonth("expected_close"))
        .values("month")
        .annotate(
            low=Coalesce(
                Sum(
                    weighted,
                    filter=Q(stage__forecast_category=Stage.Forecast.COMMIT),
                    output_field=MONEY,
                ),
                ZERO,
                output_field=MONEY,
            ),
            high=Coalesce(Sum("amount", filter=upside), ZERO, output_field=MONEY)
            + Coalesce(
                Sum(weighted, filter=~upside, output_field=MONEY), ZERO, output_field=MONEY
            ),
        )
        .order_by()
    )
    by_month = {_as_date(row["month"]): (row["low"], row["high"]) for row in rows}
    overdue_low = sum((low for m, (low, _h) in by_month.items() if m <= month), ZERO)
    overdue_high = sum((high for m, (_l, high) in by_month.items() if m <= month), ZERO)
    months, low, high = [month], [realized], [realized]
    running_low, running_high = realized + overdue_low, realized + overdue_high
    for step in range(1, FORECAST_MONTHS + 1):
        future = add_months(month, step)
        running_low += by_month.get(future, (ZERO, ZERO))[0]
        running_high += by_month.get(future, (ZERO, ZERO))[1]
        months.append(future)
        low.append(running_low)
        high.append(running_high)
    return {"forecast_months": months, "forecast_low": low, "forecast_high": high}


def _funnel(merger: Merger, where: DashboardFilter) -> dict:
    stages = list(
        Stage.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN).order_by("order")
    )
    rows = (
        where.pipeline()
        .apply(Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN))
        .values("stage_id")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by()
    )
    by_stage = {row["stage_id"]: row for row in rows}
    return {
        "stages": [stage.name for stage in stages],
        "stage_ids": [stage.pk for stage in stages],
        "counts": [by_stage.get(stage.pk, {}).get("count", 0) for stage in stages],
        "amounts": [by_stage.get(stage.pk, {}).get("amount") or ZERO for stage in stages],
    }


def _segment_direction(merger: Merger, where: DashboardFilter) -> dict:
    rows = (
        where.pipeline()
        .apply(Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN))
        .values("segment_id", "direction")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    segments = list(merger.segments.order_by("name").values_list("id", "name"))
    amounts = {(row["segment_id"], row["direction"]): row["amount"] for row in rows}
    directions = [
        value for value, _label in Direction.choices if any(key[1] == value for key in amounts)
    ]
    return {
        "segments": [name for _id, name in segments],
        "segment_ids": [segment_id for segment_id, _name in segments],
        "amounts_by_direction": {
            direction: [amounts.get((segment_id, direction), ZERO) for segment_id, _n in segments]
            for direction in directions
        },
        "direction_labels": {value: str(label) for value, label in Direction.choices},
    }


def _team_attainment(merger: Merger, where: DashboardFilter, month: date) -> dict:
    teams = list(Team.objects.filter(merger=merger).order_by("name"))
    if where.team_id:
        wanted = set(team_subtree_ids(team_id=where.team_id))
        teams = [team for team in teams if team.pk in wanted]
    by_rep = quota_totals(merger=merger, month_from=month, month_to=month, by=Dimension.REP)
    credits = credited_won(merger=merger, closed_from=month, closed_to=month_end(month))
    team_of = dict(Rep.objects.filter(merger=merger).values_list("id", "team_id"))
    per_team: dict[int | None, PipelineFigures] = {}
    for rep_id, team_id in team_of.items():
        quota = by_rep.get(rep_id, (ZERO, ZERO))[1]
        addition = PipelineFigures(open_amount=quota, won_amount=credits.get(rep_id, ZERO))
        per_team[team_id] = per_team.get(team_id, PipelineFigures()) + addition
    rolled = team_pipeline_rollup(merger=merger, figures_by_team=per_team)
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


def _rep_attainment(merger: Merger, where: DashboardFilter, month: date) -> dict:
    reps = Rep.objects.filter(merger=merger, is_active=True).select_related("user")
    owner_ids = _owner_ids(where)
    if owner_ids is not None:
        reps = reps.filter(pk__in=owner_ids)
    by_rep = quota_totals(merger=merger, month_from=month, month_to=month, by=Dimension.REP)
    credits = credited_won(merger=merger, closed_from=month, closed_to=month_end(month))
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
        key=lambda row: (-(row[2] or Decimal(-1)), row[0]),
    )
    return {
        "names": [r[0] for r in rows],
        "ids": [r[1] for r in rows],
        "attainment": [r[2] for r in rows],
    }


def _six_c(merger: Merger, where: DashboardFilter, month: date) -> dict:
    scores = CScore.objects.filter(merger=merger, month__in=[month, add_months(month, -1)])
    table: dict[tuple[date, int], dict[str, Decimal]] = {}
    for segment_id, score_month, c, score in scores.values_list(
        "segment_id", "month", "c", "score"
    ):
        table.setdefault((score_month, segment_id), {})[c] = score
    segments = list(merger.segments.order_by("name").values_list("id", "name"))
    chosen = where.segment_id or next(
        (segment_id for segment_id, _n in segments if (month, segment_id) in table), None
    )
    return {
        "segments": [name for _id, name in segments],
        "segment_ids": [segment_id for segment_id, _n in segments],
        "scores": [
            [table.get((month, segment_id), {}).get(c) for c in SixC.values]
            for segment_id, _n in segments
        ],
        "radar_segment": dict(segments).get(chosen, ""),
        "radar_segment_id": chosen,
        "radar": table.get((month, chosen), {}),
        "radar_previous": table.get((add_months(month, -1), chosen), {}),
        "has_scores": any((month, segment_id) in table for segment_id, _n in segments),
    }


def dashboard_months(*, merger: Merger, today: date | None = None) -> list[date]:
    """Months a user can pick: Day 1 to this month, newest first."""
    today = today or timezone.localdate()
    months = _months(merger, today.replace(day=1))
    frozen = set(MonthlySnapshot.objects.filter(merger=merger).values_list("month", flat=True))
    return sorted(set(months) | frozen, reverse=True)
