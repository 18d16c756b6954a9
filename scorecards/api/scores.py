"""Six-C endpoints: scores, indicators, composites, assessments and the program scorecard.

Reads never write. /six-c/ answers any month as the scorecard page shows it:
frozen, stored after the latest data change, or scored on the fly. The score,
indicator and segment-score lists hold the stored rows only: frozen months,
and open months as the recompute task last stored them. Assessments are created
by sales leaders and executives; a frozen month refuses them with 409.
"""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.filters import IdFilter, ProgramFilter
from accounts.models import Merger
from core.api.base import MERGER_PARAM, ProgramReportViewSet, ProgramScopedMixin, program_of
from core.api.errors import Conflict, ErrorSerializer, ServiceErrorsMixin
from core.api.schema import ProgramApiSchema
from scorecards.api.score_serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    CScoreSerializer,
    IndicatorValueSerializer,
    ProgramScorecardSerializer,
    SegmentScoreSerializer,
    SixCSerializer,
)
from scorecards.models import Assessment, CScore, IndicatorValue, SegmentScore, SixC
from scorecards.scoring import CResult, IndicatorResult
from scorecards.selectors.program import program_month_problem, program_scorecard
from scorecards.selectors.scores import MonthScores, segment_scores_for
from scorecards.services.scores import assessment_create, month_is_frozen

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class OneObjectSchema(ProgramApiSchema):
    """For a `list` route that answers one summary object, not a list of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class MonthFormField(forms.DateField):
    input_formats = MONTH_FORMATS


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(filters.Filter):
    """A month as YYYY-MM (a full date is read as its month)."""

    field_class = MonthFormField

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{self.field_name: value.replace(day=1)})


class _SegmentMonthFilter(ProgramFilter):
    """A program's segment-month rows: every scorecard list filters by these three."""

    segment = IdFilter(field_name="segment", label=gettext_lazy("segment id"))
    month = MonthFilter(field_name="month", label=gettext_lazy("month, YYYY-MM"))


class CScoreFilter(_SegmentMonthFilter):
    class Meta:
        model = CScore
        fields = ["merger", "segment", "month", "c", "frozen"]


class IndicatorValueFilter(_SegmentMonthFilter):
    class Meta:
        model = IndicatorValue
        fields = ["merger", "segment", "month", "c", "code"]


class SegmentScoreFilter(_SegmentMonthFilter):
    class Meta:
        model = SegmentScore
        fields = ["merger", "segment", "month", "frozen"]


class AssessmentFilter(_SegmentMonthFilter):
    class Meta:
        model = Assessment
        fields = ["merger", "segment", "month", "c", "mode"]


