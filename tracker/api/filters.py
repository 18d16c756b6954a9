"""Query-string filters of the opportunity endpoint."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.api.filters import IdFilter, ProgramFilter, SegmentIdFilter
from tracker.models import Opportunity


class OpportunityFilter(ProgramFilter):
    account = IdFilter(field_name="account", label=_("unified account id"))
    product = IdFilter(field_name="product", label=_("product id"))
    owner = IdFilter(field_name="owner", label=_("owner rep id"))
    team = IdFilter(field_name="owner__team", label=_("owner's team id"))
    stage = IdFilter(field_name="stage", label=_("stage id"))
    segment = SegmentIdFilter(field_name="segment")
    mine = filters.BooleanFilter(method="filter_mine", label=_("owned by me"))
    expected_close = filters.DateFromToRangeFilter()
    closed_on = filters.DateFromToRangeFilter()
    amount_min = filters.NumberFilter(field_name="amount", lookup_expr="gte")
    amount_max = filters.NumberFilter(field_name="amount", lookup_expr="lte")

    class Meta:
        model = Opportunity
        fields = ["merger", "outcome", "kind", "direction", "source"]

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        mine = {"owner__user": self.request.user}
        return queryset.filter(**mine) if value else queryset.exclude(**mine)
