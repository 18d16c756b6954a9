"""Customer status month by month, from when each account first bought from each side.

No status history is stored: an account became a customer of a legacy company
in the month of its earliest holding of that company's products (holdings
without a date count from Day 1), cached on the account as its customer-since
dates by accounts.services.overlap. One grouped query counts the accounts per
pair of first-purchase months and whether either company knows them; the status
history and the transitions both read those groups. Each month's status is
accounts.customer_status's, the one the overlap page counts today. A customer the
CRM flags without an earlier holding is dated by the flag's first import (its
customer-since), and before that its status is not measured: counted as such, and
where its measuring starts is no change of status.
"""

from bisect import bisect_left
from datetime import date
from itertools import accumulate

from django.db.models import BooleanField, Case, Count, Value, When

from accounts.customer_status import NOT_MEASURED, STATUSES, Status, status_of
from accounts.models import Merger, Segment, UnifiedAccount
from accounts.overlap_transitions import overlap_transitions
from core.db_functions import MonthStart

__all__ = [
    "NOT_MEASURED",
    "STATUSES",
    "first_purchase_groups",
    "history_of_groups",
    "transitions_of_groups",
]


# Where a customer since Day 1 or earlier starts: before any month shown.
BEFORE_DAY_ONE = date(1900, 1, 1)

# (first month as a customer of the acquirer, on or before Day 1; the same of the
# acquired company; first month its status is measured; known to either company;
# accounts): months None for accounts not customers of that side, or measured throughout.
FirstPurchaseGroup = tuple[date | None, bool, date | None, bool, date | None, bool, int]


def first_purchase_groups(
    *, merger: Merger, segment: Segment | None = None
) -> list[FirstPurchaseGroup]:
    """The accounts counted per pair of first-purchase months: one grouped query.

    Both the status history and the transitions read these groups, so a page
    showing both scans the accounts once: an index of the merger, both dates and
    the status, as long as the query names no other column (COUNT(*), not COUNT(id)).
    """
    accounts = UnifiedAccount.objects.filter(merger=merger)
    if segment is not None:
        accounts = accounts.filter(segment=segment)
    rows = (
        accounts.values(
            first_a=MonthStart("acquirer_customer_since"),
            a_by_day_one=_by_day_one("acquirer_customer_since", merger.day_one),
            first_b=MonthStart("acquired_customer_since"),
            b_by_day_one=_by_day_one("acquired_customer_since", merger.day_one),
            measured_from=MonthStart("status_measured_from"),
            known=_known(),
        )
        .annotate(accounts=Count("*"))
        .values_list(
            "first_a",
            "a_by_day_one",
            "first_b",
            "b_by_day_one",
            "measured_from",
            "known",
            "accounts",
        )
        .order_by()
    )
    return list(rows)


def history_of_groups(
    *, groups: list[FirstPurchaseGroup], months: list[date]
) -> dict[str, list[int]]:
    """Each group's accounts counted, at each month's end, under the status they had then,
    or as NOT_MEASURED before their status is measured.

    A group's status changes at most twice (when it first buys from one side, then from
    the other): its accounts are added where each status starts and taken away where it
    ends, and running sums over the months in order give the counts. Which status each
    stretch is comes from status_of, once per group.
    """
    ordered = sorted(months)
    size = len(ordered)
    changes = {status: [0] * (size + 1) for status in (*STATUSES, NOT_MEASURED)}
    unmeasured = changes[NOT_MEASURED]
    both = changes[status_of(acquirer=True, acquired=True, known=True)]
    a_only = changes[status_of(acquirer=True, acquired=False, known=True)]
    b_only = changes[status_of(acquirer=False, acquired=True, known=True)]
    not_yet = {
        known: changes[status_of(acquirer=False, acquired=False, known=known)]
        for known in (True, False)
    }
    # Written out rather than looped over the statuses: a large program has thousands
    # of groups.
    for first_a, _a_by_day_one, first_b, _b_by_day_one, measured_from, known, accounts in groups:
        # The first month shown in which the account is a customer of each side, and
        # in which its status is measured.
        from_a = size if first_a is None else bisect_left(ordered, first_a)
        from_b = size if first_b is None else bisect_left(ordered, first_b)
        start = 0 if measured_from is None else bisect_left(ordered, measured_from)
        if from_a < from_b:
            one_side, first, second = a_only, max(from_a, start), max(from_b, start)
        else:
            one_side, first, second = b_only, max(from_b, start), max(from_a, start)
        unmeasured[0] += accounts
        unmeasured[start] -= accounts
        before = not_yet[known]
        before[start] += accounts
        before[first] -= accounts
        one_side[first] += accounts
        one_side[second] -= accounts
        both[second] += accounts
        both[size] -= accounts
    counts = {status: list(accumulate(steps[:-1])) for status, steps in changes.items()}
    if ordered == months:
        return counts
    position = {month: index for index, month in enumerate(ordered)}
    return {status: [row[position[month]] for month in months] for status, row in counts.items()}


def transitions_of_groups(
    *, groups: list[FirstPurchaseGroup], months: list[date]
) -> dict[str, list[int]]:
    """{transition: [accounts changing status that way in each month]}.

    A customer of a side on Day 1 or earlier was one before the program began, so it
    starts there instead of changing in Day 1's month; a holding dated after Day 1 (a
    deal the program won, dated by its close date) is a change in its month. An account
    whose status is measured only from some month starts there too, in the status it has
    then: its earlier status is not known, so no change is."""
    starts: dict[tuple[date | None, date | None], int] = {}
    for first_a, a_by_day_one, first_b, b_by_day_one, measured_from, _known, accounts in groups:
        key = (
            BEFORE_DAY_ONE
            if a_by_day_one or _at_measuring_start(first_a, measured_from)
            else first_a,
            BEFORE_DAY_ONE
            if b_by_day_one or _at_measuring_start(first_b, measured_from)
            else first_b,
        )
        starts[key] = starts.get(key, 0) + accounts
    rows = [(first_a, first_b, accounts) for (first_a, first_b), accounts in starts.items()]
    return overlap_transitions(groups=rows, months=months)


def _at_measuring_start(month: date | None, measured_from: date | None) -> bool:
    """Whether a side's first month is no later than the account's first measured one."""
    return month is not None and measured_from is not None and month <= measured_from


def _by_day_one(field: str, day_one: date) -> Case:
    """Whether the side's customer-since date is on or before Day 1 (False when none)."""
    return Case(
        When(**{f"{field}__lte": day_one}, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _known() -> Case:
    """Whether either company has a CRM record of the account: only greenfield has none."""
    return Case(
        When(status=Status.NEITHER, then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )
