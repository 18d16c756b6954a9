"""Monthly dashboards: the program's, a team's and a rep's, in one vocabulary and template.

Filters travel in the query string, so a dashboard's URL can be shared as it
is. Which teams and reps a user may look into is decided by
scorecards.access (registered with core.access).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Merger, Segment
from accounts.selectors.whitespace import whitespace_heatmap
from core.web import check_object_access, get_program_object_or_404, program_view
from scorecards.access import DashboardReach, own_rep
from scorecards.selectors.dashboard import (
    Dashboard,
    DashboardFilter,
    dashboard_months,
    dashboard_within_reach,
    program_dashboard_cached,
)
from scorecards.selectors.scorecard import segment_radar
from scorecards.views.chart_text import id_paths, url_with
from scorecards.views.charts import six_c_radar_chart, whitespace_column_urls
from scorecards.views.dashboard_charts import DashboardCharts
from scorecards.views.forms import DashboardFilterForm, chosen_month, month_choices, month_label
from scorecards.views.tile_links import tile_links
from scorecards.views.tiles import TileView, tile_view
from tracker.models import MonthlySnapshot, Rep, Stage, Team
from tracker.selectors.reach import attainment_reach
from tracker.selectors.restatements import restatements_of_month

TEMPLATE = "scorecards/dashboard.html"


@dataclass(frozen=True)
class Scope:
    kind: str  # "program", "team" or "rep"
    heading: str
    team: Team | None = None
    rep: Rep | None = None

    @property
    def fixed_fields(self) -> tuple[str, ...]:
        return () if self.kind == "program" else ("team",)


@require_GET
@program_view("dashboard", section="dashboards")
def program_dashboard_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    return _render(request, merger, Scope("program", _("Program dashboard")))


@require_GET
@program_view("dashboard", section="dashboards")
def team_dashboard_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    team = get_program_object_or_404(request, Team.objects.filter(merger=merger), pk=pk)
    check_object_access(request, "dashboard", team)
    heading = _("Team dashboard: %(team)s") % {"team": team.name}
    return _render(request, merger, Scope("team", heading, team=team))


@require_GET
@program_view("dashboard", section="dashboards")
def rep_dashboard_page(request: HttpRequest, pk: int, *, merger: Merger) -> HttpResponse:
    rep = get_program_object_or_404(
        request, Rep.objects.filter(merger=merger).select_related("user", "team"), pk=pk
    )
    check_object_access(request, "dashboard", rep)
    return _render(request, merger, _rep_scope(rep, mine=rep.user_id == request.user.pk))


@require_GET
@program_view("dashboard", section="dashboards")
def my_dashboard_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    own = own_rep(user=request.user, merger_id=merger.pk)
    if own is None:
        context = {
            "merger": merger,
            "heading": _("My dashboard"),
            "missing": _("You do not sell in this program, so there is no personal dashboard."),
            "how": _(
                "Personal dashboards follow a rep's own pipeline and quota. The program "
                "dashboard shows the whole program."
            ),
            "action_url": reverse("scorecards:dashboard"),
            "action_label": _("Open the program dashboard"),
        }
        return render(request, "scorecards/no_dashboard.html", context)
    rep = Rep.objects.select_related("user", "team").get(pk=own[0])
    return _render(request, merger, _rep_scope(rep, mine=True))


def _rep_scope(rep: Rep, *, mine: bool) -> Scope:
    heading = _("My dashboard") if mine else _("Rep dashboard: %(rep)s") % {"rep": str(rep)}
    return Scope("rep", heading, team=None, rep=rep)


@dataclass(frozen=True)
class _Page:
    """What one dashboard request asked for, as the chart builders need it."""

    merger: Merger
    scope: Scope
    reach: DashboardReach
    where: DashboardFilter
    segment: Segment | None
    radar_segment: Segment | None
    today: date

    @property
    def has_target(self) -> bool:
        return self.where.has_target


def _tiles(dashboard: Dashboard, page: _Page) -> list[TileView]:
    where = page.where
    links = tile_links(
        merger=page.merger,
        month=dashboard.month,
        today=page.today,
        source=dashboard.source,
        slice_params={
            "segment": where.segment_id,
            "team": where.team_id,
            "direction": where.direction,
            "company": where.company_id,
            "owner": where.owner_id,
        },
        has_quota=where.has_quota,
    )
    return [
        tile_view(tile, currency=dashboard.currency, url=links.get(tile.key, ""))
        for tile in dashboard.tiles
    ]


def _render(request: HttpRequest, merger: Merger, scope: Scope) -> HttpResponse:
    today = timezone.localdate()
    # The program is read already: the reach from it, not from its id read again.
    reach = attainment_reach(user=request.user, merger=merger)
    month = chosen_month(request.GET.get("month"), merger=merger, today=today)
    form = _filter_form(request, merger, scope, reach, month, today)
    segment: Segment | None = form.value_of("segment")
    chosen_team: Team | None = scope.team or form.value_of("team")
    company = form.value_of("company")
    where = DashboardFilter(
        month=month,
        segment_id=segment.pk if segment else None,
        team_id=chosen_team.pk if chosen_team else None,
        direction=form.value_of("direction"),
        company_id=company.pk if company else None,
        owner_id=scope.rep.pk if scope.rep else None,
    )
    page = _Page(merger, scope, reach, where, segment, form.value_of("radar"), today)
    dashboard = dashboard_within_reach(
        program_dashboard_cached(merger=merger, where=where, today=today), reach
    )
    context = {
        "merger": merger,
        "scope": scope,
        "heading": scope.heading,
        "filter": {"form": form},
        "month": month,
        "month_label": month_label(month),
        "dashboard": dashboard,
        "banner": _banner(dashboard),
        "tiles": _tiles(dashboard, page),
        "has_target": page.has_target,
        # A segment, direction or company has no quota: no attainment, not the program's.
        "has_quota": where.has_quota,
        # A rep outside every team's reach reads no team's attainment, not an empty chart.
        "team_attainment_shown": scope.kind != "rep"
        and (reach.everything or bool(dashboard.attainment_teams.ids)),
        "sections": _sections(dashboard, page),
        "nothing_yet": len(dashboard.missing) == 3,
        "wins_url": url_with("tracker:wins", month=f"{month:%Y-%m}"),
        "restatements_url": url_with("scorecards:restatements", month=f"{month:%Y-%m}"),
        "nav": _nav(request, merger, scope, reach),
    }
    return render(request, TEMPLATE, context)


def _filter_form(request, merger, scope, reach, month: date, today: date) -> DashboardFilterForm:
    frozen = set(MonthlySnapshot.objects.filter(merger=merger).values_list("month", flat=True))
    data = request.GET.copy()
    # The month shown is the one clamped to Day 1 .. this month, whatever was asked for.
    data["month"] = f"{month:%Y-%m}"
    return DashboardFilterForm(
        data,
        merger=merger,
        months=month_choices(dashboard_months(merger=merger, today=today, frozen=frozen), frozen),
        team_ids=reach.team_ids,
        without=scope.fixed_fields,
    )


def _banner(dashboard: Dashboard) -> dict[str, str]:
    if dashboard.source == "live":
        return {
            "kind": "live",
            "text": _("Live: current month. Figures move as deals move; these are from %(time)s.")
            % {"time": timezone.localtime(dashboard.computed_at).strftime("%H:%M")},
        }
    if dashboard.source == "snapshot":
        return {
            "kind": "snapshot",
            "text": _("Frozen snapshot of %(month)s, frozen at %(time)s.")
            % {
                "month": month_label(dashboard.month),
                "time": date_format(
                    timezone.localtime(dashboard.frozen_at), "SHORT_DATETIME_FORMAT"
                ),
            },
        }
    if dashboard.source == "kept":
        to_date = dashboard.impact.realized[-1] if dashboard.impact.realized else None
        also = (
            ""
            if to_date is not None
            else " "
            + _(
                "Nor is cross-sell won to date: a month since Day 1 was frozen before its "
                "deals were kept."
            )
        )
        return {
            "kind": "kept",
            "text": _(
                "Frozen figures of %(month)s for these filters, summed from the deals its "
                "snapshot kept: those open at the month's end and those realized in it. "
                "The snapshot keeps no lost deals and no quotas, so the win rate and the "
                "quota attainment are not measured."
            )
            % {"month": month_label(dashboard.month)}
            + also,
        }
    if not dashboard.month_frozen:
        return {"kind": "recomputed", "text": _("Not frozen yet: computed from current data.")}
    return {
        "kind": "recomputed",
        "text": _(
            "Not part of the month's frozen snapshot (it holds the program, each segment, "
            "direction, team and rep, one at a time): computed from current data, so these "
            "figures can differ from the closed month's."
        ),
    }


def _sections(dashboard: Dashboard, page: _Page) -> dict[str, Any]:
    """Each chart of the page, or None where there is nothing to draw yet."""
    reach, where, segment = page.reach, page.where, page.segment
    team_path = id_paths("scorecards:team_dashboard")
    rep_path = id_paths("scorecards:rep_dashboard")
    builder = DashboardCharts(
        dashboard,
        # The list behind a chart shows what the chart counted: the same slice.
        pipeline_params={
            "segment": where.segment_id,
            "team": where.team_id,
            "direction": where.direction,
            "company": where.company_id,
            "owner": where.owner_id,
        },
        # The open pipeline charts count the deals open now, so their lists narrow to those.
        # A closed month's hold the deals open at its end, which no outcome lists: left as is.
        open_params={} if dashboard.month_frozen else {"outcome": Stage.Outcome.OPEN},
        # A closed month's open pipeline lists its deals as its snapshot counted them.
        pipeline_path=_frozen_list_path(dashboard, where),
        team_url=lambda team_id: team_path(team_id) if reach.team(team_id) else None,
        rep_url=lambda rep_id: rep_path(rep_id) if reach.rep(rep_id) else None,
        today=page.today,
    )
    six_c = dashboard.six_c
    heat = whitespace_heatmap(merger=page.merger, segment=segment)
    column_urls = whitespace_column_urls(
        heat,
        segment_ids_by_name=dict(zip(six_c["segments"], six_c["segment_ids"], strict=True)),
        segment_id=segment.pk if segment else None,
    )
    return {
        "impact": builder.impact(with_target=page.has_target),
        "funnel": builder.funnel(),
        "segment_direction": builder.segment_direction(),
        "attainment_teams": builder.attainment_teams() if page.scope.kind != "rep" else None,
        "attainment_reps": builder.attainment_reps(),
        "six_c": builder.six_c_heatmap(),
        "radar": _radar(page.merger, dashboard, page.radar_segment),
        "whitespace": builder.whitespace(heat, column_urls, segment.name if segment else None),
        "overlap": builder.overlap(),
    }


def _frozen_list_path(dashboard: Dashboard, where: DashboardFilter) -> str | None:
    """The list of a closed month's open deals as they stood, where it lists the deals the
    month's charts counted: a snapshot line's, or the kept deals of filters it can narrow
    to (it does not filter by company)."""
    frozen = dashboard.source == "snapshot" or (
        dashboard.source == "kept" and not where.company_id
    )
    if not frozen:
        return None
    return reverse("tracker:pipeline_frozen", args=[f"{dashboard.month:%Y-%m}"])


def _radar(merger: Merger, dashboard: Dashboard, radar_segment: Segment | None):
    six_c = dashboard.six_c
    if radar_segment is not None:
        scores, previous = segment_radar(
            merger=merger, segment_id=radar_segment.pk, month=dashboard.month
        )
        segment_id, name = radar_segment.pk, radar_segment.name
    else:
        scores, previous = six_c["radar"], six_c["radar_previous"]
        segment_id, name = six_c["radar_segment_id"], six_c["radar_segment"]
    if not scores or segment_id is None:
        return None
    return six_c_radar_chart(
        chart_id="chart-radar",
        segment_id=segment_id,
        segment=name,
        scores=scores,
        previous=previous,
        month=dashboard.month,
    )


def _nav(request: HttpRequest, merger: Merger, scope: Scope, reach: DashboardReach) -> list:
    """Program, the user's own teams and their own dashboard: where to switch to."""
    links = [
        {
            "label": _("Program"),
            "url": reverse("scorecards:dashboard"),
            "current": scope.kind == "program",
        }
    ]
    own = own_rep(user=request.user, merger_id=merger.pk)
    teams = Team.objects.filter(merger=merger, leader=request.user)
    team_ids = {team.pk: team.name for team in teams.order_by("name")}
    if own and own[1] and own[1] not in team_ids:
        team_ids.update(Team.objects.filter(pk=own[1]).values_list("id", "name"))
    for team_id, name in team_ids.items():
        if reach.team(team_id):
            links.append(
                {
                    "label": name,
                    "url": reverse("scorecards:team_dashboard", args=[team_id]),
                    "current": scope.team is not None and scope.team.pk == team_id,
                }
            )
    if own:
        links.append(
            {
                "label": _("Mine"),
                "url": reverse("scorecards:my_dashboard"),
                "current": scope.rep is not None and scope.rep.pk == own[0],
            }
        )
    return links


@program_view("dashboard", section="dashboards")
def restatements_page(request: HttpRequest, *, merger: Merger) -> HttpResponse:
    """What changed in deals of closed months, booked in the month it changed in."""
    today = timezone.localdate()
    month = chosen_month(request.GET.get("month"), merger=merger, today=today)
    restatements = restatements_of_month(merger=merger, month=month)
    context = {
        "merger": merger,
        "month": month,
        "month_label": month_label(month),
        "restatements": restatements,
        "currency": merger.reporting_currency,
        "dashboard_url": url_with("scorecards:dashboard", month=f"{month:%Y-%m}"),
    }
    return render(request, "scorecards/restatements.html", context)
