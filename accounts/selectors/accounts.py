"""Reads of unified accounts for the account pages."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.access import User, merger_ids_for
from accounts.models import ZERO, Holding, SourceAccount, UnifiedAccount


def unified_accounts_visible(*, user: User) -> QuerySet[UnifiedAccount]:
    """Every unified account of the programs the user belongs to."""
    return UnifiedAccount.objects.filter(merger_id__in=merger_ids_for(user))


def unified_accounts_for_list(*, merger_id: int) -> QuerySet[UnifiedAccount]:
    """A program's accounts with what the list shows, one query per page.

    The source count is a correlated subquery, so a page of 50 rows counts
    only its own rows instead of grouping the whole program.
    """
    source_count = (
        SourceAccount.objects.filter(unified=OuterRef("pk"))
        .order_by()
        .values("unified")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        UnifiedAccount.objects.filter(merger_id=merger_id)
        .select_related("segment")
        .annotate(
            source_count=Coalesce(Subquery(source_count, output_field=IntegerField()), Value(0))
        )
        .order_by("name", "pk")
    )


def account_sources(*, account: UnifiedAccount) -> list[SourceAccount]:
    return list(
        SourceAccount.objects.filter(unified=account)
        .select_related("company", "segment")
        .order_by("company__role", "name", "pk")
    )


@dataclass(frozen=True)
class InstallBase:
    holdings: list[Holding]
    total_revenue: Decimal


def account_install_base(*, account: UnifiedAccount) -> InstallBase:
    """The products an account owns through any of its CRM records."""
    holdings = (
        Holding.objects.filter(account__unified=account)
        .select_related("product__company", "product__family", "account__company")
        .order_by("product__company__role", "product__name", "pk")
    )
    total = holdings.order_by().aggregate(total=Sum("annual_revenue"))["total"]
    return InstallBase(holdings=list(holdings), total_revenue=total or ZERO)
