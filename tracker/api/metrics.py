"""Pipeline metrics by slice, and the frozen month-end snapshots."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.filters import ProgramFilter
from accounts.models import Kind, Merger
from core.api.base import MERGER_PARAM, ProgramReportViewSet, ProgramScopedMixin, program_of
from tracker.models import MonthlySnapshot, Opportunity, SnapshotLine
from tracker.quota_math import MONTH, PeriodError, parse_period
from tracker.selectors.frozen_quotas import month_frozen_at
from tracker.selectors.metrics import Dimension
from tracker.selectors.pipeline_metrics import (
    FROZEN_FIGURES,
    figures_frozen_for,
    pipeline_metrics,
)
from tracker.selectors.reach import NOTHING, Reach, attainment_reach

BY_CHOICES = [
    Dimension.REP,
    Dimension.TEAM,
    Dimension.SEGMENT,
    Dimension.DIRECTION,
    Dimension.MONTH,
    Dimension.PROGRAM,
]
KIND_CHOICES = {
    "all": (Kind.CROSS_SELL, Kind.UPSELL),
    Kind.CROSS_SELL: (Kind.CROSS_SELL,),
    Kind.UPSELL: (Kind.UPSELL,),
}


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


def _ratio(help_text: str, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, help_text=help_text, **kwargs
    )


class MetricsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=gettext_lazy("Id or code within the slice."))
    label = serializers.CharField()
    open_count = serializers.IntegerField(source="figures.open_count")
    open_amount = _money(source="figures.open_amount")
    weighted_amount = _money(source="figures.weighted_amount")
    won_count = serializers.IntegerField(source="figures.won_count")
    won_amount = _money(source="figures.won_amount")
    lost_count = serializers.IntegerField(source="figures.lost_count")
    win_rate = _ratio(gettext_lazy("Won over won and lost, 0-1."), source="figures.win_rate")
    average_deal = _money(source="figures.average_deal", allow_null=True)
    cycle_days = serializers.DecimalField(
        source="figures.cycle_days", max_digits=8, decimal_places=1, allow_null=True
    )
    velocity = _money(
        source="figures.velocity",
        allow_null=True,
        help_text=gettext_lazy("Expected won value per day."),
    )
    stale_count = serializers.IntegerField(source="figures.stale_count")
    cross_sell_quota = _money(allow_null=True)
    coverage = _ratio(
        gettext_lazy(
            "Open cross-company pipeline due to close in the rest of the month, over the "
            "month's cross-sell quota still to win"
        )
    )
    attainment = _ratio(gettext_lazy("Credited cross-sell won over the cross-sell quota."))


class PipelineMetricsSerializer(serializers.Serializer):
    merger = serializers.IntegerField()
    by = serializers.CharField()
    month = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    # A closed month's quota, coverage and attainment are its snapshot's (frozen then).
    quotas_frozen_at = serializers.DateTimeField(allow_null=True)
    # And its won and lost figures, for both kinds together (the snapshot's lines).
    wins_frozen_at = serializers.DateTimeField(allow_null=True)
    frozen_figures = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy(
            "The row figures taken from the closed month's snapshot, for both kinds "
            "together: its open pipeline at the month's end and its wins and losses. The "
            "others are today's. Empty for an open month and for one kind."
        ),
    )
    rows = MetricsRowSerializer(many=True)


@extend_schema(tags=["pipeline"])
class PipelineMetricsViewSet(ProgramReportViewSet):
    """Open, weighted, won, win rate, average deal, cycle, velocity and stale deals by
    rep, team, segment, direction or month; coverage and attainment where a quota applies."""

    access_resource = "opportunity"
    queryset = Opportunity.objects.all()
    serializer_class = PipelineMetricsSerializer

    @extend_schema(
        parameters=[
            MERGER_PARAM,
            OpenApiParameter(
                "by",
                OpenApiTypes.STR,
                enum=[str(choice) for choice in BY_CHOICES],
                description=gettext_lazy("The slice; team rows include the teams below."),
            ),
            OpenApiParameter(
                "month",
                OpenApiTypes.STR,
                description=gettext_lazy(
                    "YYYY-MM: wins and losses closed in it, and its quota; all time without."
                ),
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=list(KIND_CHOICES),
                description=gettext_lazy("cross_sell, upsell or all (the default)."),
            ),
        ],
        responses=PipelineMetricsSerializer,
    )
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        by = request.query_params.get("by", Dimension.PROGRAM)
        if by not in BY_CHOICES:
            raise ValidationError({"by": [_("Choose rep, team, segment, direction or month.")]})
        kind = request.query_params.get("kind", "all")
        if kind not in KIND_CHOICES:
            raise ValidationError({"kind": [_("Choose cross_sell, upsell or all.")]})
        month = _month(request.query_params.get("month"))
        kinds = KIND_CHOICES[kind]
        rows = pipeline_metrics(merger=merger, by=Dimension(by), month=month, kinds=kinds)
        rows = _within_reach(rows, by=by, reach=attainment_reach(user=request.user, merger=merger))
        frozen_at = month_frozen_at(merger=merger, month=month)
        frozen = frozen_at is not None and figures_frozen_for(month=month, kinds=kinds)
        body = {
            "merger": merger.pk,
            "by": by,
            "month": f"{month:%Y-%m}" if month else None,
            "kind": kind,
            "quotas_frozen_at": frozen_at,
            "wins_frozen_at": frozen_at if frozen else None,
            "frozen_figures": FROZEN_FIGURES if frozen else (),
            "rows": rows,
        }
        return Response(PipelineMetricsSerializer(body).data)


def _within_reach(rows: list, *, by: str, reach: Reach) -> list:
    """Rep and team rows carry attainment: only those the hierarchy shows the user."""
    if reach.everything:
        return rows
    if by == Dimension.REP:
        return [row for row in rows if row.key.isdecimal() and reach.rep(int(row.key))]
    if by == Dimension.TEAM:
        return [row for row in rows if row.key.isdecimal() and reach.team(int(row.key))]
    return rows


def _visible_lines(lines: QuerySet[SnapshotLine], reach: Reach) -> QuerySet[SnapshotLine]:
    if reach.everything:
        return lines
    Scope = SnapshotLine.Scope
    return lines.exclude(
        Q(scope=Scope.REP) & ~Q(key__in=[str(pk) for pk in reach.rep_ids or ()])
        | Q(scope=Scope.TEAM) & ~Q(key__in=[str(pk) for pk in reach.team_ids or ()])
    )


def _month(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        period = parse_period(raw)
    except PeriodError as error:
        raise ValidationError({"month": [error.message]}) from None
    if period.kind != MONTH:
        raise ValidationError({"month": [_("Give a month as YYYY-MM.")]})
    return period.start


class SnapshotLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SnapshotLine
        exclude = ["snapshot"]


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlySnapshot
        fields = ["id", "merger", "month", "frozen_at", "as_of"]


class SnapshotDetailSerializer(SnapshotSerializer):
    lines = SnapshotLineSerializer(many=True, read_only=True)

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "lines"]


class SnapshotFilter(ProgramFilter):
    month = filters.DateFromToRangeFilter()

    class Meta:
        model = MonthlySnapshot
        fields = ["merger", "month"]


@extend_schema(tags=["pipeline"])
class SnapshotViewSet(ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Month-end figures, frozen once: program, teams, reps, segments and directions."""

    access_resource = "dashboard"
    queryset = MonthlySnapshot.objects.all()
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    ordering_fields = ["month"]
    ordering = ["-month", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            # One snapshot's merger: the user's reach in it decides its rep and team lines.
            pk = str(self.kwargs.get("pk", ""))
            merger = Merger.objects.filter(snapshots__pk=pk).first() if pk.isdecimal() else None
            reach = attainment_reach(user=self.request.user, merger=merger) if merger else NOTHING
            lines = _visible_lines(SnapshotLine.objects.all(), reach)
            return queryset.prefetch_related(Prefetch("lines", queryset=lines))
        return queryset

    def get_serializer_class(self):
        return SnapshotDetailSerializer if self.action == "retrieve" else SnapshotSerializer
