"""How accounts change customer status month by month: plain data in, plain data out.

An account's status at a month end follows from the months it first bought
from each side (its customer-since dates); it changes only in those months,
and only towards more: nobody's customer -> one side -> both. Counting those
changes per month shows the overlap growing, which totals per month hide when
one account joins and another leaves a status in the same month.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext_lazy as _

NEW_ACQUIRER_ONLY = "new_acquirer_only"
NEW_ACQUIRED_ONLY = "new_acquired_only"
NEW_BOTH = "new_both"
ACQUIRER_ONLY_TO_BOTH = "acquirer_only_to_both"
ACQUIRED_ONLY_TO_BOTH = "acquired_only_to_both"

TRANSITION_LABELS = {
    ACQUIRER_ONLY_TO_BOTH: _("Acquirer's customer → customer of both"),
    ACQUIRED_ONLY_TO_BOTH: _("Acquired company's customer → customer of both"),
    NEW_BOTH: _("Prospect or greenfield → customer of both"),
    NEW_ACQUIRER_ONLY: _("Prospect or greenfield → customer of the acquirer"),
    NEW_ACQUIRED_ONLY: _("Prospect or greenfield → customer of the acquired company"),
}
TRANSITIONS = tuple(TRANSITION_LABELS)

# (customer of the acquirer, of the acquired company) before and after the month.
_KEYS = {
    ((False, False), (True, False)): NEW_ACQUIRER_ONLY,
    ((False, False), (False, True)): NEW_ACQUIRED_ONLY,
    ((False, False), (True, True)): NEW_BOTH,
    ((True, False), (True, True)): ACQUIRER_ONLY_TO_BOTH,
    ((False, True), (True, True)): ACQUIRED_ONLY_TO_BOTH,
}


def overlap_transitions(
    *, groups: Iterable[tuple[date | None, date | None, int]], months: Sequence[date]
) -> dict[str, list[int]]:
    """{transition: [accounts making it in each month]}, every transition present.

    `groups` are (month the accounts first bought from the acquirer, month they
    first bought from the acquired company, how many accounts), months as first
    days and None for never; `months` are first days too. A month before the
    first of `months` (a customer since before Day 1) is a starting position,
    not a transition; a month after the last is not counted yet.
    """
    index = {month: i for i, month in enumerate(months)}
    counts = {key: [0] * len(months) for key in TRANSITIONS}
    for first_a, first_b, accounts in groups:
        for month in {first_a, first_b} - {None}:
            if month not in index:
                continue
            before = (
                _bought(first_a, month, strictly=True),
                _bought(first_b, month, strictly=True),
            )
            after = (_bought(first_a, month), _bought(first_b, month))
            counts[_KEYS[(before, after)]][index[month]] += accounts
    return counts


def _bought(first: date | None, month: date, *, strictly: bool = False) -> bool:
    if first is None:
        return False
    return first < month if strictly else first <= month
