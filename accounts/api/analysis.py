"""Endpoints of the mapping analysis: overlap, product map, whitespace and the risk screen.

Reads that summarise a program take `merger` (its id) as a query parameter; a
program the user is not a member of answers 404, like any object of it.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.analysis_serializers import (
    AccountScreenSerializer,
    MappedPairEvidenceSerializer,
    OverlapAccountSerializer,
    OverlapSerializer,
    PrefillSerializer,
    ProductMappingSerializer,
    SuggestionSerializer,
    WhitespaceCellSerializer,
    WhitespaceTotalSerializer,
)
from accounts.api.filters import IdFilter, ProgramFilter, SegmentIdFilter
from accounts.api.viewsets import ProgramModelViewSet
from accounts.models import Merger, ProductMapping, Segment, UnifiedAccount, WhitespaceCell
from accounts.selectors.overlap import overlap_accounts, overlap_by_segment, overlap_counts
from accounts.selectors.product_map import product_map_suggestions, product_map_with_evidence
from accounts.selectors.risk import account_screen
from accounts.selectors.whitespace import whitespace_cell_prefill, whitespace_totals
from accounts.services.product_map import product_mapping_delete
from core.api.base import MERGER_PARAM, ProgramScopedMixin, int_param, program_of

SEGMENT_PARAM = OpenApiParameter(
    "segment", OpenApiTypes.INT, description=gettext_lazy("segment id")
)


def segment_of(request: Request, merger: Merger) -> Segment | None:
    segment_id = int_param(request, "segment", required=False)
    if segment_id is None:
        return None
    return get_object_or_404(Segment, pk=segment_id, merger=merger)


@extend_schema(tags=["analysis"])
class OverlapViewSet(ProgramScopedMixin, viewsets.GenericViewSet):
    """How the two customer bases overlap: counts by customer status, and the accounts."""

    access_resource = "account"
    queryset = UnifiedAccount.objects.all()
    serializer_class = OverlapAccountSerializer
    filter_backends: list = []

    @extend_schema(parameters=[MERGER_PARAM, SEGMENT_PARAM], responses=OverlapSerializer)
    def list(self, request: Request) -> Response:
        merger = program_of(request)
        counts = overlap_counts(merger=merger, segment=segment_of(request, merger))
        data = {
            "merger": merger.pk,
            "counts": counts,
            "total": sum(counts.values()),
            "by_segment": overlap_by_segment(merger=merger),
        }
        return Response(OverlapSerializer(data).data)

    @extend_schema(
        parameters=[
            MERGER_PARAM,
            SEGMENT_PARAM,
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                required=True,
                enum=UnifiedAccount.Status.values,
                description=gettext_lazy("customer status"),
            ),
        ],
        responses=OverlapAccountSerializer(many=True),
    )
    @action(detail=False)
    def accounts(self, request: Request) -> Response:
        """The accounts behind one count, a page at a time."""
        merger = program_of(request)
        status = request.query_params.get("status", "")
        if status not in UnifiedAccount.Status.values:
            raise ValidationError({"status": [_("Choose one of the customer statuses.")]})
        accounts = overlap_accounts(
            merger=merger, status=status, segment=segment_of(request, merger)
        )
        page = self.paginate_queryset(accounts)
        return self.get_paginated_response(OverlapAccountSerializer(page, many=True).data)


class ProductMappingFilter(ProgramFilter):
    source = IdFilter(field_name="source", label=gettext_lazy("source product id"))
    target = IdFilter(field_name="target", label=gettext_lazy("target product id"))

    class Meta:
        model = ProductMapping
        fields = ["merger", "source", "target", "relation", "validated_with_customers"]


@extend_schema(tags=["analysis"])
class ProductMappingViewSet(ProgramModelViewSet):
    """The product map: directed pairs "owners of source are candidates for target".

    Every change recomputes the program's whitespace in the background.
    """

    access_resource = "product_map"
    queryset = ProductMapping.objects.select_related("source", "target")
    serializer_class = ProductMappingSerializer
    filterset_class = ProductMappingFilter
    search_fields = ["reason", "source__name", "target__name"]
    ordering_fields = ["created_at", "updated_at", "relation"]
    ordering = ["id"]

    def perform_destroy(self, instance: ProductMapping) -> None:
        product_mapping_delete(actor=self.request.user, mapping=instance)

    @extend_schema(
        parameters=[MERGER_PARAM],
        responses=MappedPairEvidenceSerializer(many=True),
        filters=False,
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def evidence(self, request: Request) -> Response:
        """Each mapped pair with its affinity in the install base and a no-evidence flag."""
        pairs = product_map_with_evidence(merger=program_of(request))
        return Response(MappedPairEvidenceSerializer(pairs, many=True).data)

    @extend_schema(
        parameters=[MERGER_PARAM], responses=SuggestionSerializer(many=True), filters=False
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def suggestions(self, request: Request) -> Response:
        """Pairs across the companies that customers buy together but the map lacks."""
        found = product_map_suggestions(merger=program_of(request))
        return Response(SuggestionSerializer(found, many=True).data)


class WhitespaceFilter(ProgramFilter):
    segment = SegmentIdFilter(field_name="segment")
    account = IdFilter(field_name="account", label=gettext_lazy("account id"))
    product = IdFilter(field_name="product", label=gettext_lazy("product id"))

    class Meta:
        model = WhitespaceCell
        fields = ["merger", "segment", "account", "product", "direction", "kind", "value_basis"]


@extend_schema(tags=["analysis"])
class WhitespaceViewSet(ProgramScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Cross-sell candidates: accounts that own a mapped product but lack its partner."""

    access_resource = "whitespace"
    queryset = WhitespaceCell.objects.select_related("account", "product", "via")
    serializer_class = WhitespaceCellSerializer
    filterset_class = WhitespaceFilter
    search_fields = ["account__name", "product__name"]
    ordering_fields = ["potential_value", "account__name", "product__name"]
    ordering = ["-potential_value", "id"]

    @extend_schema(
        parameters=[MERGER_PARAM], responses=WhitespaceTotalSerializer(many=True), filters=False
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def totals(self, request: Request) -> Response:
        """Candidates and potential value per segment and direction."""
        rows = whitespace_totals(merger=program_of(request))
        return Response(WhitespaceTotalSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            MERGER_PARAM,
            OpenApiParameter("account", OpenApiTypes.INT, required=True),
            OpenApiParameter("product", OpenApiTypes.INT, required=True),
        ],
        responses=PrefillSerializer,
        filters=False,
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def prefill(self, request: Request) -> Response:
        """What a new opportunity opened from this candidate starts with."""
        merger = program_of(request)
        try:
            data = whitespace_cell_prefill(
                merger=merger,
                account_id=int_param(request, "account"),
                product_id=int_param(request, "product"),
            )
        except WhitespaceCell.DoesNotExist:
            raise Http404 from None
        return Response(PrefillSerializer(data).data)


@extend_schema(tags=["analysis"])
class RiskViewSet(ProgramScopedMixin, viewsets.GenericViewSet):
    """The connection and risk screen of one unified account (by account id)."""

    access_resource = "risk"
    queryset = UnifiedAccount.objects.all()
    serializer_class = AccountScreenSerializer
    filter_backends: list = []

    @extend_schema(responses=AccountScreenSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        account = self.get_object()
        screen = account_screen(account=account)
        return Response(AccountScreenSerializer(screen, context={"account_id": account.pk}).data)