# The stored rows of the scores, read only. A comment, not a docstring: the schema would
# describe every list with it.
class _StoredScoresViewSet(ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    access_resource = "scorecard"
    search_fields: list[str] = []


@extend_schema(tags=["scorecards"])
class CScoreViewSet(_StoredScoresViewSet):
    """The score of each C per segment and month: computed, final, and its one-line explanation."""

    queryset = CScore.objects.select_related("segment")
    serializer_class = CScoreSerializer
    filterset_class = CScoreFilter
    ordering_fields = ["month", "score", "computed"]
    ordering = ["-month", "segment__name", "id"]


@extend_schema(tags=["scorecards"])
class IndicatorValueViewSet(_StoredScoresViewSet):
    """The measured indicators behind each C: value, unit, thresholds, score and source."""

    queryset = IndicatorValue.objects.all()
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    ordering_fields = ["month", "code", "score"]
    ordering = ["-month", "segment_id", "c", "code", "id"]


@extend_schema(tags=["scorecards"])
class SegmentScoreViewSet(_StoredScoresViewSet):
    """The weighted composite of the six Cs per segment and month, and how many are strong."""

    queryset = SegmentScore.objects.select_related("segment")
    serializer_class = SegmentScoreSerializer
    filterset_class = SegmentScoreFilter
    ordering_fields = ["month", "composite", "strong_count"]
    ordering = ["-month", "segment__name", "id"]


@extend_schema(tags=["scorecards"])
class AssessmentViewSet(
    ServiceErrorsMixin,
    ProgramScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Leaders' judgements on the six Cs; every one is kept and the newest of a month applies."""

    access_resource = "assessment"
    queryset = Assessment.objects.select_related("author")
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at", "month"]
    ordering = ["-created_at", "-id"]

    @extend_schema(
        request=AssessmentCreateSerializer,
        responses={
            201: AssessmentSerializer,
            409: OpenApiResponse(ErrorSerializer, gettext_lazy("The month is frozen.")),
        },
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Sales leaders and executives; the segment's scores are recomputed with it."""
        data = self.valid_input(AssessmentCreateSerializer)
        segment, month = data["segment"], data["month"]
        if month_is_frozen(merger_id=segment.merger_id, month=month):
            raise Conflict(
                _("The scores of %(month)s are frozen; assess an open month.")
                % {"month": f"{month:%Y-%m}"}
            )
        assessment = assessment_create(
            actor=request.user,
            segment=segment,
            month=month,
            c=data["c"],
            mode=data["mode"],
            score=data["score"],
            evidence=data["evidence"],
        )
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


def month_param(request: Request, *, merger: Merger) -> date:
    """?month=YYYY-MM from the program's Day 1 to this month; this month when left out."""
    raw = request.query_params.get("month")
    if not raw:
        return timezone.localdate().replace(day=1)
    field = MonthFormField()
    try:
        month = field.clean(raw).replace(day=1)
    except forms.ValidationError:
        raise ValidationError({"month": [_("Give the month as YYYY-MM.")]}) from None
    if problem := program_month_problem(merger=merger, month=month):
        raise ValidationError({"month": [problem]})
    return month


MONTH_PARAM = OpenApiParameter(
    "month",
    OpenApiTypes.STR,
    description=gettext_lazy("YYYY-MM; the current month when left out."),
)


@extend_schema(tags=["scorecards"])
class ProgramScorecardViewSet(ProgramReportViewSet):
    """Cross-sell target to date against realized and the forecast band, with the gap,
    the time since Day 1 against the horizon, by segment and by direction."""

    access_resource = "scorecard"
    queryset = SegmentScore.objects.none()
    serializer_class = ProgramScorecardSerializer
    schema = OneObjectSchema()

    @extend_schema(parameters=[MERGER_PARAM, MONTH_PARAM], responses=ProgramScorecardSerializer)
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        scorecard = program_scorecard(merger=merger, month=month_param(request, merger=merger))
        body = {
            "merger": merger.pk,
            "month": scorecard.month,
            "months_since_day_one": scorecard.months_since_day_one,
            "horizon_months": scorecard.horizon_months,
            "horizon_elapsed_pct": scorecard.horizon_elapsed_pct,
            "total_target": scorecard.total_target,
            "research_average_gap_pct": scorecard.research_average_gap_pct,
            "program": scorecard.program,
            "by_segment": scorecard.by_segment,
            "by_direction": scorecard.by_direction,
        }
        return Response(ProgramScorecardSerializer(body).data)


@extend_schema(tags=["scorecards"])
class SixCViewSet(ProgramReportViewSet):
    """Every segment's six Cs for a month as the scorecard page shows them: each C's score or
    "not scored" with the data that would score it, its weakest indicator beside the mean,
    and every indicator (program-wide ones marked). Reading it never stores anything."""

    access_resource = "scorecard"
    queryset = SegmentScore.objects.none()
    serializer_class = SixCSerializer
    schema = OneObjectSchema()

    @extend_schema(parameters=[MERGER_PARAM, MONTH_PARAM], responses=SixCSerializer)
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        scores = segment_scores_for(merger=merger, month=month_param(request, merger=merger))
        return Response(SixCSerializer(_six_c_body(merger, scores)).data)


def _six_c_body(merger: Merger, scores: MonthScores) -> dict:
    labels = dict(SixC.choices)
    segments = []
    for segment_id, name in merger.segments.order_by("name").values_list("id", "name"):
        result = scores.of(segment_id)
        segments.append(
            {
                "segment": segment_id,
                "segment_name": name,
                "composite": result.composite if result else None,
                "scored_count": result.scored_count if result else 0,
                "strong_count": result.strong_count if result else 0,
                "cs": [_c_body(c, str(labels[c.c])) for c in (result.cs if result else ())],
            }
        )
    return {
        "merger": merger.pk,
        "month": scores.month,
        "source": scores.source,
        "computed_at": scores.computed_at,
        "segments": segments,
    }


def _c_body(result: CResult, label: str) -> dict:
    weakest = result.weakest
    return {
        "c": result.c,
        "c_label": label,
        "scored": result.scored,
        "score": result.score,
        "computed": result.computed,
        "explanation": result.explanation,
        "weakest": _indicator_body(weakest) if weakest else None,
        "missing_data": result.missing_data,
        "indicators": [_indicator_body(indicator) for indicator in result.indicators],
    }


def _indicator_body(indicator: IndicatorResult) -> dict:
    return {
        "code": indicator.code,
        "label": indicator.label,
        "value": indicator.value,
        "unit": indicator.unit,
        "threshold": indicator.threshold,
        "score": indicator.score,
        "measured": indicator.measured,
        "needs": indicator.needs,
        "program_wide": indicator.program_wide,
        "source": indicator.source,
    }
