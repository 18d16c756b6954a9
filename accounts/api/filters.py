"""Query-string filters of the reference-data endpoints.

Related objects are filtered by id with IdFilter, not ModelChoiceFilter:
the latter looks the id up among all programs, which costs a query and tells
an outsider that another program's object exists.
"""

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import LegacyCompany, Merger, Product, Segment, SourceAccount, UnifiedAccount

# Ids are 64-bit: a larger number must be refused, not handed to the database.
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """The id of a related object."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", -MAX_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ProgramFilter(filters.FilterSet):
    merger = IdFilter(field_name="merger", label=_("program id"))


class MergerFilter(filters.FilterSet):
    day_one = filters.DateFromToRangeFilter()

    class Meta:
        model = Merger
        fields = ["reporting_currency"]


class CompanyFilter(ProgramFilter):
    class Meta:
        model = LegacyCompany
        fields = ["merger", "role", "crm"]


class SegmentFilter(ProgramFilter):
    class Meta:
        model = Segment
        fields = ["merger", "industry", "size_band", "region"]


class UnifiedAccountFilter(ProgramFilter):
    segment = IdFilter(field_name="segment", label=_("segment id"))
    no_segment = filters.BooleanFilter(
        field_name="segment", lookup_expr="isnull", label=_("without a segment")
    )
    company = IdFilter(method="filter_company", label=_("has a CRM record in this legacy company"))
    crm_id = filters.CharFilter(method="filter_crm_id", label=_("has a CRM record with this id"))

    class Meta:
        model = UnifiedAccount
        fields = ["merger", "segment", "status", "recommendation", "country"]

    # Exists instead of a join: an account with two matching records stays one row.
    def filter_company(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        sources = SourceAccount.objects.filter(unified=OuterRef("pk"), company_id=value)
        return queryset.filter(Exists(sources))

    def filter_crm_id(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        sources = SourceAccount.objects.filter(unified=OuterRef("pk"), crm_id=value)
        return queryset.filter(Exists(sources))


class ProductFilter(filters.FilterSet):
    merger = IdFilter(field_name="company__merger", label=_("program id"))
    company = IdFilter(field_name="company", label=_("legacy company id"))
    family = IdFilter(field_name="family", label=_("product family id"))

    class Meta:
        model = Product
        fields = ["merger", "company", "family", "sales_cycle", "is_active"]
