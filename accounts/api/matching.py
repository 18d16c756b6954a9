"""Match candidates over the API: the review queue, one pair, confirm and reject.

Sales ops decide; executives read. Decisions go through
accounts.services.matching, which records who decided and when.
"""

from typing import Any

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import MatchDecisionSerializer
from accounts.matching.scoring import reason_text
from accounts.models import MatchCandidate, SourceAccount
from accounts.services.matching import match_candidate_confirm, match_candidate_reject
from core.access import Action
from core.api.base import ProgramScopedMixin
from core.api.errors import ServiceErrorsMixin


class MatchRecordSerializer(serializers.ModelSerializer):
    company_short_name = serializers.CharField(source="company.short_name", read_only=True)

    class Meta:
        model = SourceAccount
        fields = [
            "id",
            "company",
            "company_short_name",
            "crm_id",
            "name",
            "website",
            "domain",
            "duns",
            "vat",
            "lei",
            "country",
            "city",
            "unified",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    points = serializers.FloatField()
    text = serializers.CharField(help_text=gettext_lazy("In the reader's language."))


class MatchCandidateSerializer(serializers.ModelSerializer):
    # Plain text in the schema: "status" enums of other components already take the name.
    status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("auto, pending, confirmed or rejected")
    )
    left = MatchRecordSerializer(read_only=True)
    right = MatchRecordSerializer(read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = MatchCandidate
        fields = ["id", "merger", "status", "score", "left", "right", "reasons", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, candidate: MatchCandidate) -> list[dict[str, Any]]:
        return [
            {"code": r.get("code", ""), "points": r.get("points", 0), "text": reason_text(r)}
            for r in candidate.reasons
        ]


class DecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MatchCandidateFilter(filters.FilterSet):
    merger = filters.NumberFilter(field_name="merger_id")
    status = filters.ChoiceFilter(choices=MatchCandidate.Status.choices)
    min_score = filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = MatchCandidate
        fields = ["merger", "status", "min_score"]


@extend_schema(tags=["matching"])
class MatchCandidateViewSet(ServiceErrorsMixin, ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Pairs of CRM records that may be one customer; best first."""

    access_resource = "match"
    access_actions = {"confirm": Action.CHANGE, "reject": Action.CHANGE}
    queryset = MatchCandidate.objects.select_related("left__company", "right__company").order_by(
        "-score", "id"
    )
    serializer_class = MatchCandidateSerializer
    filterset_class = MatchCandidateFilter

    def _decide(self, request: Request, decide: Any) -> Response:
        candidate = self.get_object()
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data["note"]
        decision = decide(candidate=candidate, actor=request.user, note=note)
        return Response(MatchDecisionSerializer(decision).data)

    @extend_schema(request=DecisionInputSerializer, responses=MatchDecisionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The two records are one customer: the right one joins the left one's account."""
        return self._decide(request, match_candidate_confirm)

    @extend_schema(request=DecisionInputSerializer, responses=MatchDecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Different customers: the pair is never proposed again."""
        return self._decide(request, match_candidate_reject)
