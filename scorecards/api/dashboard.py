"""The dashboard endpoint: the tiles and chart data of a program, team or rep dashboard.

The same filters as the dashboard pages; a team or rep the user may not open
(scorecards.access) answers 403, one of another program 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.analysis import SEGMENT_PARAM
from accounts.models import Direction, Merger
from core.api.base import MERGER_PARAM, ProgramReportViewSet, program_of
from scorecards.access import dashboard_reach
from scorecards.api.dashboard_serializers import DashboardSerializer
from scorecards.api.scores import MONTH_PARAM, OneObjectSchema, month_param
from scorecards.models import SixC
from scorecards.selectors.dashboard import (
    Dashboard,
    DashboardFilter,
    dashboard_within_reach,
    program_dashboard_cached,
)
from tracker.models import MonthlySnapshot, Rep, Team
from tracker.selectors.reach import attainment_reach

LARGEST_ID = 2**63 - 1


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("A whole number is required.")]}) from None
    if not 0 < value <= LARGEST_ID:
        raise Http404  # No object has such an id.
    return value


def _filter(request: Request, merger: Merger) -> DashboardFilter:
    segment_id = _int_param(request, "segment")
    team_id = _int_param(request, "team")
    owner_id = _int_param(request, "owner")
    company_id = _int_param(request, "company")
    direction = request.query_params.get("direction") or None
    if direction is not None and direction not in Direction.values:
        raise ValidationError({"direction": [_("Choose a_to_b, b_to_a or within.")]})
    if segment_id and not merger.segments.filter(pk=segment_id).exists():
        raise Http404
    if company_id and not merger.companies.filter(pk=company_id).exists():
        raise Http404
    reach = dashboard_reach(user=request.user, merger_id=merger.pk)
    if team_id:
        if not Team.objects.filter(merger=merger, pk=team_id).exists():
            raise Http404
        if not reach.team(team_id):
            raise PermissionDenied
    if owner_id:
        if not Rep.objects.filter(merger=merger, pk=owner_id).exists():
            raise Http404
        if not reach.rep(owner_id):
            raise PermissionDenied
    return DashboardFilter(
        month=month_param(request, merger=merger),
        segment_id=segment_id,
        team_id=team_id,
        direction=direction,
        company_id=company_id,
        owner_id=owner_id,
    )


def dashboard_body(merger: Merger, dashboard: Dashboard) -> dict:
    return {
        "merger": merger.pk,
        "month": dashboard.month,
        "source": dashboard.source,
        "frozen_at": dashboard.frozen_at,
        "currency": dashboard.currency,
        "missing": dashboard.missing,
        "tiles": dashboard.tiles,
        "impact": dashboard.impact,
        "funnel": dashboard.funnel,
        "segment_direction": dashboard.segment_direction,
        "attainment_teams": dashboard.attainment_teams,
        "attainment_reps": dashboard.attainment_reps,
        "six_c": {**dashboard.six_c, "cs": list(SixC.values)},
        "overlap": dashboard.overlap,
        "wins": dashboard.wins,
    }


def _id_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, description=description)


@extend_schema(tags=["dashboards"])
class DashboardViewSet(ProgramReportViewSet):
    """A month's dashboard: KPI tiles with last month's figures, realized synergy against
    target with the forecast band, pipeline by stage and by segment and direction, quota
    attainment by team and rep, the six-C scores, customer overlap over time and the wins."""

    access_resource = "dashboard"
    queryset = MonthlySnapshot.objects.none()
    serializer_class = DashboardSerializer
    schema = OneObjectSchema()

    @extend_schema(
        parameters=[
            MERGER_PARAM,
            MONTH_PARAM,
            SEGMENT_PARAM,
            _id_param("team", gettext_lazy("team id: the team and the teams below it")),
            _id_param("owner", gettext_lazy("rep id: one rep's dashboard")),
            _id_param("company", gettext_lazy("legacy company id: its products only")),
            OpenApiParameter(
                "direction",
                OpenApiTypes.STR,
                enum=Direction.values,
                description=gettext_lazy("direction of the cross-sell"),
            ),
        ],
        responses=DashboardSerializer,
    )
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        dashboard = dashboard_within_reach(
            program_dashboard_cached(merger=merger, where=_filter(request, merger)),
            attainment_reach(user=request.user, merger=merger),
        )
        return Response(DashboardSerializer(dashboard_body(merger, dashboard)).data)
