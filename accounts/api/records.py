"""Endpoints of what the CRM imports bring and matching decides.

CRM records and the install base are read here (imports write them); the
match decisions are listed, and two unified accounts merged or a record split
off its account through accounts.services.matching, which records each
decision with who and when. The risk policy is read and set per program.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import MatchDecisionSerializer
from accounts.api.viewsets import ProgramPolicyViewSet
from accounts.models import (
    Holding,
    MatchDecision,
    RiskPolicy,
    SourceAccount,
    UnifiedAccount,
)
from accounts.selectors.risk import risk_policy_for
from accounts.services.matching import source_account_split, unified_accounts_merge
from accounts.services.risk_policy import POLICY_FIELDS, risk_policy_update
from core.access import Action
from core.api.base import ProgramScopedMixin
from core.api.errors import ServiceErrorsMixin
from core.api.fields import ProgramRelatedField


class SourceAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceAccount
        exclude = ["normalized_name"]
        read_only_fields = [field.name for field in SourceAccount._meta.concrete_fields]


class SourceAccountFilter(filters.FilterSet):
    merger = filters.NumberFilter(field_name="company__merger_id")
    company = filters.NumberFilter(field_name="company_id")
    unified = filters.NumberFilter(field_name="unified_id")

    class Meta:
        model = SourceAccount
        fields = ["merger", "company", "unified"]


@extend_schema(tags=["accounts"])
class SourceAccountViewSet(ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The legacy CRM records as imported, each with the unified account it was matched to."""

    access_resource = "account"
    merger_lookup = "company__merger"
    queryset = SourceAccount.objects.order_by("company_id", "name", "id")
    serializer_class = SourceAccountSerializer
    filterset_class = SourceAccountFilter
    search_fields = ["name", "crm_id", "domain"]


class HoldingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Holding
        fields = ["id", "account", "product", "annual_revenue", "since", "crm_id", "origin"]
        read_only_fields = fields


class HoldingFilter(filters.FilterSet):
    merger = filters.NumberFilter(field_name="account__company__merger_id")
    account = filters.NumberFilter(field_name="account_id")
    unified = filters.NumberFilter(field_name="account__unified_id")
    product = filters.NumberFilter(field_name="product_id")

    class Meta:
        model = Holding
        fields = ["merger", "account", "unified", "product"]


@extend_schema(tags=["accounts"])
class HoldingViewSet(ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The install base: which CRM account owns which product, since when, for how much."""

    access_resource = "account"
    merger_lookup = "account__company__merger"
    queryset = Holding.objects.order_by("account_id", "product_id", "id")
    serializer_class = HoldingSerializer
    filterset_class = HoldingFilter


class MergeInputSerializer(serializers.Serializer):
    keep = ProgramRelatedField(queryset=UnifiedAccount.objects.all())
    absorb = ProgramRelatedField(queryset=UnifiedAccount.objects.all())
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SplitInputSerializer(serializers.Serializer):
    source = ProgramRelatedField(
        queryset=SourceAccount.objects.all(), merger_lookup="company__merger"
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MatchDecisionFilter(filters.FilterSet):
    merger = filters.NumberFilter(field_name="merger_id")
    action = filters.ChoiceFilter(choices=MatchDecision.Action.choices)
    unified = filters.NumberFilter(method="filter_unified")

    class Meta:
        model = MatchDecision
        fields = ["merger", "action", "unified"]

    def filter_unified(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Q(from_unified_id=value) | Q(to_unified_id=value))


@extend_schema(tags=["matching"])
class MatchDecisionViewSet(ServiceErrorsMixin, ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Every matching decision, newest first: confirmations, rejections, merges and splits."""

    access_resource = "match"
    access_actions = {"merge": Action.CHANGE, "split": Action.CHANGE}
    queryset = MatchDecision.objects.select_related("source").order_by("-decided_at", "-id")
    serializer_class = MatchDecisionSerializer
    filterset_class = MatchDecisionFilter

    @extend_schema(
        request=MergeInputSerializer,
        responses={201: MatchDecisionSerializer(many=True)},
        filters=False,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def merge(self, request: Request) -> Response:
        """One customer held as two accounts: `absorb` moves into `keep` and goes."""
        data = self.valid_input(MergeInputSerializer)
        decisions = unified_accounts_merge(
            keep=data["keep"], absorb=data["absorb"], actor=request.user, note=data["note"]
        )
        body = MatchDecisionSerializer(decisions, many=True).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SplitInputSerializer, responses={201: MatchDecisionSerializer}, filters=False
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def split(self, request: Request) -> Response:
        """The record is not the customer its account holds: it gets an account of its own."""
        data = self.valid_input(SplitInputSerializer)
        decision = source_account_split(
            source=data["source"], actor=request.user, note=data["note"]
        )
        return Response(MatchDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class RiskPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskPolicy
        fields = ["merger", *POLICY_FIELDS, "updated_by", "updated_at"]
        read_only_fields = ["merger", "updated_by", "updated_at"]


@extend_schema(tags=["accounts"])
class RiskPolicyViewSet(ProgramPolicyViewSet):
    """The risk screen's thresholds of a program, addressed by the program's id."""

    access_resource = "risk"
    serializer_class = RiskPolicySerializer

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """The thresholds in force (the defaults until sales ops sets them)."""
        policy = risk_policy_for(merger_id=self.get_object().pk)
        return Response(RiskPolicySerializer(policy).data)

    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        """Sets thresholds; every account is screened again once this is saved."""
        merger = self.get_object()
        data = RiskPolicySerializer(
            risk_policy_for(merger_id=merger.pk), data=request.data, partial=partial
        )
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            policy = risk_policy_update(actor=request.user, merger=merger, **data.validated_data)
        return Response(RiskPolicySerializer(policy).data)
