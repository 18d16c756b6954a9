"""Customer status month by month, from when each account first bought from each side.

No status history is stored: an account became a customer of a legacy company
in the month of its earliest holding of that company's products (holdings
without a date count from Day 1). One grouped query returns each account's two
first-purchase dates, and a count the accounts with no holding at all.
"""

from collections import Counter
from datetime import date

from django.db.models import Min, Q, Value
from django.db.models.functions import Coalesce

from accounts.models import Holding, LegacyCompany, Merger, Segment, UnifiedAccount

STATUSES = ("acquirer_only", "acquired_only", "both", "neither")


def overlap_history(
    *, merger: Merger, months: list[date], segment: Segment | None = None
) -> dict[str, list[int]]:
    """{status: [count at the end of each month]}, months given as first days."""
    holdings = Holding.objects.filter(account__unified__merger=merger)
    accounts = UnifiedAccount.objects.filter(merger=merger)
    if segment is not None:
        holdings = holdings.filter(account__unified__segment=segment)
        accounts = accounts.filter(segment=segment)
    since = Coalesce("since", Value(merger.day_one))
    acquirer = Q(product__company__role=LegacyCompany.Role.ACQUIRER)
    rows = (
        holdings.values("account__unified_id")
        .annotate(first_a=Min(since, filter=acquirer), first_b=Min(since, filter=~acquirer))
        .values_list("first_a", "first_b")
        .order_by()
    )
    pairs = Counter((_month(first_a), _month(first_b)) for first_a, first_b in rows.iterator())
    # Accounts with no holding at all are customers of neither side in every month.
    pairs[(None, None)] += accounts.count() - sum(pairs.values())
    return {status: [_count(pairs, status, month) for month in months] for status in STATUSES}


def _month(value: date | None) -> date | None:
    return None if value is None else _day(value).replace(day=1)


def _day(value) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") else value


def _count(pairs: Counter, status: str, month: date) -> int:
    total = 0
    for (first_a, first_b), accounts in pairs.items():
        has_a = first_a is not None and first_a <= month
        has_b = first_b is not None and first_b <= month
        if _status(has_a, has_b) == status:
            total += accounts
    return total


def _status(has_a: bool, has_b: bool) -> str:
    if has_a and has_b:
        return "both"
    if has_a:
        return "acquirer_only"
    if has_b:
        return "acquired_only"
    return "neither"
