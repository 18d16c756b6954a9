"""Search, filters and sorting of the account list."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.customer_status import NOT_MEASURED, NOT_MEASURED_LABEL, status_at_month_end
from accounts.filter_fields import segment_filter
from accounts.models import LegacyCompany, Merger, Segment, SourceAccount, UnifiedAccount
from accounts.selectors.accounts import unified_accounts_of_user
from core.access import User


class UnifiedAccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search name or domain"), method="search")
    mine = django_filters.BooleanFilter(
        label=_("My accounts"), method="filter_mine", widget=forms.CheckboxInput
    )
    segment = segment_filter()
    status = django_filters.ChoiceFilter(
        label=_("Customer status"),
        # Not measured: only with a month, the accounts whose status then is not known.
        choices=[*UnifiedAccount.Status.choices, (NOT_MEASURED, NOT_MEASURED_LABEL)],
        empty_label=_("All statuses"),
        method="filter_status",
    )
    # With a month, the status the account had at that month's end: how the dashboard's
    # overlap chart counted it, so that each of its figures lists its accounts.
    month = django_filters.DateFilter(
        label=_("Status at the end of"),
        method="filter_month",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    company = django_filters.ModelChoiceFilter(
        label=_("Legacy company"),
        queryset=LegacyCompany.objects.none(),
        empty_label=_("All companies"),
        method="filter_company",
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        fields=(
            ("name", "name"),
            ("segment__name", "segment"),
            ("status", "status"),
            ("source_count", "sources"),
            ("recommendation", "recommendation"),
        ),
        field_labels={
            "name": _("Name"),
            "segment__name": _("Segment"),
            "status": _("Customer status"),
            "source_count": _("Source records"),
            "recommendation": _("Recommendation"),
        },
    )

    class Meta:
        model = UnifiedAccount
        fields: list[str] = []

    def __init__(self, *args: Any, merger: Merger, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.merger, self.user = merger, user
        self.filters["segment"].queryset = Segment.objects.filter(merger=merger)
        self.filters["company"].queryset = LegacyCompany.objects.filter(merger=merger)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(domain__icontains=value))

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        mine = unified_accounts_of_user(user=self.user, merger_id=self.merger.pk)
        return queryset.filter(pk__in=mine.values("pk"))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        month = self.form.cleaned_data.get("month")
        if month is None:
            return queryset.filter(status=value)
        return queryset.filter(status_at_month_end(value, month=month.replace(day=1)))

    def filter_month(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # Read by filter_status: a month alone filters nothing.
        return queryset

    def filter_company(self, queryset: QuerySet, name: str, value: LegacyCompany) -> QuerySet:
        # EXISTS rather than a join: an account with two records of one company stays one row.
        records = SourceAccount.objects.filter(unified=OuterRef("pk"), company=value)
        return queryset.filter(Exists(records))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        # Ties (same segment, status...) keep a stable order across pages.
        ordering = tuple(queryset.query.order_by)
        if ordering and ordering[-1] != "pk":
            return queryset.order_by(*ordering, "pk")
        return queryset
