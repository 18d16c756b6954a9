"""Reads of unified accounts for the account pages."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import ZERO, Holding, SourceAccount, UnifiedAccount
from core.access import User
from core.programs import merger_ids_for


def unified_accounts_visible(*, user: User) -> QuerySet[UnifiedAccount]:
    """Every unified account of the programs the user belongs to."""
    return UnifiedAccount.objects.filter(merger_id__in=merger_ids_for(user))


# Apps built on this one say which accounts a user works on besides the CRM's
# relationship owner (the tracker: accounts they own a deal on). Each claim gives
# a query of unified account ids; registered at start-up, so this app imports none.
type AccountClaim = Callable[..., QuerySet]
_ACCOUNT_CLAIMS: list[AccountClaim] = []


def register_account_claim(claim: AccountClaim) -> None:
    """`claim(user=..., merger_id=...)` returns a values query of unified account ids."""
    if claim not in _ACCOUNT_CLAIMS:
        _ACCOUNT_CLAIMS.append(claim)


def _names_of(user: User) -> list[str]:
    """How a CRM's relationship owner column may name this user."""
    names = [
        user.get_full_name().strip(),
        user.get_username(),
        getattr(user, "email", "") or "",
    ]
    return [name for name in dict.fromkeys(names) if name]


def unified_accounts_of_user(*, user: User, merger_id: int) -> QuerySet[UnifiedAccount]:
    """ "My accounts": those the user owns a relationship on (a CRM record names
    them its relationship owner) or a deal on, in one query."""
    if not user.is_authenticated:
        return UnifiedAccount.objects.none()
    named = Q()
    for name in _names_of(user):
        named |= Q(relationship_owner__iexact=name)
    mine = Q(
        pk__in=SourceAccount.objects.filter(named, unified__merger_id=merger_id).values(
            "unified_id"
        )
    )
    for claim in _ACCOUNT_CLAIMS:
        mine |= Q(pk__in=claim(user=user, merger_id=merger_id))
    return UnifiedAccount.objects.filter(mine, merger_id=merger_id)


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
