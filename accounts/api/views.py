"""Endpoints of program reference data: read by every role, written by sales ops."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

from accounts.api.filters import (
    CompanyFilter,
    MergerFilter,
    ProductFilter,
    SegmentFilter,
    UnifiedAccountFilter,
)
from accounts.api.serializers import (
    CompanySerializer,
    MergerSerializer,
    ProductSerializer,
    SegmentSerializer,
    UnifiedAccountDetailSerializer,
    UnifiedAccountSerializer,
)
from accounts.api.viewsets import ProgramModelViewSet
from accounts.models import LegacyCompany, Merger, Product, Segment, UnifiedAccount
from accounts.selectors.reference import unified_accounts_with_sources
from accounts.services.mergers import company_delete
from accounts.services.products import product_delete
from accounts.services.segments import segment_delete
from accounts.services.unified_accounts import unified_account_delete


@extend_schema(tags=["programs"])
class MergerViewSet(ProgramModelViewSet):
    """Programs (mergers) the user is a member of; creating one makes its creator a member."""

    access_resource = "merger"
    merger_lookup = "id"
    queryset = Merger.objects.all()
    serializer_class = MergerSerializer
    filterset_class = MergerFilter
    search_fields = ["name"]
    ordering_fields = ["name", "day_one", "created_at"]
    ordering = ["name"]


@extend_schema(tags=["programs"])
class CompanyViewSet(ProgramModelViewSet):
    """The legacy companies of each program: the acquirer and the acquired."""

    access_resource = "company"
    queryset = LegacyCompany.objects.all()
    serializer_class = CompanySerializer
    filterset_class = CompanyFilter
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "role"]
    ordering = ["merger_id", "role", "name"]

    def destroy_record(self, instance: LegacyCompany) -> None:
        company_delete(actor=self.request.user, company=instance)


@extend_schema(tags=["programs"])
class SegmentViewSet(ProgramModelViewSet):
    """Segments: the slices of accounts that scoring and planning work on."""

    access_resource = "segment"
    queryset = Segment.objects.all()
    serializer_class = SegmentSerializer
    filterset_class = SegmentFilter
    search_fields = ["name", "industry", "region", "description"]
    ordering_fields = ["name", "industry", "size_band", "region"]
    ordering = ["merger_id", "name"]

    def destroy_record(self, instance: Segment) -> None:
        segment_delete(actor=self.request.user, segment=instance)


@extend_schema_view(
    retrieve=extend_schema(
        description=gettext_lazy(
            "One unified account with its CRM records and every match decision on it."
        )
    )
)
@extend_schema(tags=["accounts"])
class UnifiedAccountViewSet(ProgramModelViewSet):
    """Unified accounts, each with the legacy CRM records it was matched from."""

    access_resource = "account"
    queryset = unified_accounts_with_sources()
    serializer_class = UnifiedAccountSerializer
    filterset_class = UnifiedAccountFilter
    search_fields = ["name", "domain", "city"]
    ordering_fields = ["name", "status", "connection_strength", "created_at", "updated_at"]
    ordering = ["name", "id"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return UnifiedAccountDetailSerializer
        return super().get_serializer_class()

    def destroy_record(self, instance: UnifiedAccount) -> None:
        unified_account_delete(actor=self.request.user, account=instance)


@extend_schema(tags=["products"])
class ProductViewSet(ProgramModelViewSet):
    """The legacy companies' products; `merger` is the owning company's program."""

    access_resource = "product"
    merger_lookup = "company__merger"
    queryset = Product.objects.select_related("company", "family")
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ["code", "name", "family__name"]
    ordering_fields = ["code", "name", "list_price", "typical_deal_size"]
    ordering = ["company_id", "name", "id"]

    def destroy_record(self, instance: Product) -> None:
        product_delete(actor=self.request.user, product=instance)
