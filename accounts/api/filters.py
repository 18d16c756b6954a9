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

from accounts.filter_fields import NO_SEGMENT
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


class SegmentIdField(forms.IntegerField):
    """A segment's id, or NO_SEGMENT ("none") for the records without a segment."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip().lower() == NO_SEGMENT:
            return NO_SEGMENT
        return super().to_python(value)

    def validate(self, value) -> None:
        if value != NO_SEGMENT:
            super().validate(value)

    def run_validators(self, value) -> None:
        if value != NO_SEGMENT:
            super().run_validators(value)


@extend_schema_field(OpenApiTypes.STR)
class SegmentIdFilter(IdFilter):
    """`segment=ID`, or `segment=none`: the "No segment" line of a breakdown by segment."""

    field_class = SegmentIdField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", _("segment id, or none for the records without a segment"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value == NO_SEGMENT:
            return self.get_method(qs)(**{f"{self.field_name}__isnull": True})
        return super().filter(qs, value)


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
    segment = SegmentIdFilter(field_name="segment")
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
