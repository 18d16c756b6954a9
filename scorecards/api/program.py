"""Endpoints of the program's scoring: the monthly reviews and the scoring policy."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.fields import ProgramUserField
from accounts.api.viewsets import ProgramPolicyViewSet, ServiceWrittenViewSet
from accounts.models import Merger
from core.api.fields import ProgramRelatedField
from scorecards.models import ProgramReview, ScoringPolicy
from scorecards.services.policy import scoring_policy_update
from scorecards.services.reviews import (
    REVIEW_FIELDS,
    program_review_create,
    program_review_delete,
    program_review_update,
)


class ProgramReviewSerializer(serializers.ModelSerializer):
    merger = ProgramRelatedField(queryset=Merger.objects.all(), merger_lookup="id")
    chaired_by = ProgramUserField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)

    class Meta:
        model = ProgramReview
        fields = ["id", "merger", "held_on", "chaired_by", "notes"]


class ProgramReviewFilter(filters.FilterSet):
    merger = filters.NumberFilter(field_name="merger_id")
    held_from = filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_to = filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = ProgramReview
        fields = ["merger", "held_from", "held_to"]


@extend_schema(tags=["scorecards"])
class ProgramReviewViewSet(ServiceWrittenViewSet):
    """The monthly cross-sell reviews held by senior leadership: a Commitment signal."""

    access_resource = "review"
    queryset = ProgramReview.objects.all()
    serializer_class = ProgramReviewSerializer
    filterset_class = ProgramReviewFilter
    ordering_fields = ["held_on"]
    ordering = ["-held_on", "-id"]

    create_service = staticmethod(program_review_create)
    update_service = staticmethod(program_review_update)
    delete_service = staticmethod(program_review_delete)
    update_fields = REVIEW_FIELDS
    record_keyword = "review"


class ScoringPolicySerializer(serializers.ModelSerializer):
    weights = serializers.DictField(
        child=serializers.FloatField(),
        help_text=gettext_lazy("A weight from 0 to 100 for each of the six Cs."),
    )
    thresholds = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4),
        help_text=gettext_lazy(
            "By indicator code: the four values at which it scores 2, 3, 4 and 5."
        ),
    )

    class Meta:
        model = ScoringPolicy
        fields = ["merger", "weights", "thresholds", "strong_from"]
        read_only_fields = ["merger"]


@extend_schema(tags=["scorecards"])
class ScoringPolicyViewSet(ProgramPolicyViewSet):
    """How a program's six Cs are weighted and scored, addressed by the program's id."""

    access_resource = "scoring_policy"
    serializer_class = ScoringPolicySerializer

    def _policy(self) -> ScoringPolicy:
        merger = self.get_object()
        return ScoringPolicy.objects.filter(merger=merger).first() or ScoringPolicy(merger=merger)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """The policy in force (the defaults until it is set)."""
        return Response(ScoringPolicySerializer(self._policy()).data)

    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        """Sets the policy; the open month's scores are recomputed once it is saved."""
        policy = self._policy()
        data = ScoringPolicySerializer(policy, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        saved = scoring_policy_update(
            actor=request.user, merger=policy.merger, **data.validated_data
        )
        return Response(ScoringPolicySerializer(saved).data)
