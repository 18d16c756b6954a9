"""Customer status month by month, from when each account first bought from each side.

No status history is stored: an account became a customer of a legacy company
in the month of its earliest holding of that company's products (holdings
without a date count from Day 1), cached on the account as its customer-since
dates by accounts.services.overlap. One grouped query counts the accounts per
pair of first-purchase months.
"""

from datetime import date

from django.db.models import Case, Count, DateField, F, Value, When

from accounts.models import Merger, Segment, UnifiedAccount
from accounts.overlap_transitions import overlap_transitions
from core.db_functions import MonthStart

STATUSES = ("acquirer_only", "acquired_only", "both", "neither")


def overlap_history(
    *, merger: Merger, months: list[date], segment: Segment | None = None
) -> dict[str, list[int]]:
    """{status: [count at the end of each month]}, months given as first days."""
    accounts = UnifiedAccount.objects.filter(merger=merger)
    if segment is not None:
        accounts = accounts.filter(segment=segment)
    rows = (
        accounts.values(
            first_a=MonthStart("acquirer_customer_since"),
            first_b=MonthStart("acquired_customer_since"),
        )
        .annotate(accounts=Count("id"))
        .values_list("first_a", "first_b", "accounts")
        .order_by()
    )
    counts = {status: [0] * len(months) for status in STATUSES}
    for first_a, first_b, accounts in rows:
        for index, month in enumerate(months):
            has_a = first_a is not None and first_a <= month
            has_b = first_b is not None and first_b <= month
            counts[_status(has_a, has_b)][index] += accounts
    return counts


def _status(has_a: bool, has_b: bool) -> str:
    if has_a and has_b:
        return "both"
    if has_a:
        return "acquirer_only"
    if has_b:
        return "acquired_only"
    return "neither"


# Where a customer since Day 1 or earlier starts: before any month shown.
BEFORE_DAY_ONE = date(1900, 1, 1)


def overlap_transitions_by_month(
    *, merger: Merger, months: list[date], segment: Segment | None = None
) -> dict[str, list[int]]:
    """{transition: [accounts changing status that way in each month]}: one grouped query.

    A customer of a side on Day 1 or earlier was one before the program
    began, so it starts there instead of changing in Day 1's month; a holding
    dated after Day 1 (a deal the program won, dated by its close date) is a
    change in its month.
    """
    accounts = UnifiedAccount.objects.filter(merger=merger)
    if segment is not None:
        accounts = accounts.filter(segment=segment)
    rows = (
        accounts.values(
            first_a=_first_month("acquirer_customer_since", merger.day_one),
            first_b=_first_month("acquired_customer_since", merger.day_one),
        )
        .annotate(accounts=Count("id"))
        .values_list("first_a", "first_b", "accounts")
        .order_by()
    )
    return overlap_transitions(groups=list(rows), months=months)


def _first_month(field: str, day_one: date) -> Case:
    return Case(
        When(**{f"{field}__lte": day_one}, then=Value(BEFORE_DAY_ONE)),
        default=MonthStart(F(field)),
        output_field=DateField(),
    )
