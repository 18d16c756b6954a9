"""A closed month's customer overlap as its snapshot kept it: plain data in, plain data out.

A snapshot keeps the accounts per status its freeze knew. One frozen before the
prospect status was kept counted prospects and greenfield as one "neither": that
figure is shown as what it was, prospects or greenfield, and each of the two
statuses it did not tell apart as not measured (None), never split by a guess.

The accounts whose status at a month end was not measured (a customer flag imported
later) are a figure of their own, shown only where there are any. A freeze keeps it
only when there were any: one without it had every account in a status, none
unmeasured.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.customer_status import NOT_MEASURED, STATUSES, Status

# Accounts customers of neither side, prospects and greenfield not told apart.
PROSPECT_OR_NEITHER = "prospect_or_neither"
PROSPECT_OR_NEITHER_LABEL = _("Prospect or greenfield (not told apart when frozen)")

type Counts = dict[str, list[int | None]]


def overlap_as_frozen(
    *,
    months: Sequence[date],
    counts: Mapping[str, Sequence[int]],
    transitions: Mapping[str, Sequence[int]],
    frozen: Mapping[date, Mapping[str, Any]],
) -> tuple[Counts, Counts]:
    """(counts, transitions): today's reading, each closed month's as frozen.

    `frozen` is each closed month's stored overlap ({"counts": ..., "transitions": ...}).
    A figure the freeze did not keep is None, not today's count: a closed month never
    changes.
    """
    shown_counts: Counts = {status: list(counts[status]) for status in STATUSES}
    unmeasured: list[int | None] = list(counts.get(NOT_MEASURED) or [0] * len(months))
    shown_moves: Counts = {key: list(values) for key, values in transitions.items()}
    combined: list[int | None] = [None] * len(months)
    for index, month in enumerate(months):
        if month not in frozen:
            continue
        stored = frozen[month].get("counts") or {}
        if Status.PROSPECT not in stored and Status.NEITHER in stored:
            combined[index] = stored[Status.NEITHER]
            stored = {key: value for key, value in stored.items() if key != Status.NEITHER}
        for status, values in shown_counts.items():
            values[index] = stored.get(status)
        # A freeze that kept no counts kept this one neither.
        unmeasured[index] = stored.get(NOT_MEASURED, 0 if stored else None)
        moves = frozen[month].get("transitions") or {}
        for key, values in shown_moves.items():
            values[index] = moves.get(key)
    if any(unmeasured):
        shown_counts[NOT_MEASURED] = unmeasured
    if any(value is not None for value in combined):
        shown_counts[PROSPECT_OR_NEITHER] = combined
    return shown_counts, shown_moves
