"""Reads of a program's reference data for the API, scoped to what a user may see."""

from django.db.models import Prefetch, QuerySet

from accounts.models import MatchDecision, SourceAccount, UnifiedAccount
from accounts.selectors.matching import match_decisions_of_account


def unified_accounts_with_sources() -> QuerySet[UnifiedAccount]:
    """Accounts with their CRM records and each record's company, in three queries a page."""
    sources = SourceAccount.objects.select_related("company").order_by("company__role", "pk")
    return UnifiedAccount.objects.select_related("segment").prefetch_related(
        Prefetch("sources", queryset=sources)
    )


def account_match_decisions(*, account: UnifiedAccount) -> list[MatchDecision]:
    """Every decision that moved a CRM record into, out of or within this account."""
    return list(match_decisions_of_account(account=account))
