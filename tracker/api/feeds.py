"""Read-only program feeds: the wins feed and the supervision flags.

Both take `merger` (a program id) as a query parameter; a program the user is
not a member of answers 404, like any of its objects.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import MERGER_PARAM, ProgramReportViewSet, program_of
from core.dates import date_plausible
from tracker.api.serializers import RepFlagsSerializer, WinSerializer
from tracker.models import Opportunity
from tracker.selectors.pipeline import pipeline_scope
from tracker.selectors.supervision_overview import supervision_overview
from tracker.selectors.wins import wins_between

WINS_DEFAULT, WINS_MAX = 20, 200


def _date_param(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
        if not date_plausible(day):
            raise ValueError(raw)
        return day
    except ValueError:
        raise ValidationError({name: [_("A date is written YYYY-MM-DD.")]}) from None


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit") or str(WINS_DEFAULT)
    if not raw.isdecimal() or not 1 <= int(raw) <= WINS_MAX:
        raise ValidationError(
            {"limit": [_("A whole number from 1 to %(max)d.") % {"max": WINS_MAX}]}
        )
    return int(raw)


@extend_schema(tags=["pipeline"])
class WinViewSet(ProgramReportViewSet):
    """Recent won cross-sell deals: rep, team, account, product, amount and the need.

    A win of a closed month is as it stood at the month's end, as the wins page and the
    board pack show it, and says when the month was frozen (frozen_at); a win of an open
    month is today's deal (frozen_at null). A range over both answers with both.
    """

    access_resource = "opportunity"
    queryset = Opportunity.objects.none()
    serializer_class = WinSerializer

    @extend_schema(
        parameters=[
            MERGER_PARAM,
            OpenApiParameter(
                "closed_from", OpenApiTypes.DATE, description=gettext_lazy("won on or after")
            ),
            OpenApiParameter(
                "closed_to", OpenApiTypes.DATE, description=gettext_lazy("won on or before")
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=gettext_lazy("how many, newest first (1 to 200, default 20)"),
            ),
        ],
        responses=WinSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        wins = wins_between(
            merger=merger,
            limit=_limit(request),
            closed_from=_date_param(request, "closed_from"),
            closed_to=_date_param(request, "closed_to"),
        )
        return Response(WinSerializer(wins, many=True).data)


@extend_schema(tags=["pipeline"])
class SupervisionViewSet(ProgramReportViewSet):
    """Misconduct flags per rep: a leader's team, or every rep for executives and ops."""

    access_resource = "supervision"
    queryset = Opportunity.objects.none()
    serializer_class = RepFlagsSerializer

    @extend_schema(parameters=[MERGER_PARAM], responses=RepFlagsSerializer(many=True))
    def list(self, request: Request) -> Response:
        """Flagged reps, most flags first; each flag lists the opportunity ids behind it."""
        merger = program_of(request)
        scope = pipeline_scope(user=request.user, merger=merger)
        overview = supervision_overview(merger=merger, owner_ids=scope.owner_ids)
        return Response(RepFlagsSerializer(overview.reps, many=True).data)
