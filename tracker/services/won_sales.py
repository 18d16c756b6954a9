"""Won deals close the loop: their sales enter the install base, and what reads it follows.

When a deal is won, corrected, reopened, moved or deleted, the (account,
product) pairs it was and is on are synchronised: each pair's won deals are
read, the earliest one carries the sale (accounts.services.won_holdings writes
it as a holding on the buyer's record at the selling company) and links to it.
Then the accounts' statuses, customer-since dates and whitespace are refreshed
in the same transaction, and the program's ownership counts after it commits.
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Holding
from accounts.services.refresh import accounts_analysis_refresh
from accounts.services.won_holdings import Pair, WonSale, won_holdings_apply
from tracker.models import Opportunity, Stage

WON = Stage.Outcome.WON


@dataclass(frozen=True)
class DealRow:
    """What deciding a pair's carrier needs of one deal."""

    pk: int
    account_id: int
    product_id: int
    outcome: str
    amount: Decimal
    closed_on: dt.date | None
    holding_id: int | None


def carriers(rows: Iterable[DealRow]) -> dict[Pair, DealRow]:
    """Per pair, the won deal whose sale the install base holds: the first won (close date,
    then id), so that a later deal on the same product never moves the customer-since date."""
    chosen: dict[Pair, DealRow] = {}
    for row in rows:
        if row.outcome != WON or row.closed_on is None:
            continue
        pair = (row.account_id, row.product_id)
        best = chosen.get(pair)
        if best is None or (row.closed_on, row.pk) < (best.closed_on, best.pk):
            chosen[pair] = row
    return chosen


# Pairs synchronised per round of queries: a bulk sync of a large program's wins
# stays within SQLite's limit on query parameters.
SYNC_CHUNK_ACCOUNTS = 2000


def won_sales_sync(*, merger_id: int, pairs: Collection[Pair]) -> dict[int, int | None]:
    """Makes the install base hold the pairs' won sales and links each deal to its holding.

    Returns {deal id: holding id or None} for the deals whose link changed. A
    fixed number of queries per SYNC_CHUNK_ACCOUNTS accounts: the demo seed
    syncs all its won deals at once. The pairs of one account are synced
    together, so that a record the program made for it is judged on all its sales.
    """
    by_account: dict[int, set[Pair]] = {}
    for pair in pairs:
        by_account.setdefault(pair[0], set()).add(pair)
    accounts = sorted(by_account)
    changes: dict[int, int | None] = {}
    for start in range(0, len(accounts), SYNC_CHUNK_ACCOUNTS):
        chunk = {p for a in accounts[start : start + SYNC_CHUNK_ACCOUNTS] for p in by_account[a]}
        changes.update(_sync(merger_id, chunk))
    return changes


def _sync(merger_id: int, pairs: set[Pair]) -> dict[int, int | None]:
    rows = [
        DealRow(*values)
        for values in Opportunity.objects.filter(
            merger_id=merger_id,
            account_id__in={a for a, _p in pairs},
            product_id__in={p for _a, p in pairs},
        ).values_list(
            "pk", "account_id", "product_id", "outcome", "amount", "closed_on", "holding_id"
        )
        if (values[1], values[2]) in pairs
    ]
    chosen = carriers(rows)
    sales = {
        pair: WonSale(
            account_id=pair[0], product_id=pair[1], amount=row.amount, closed_on=row.closed_on
        )
        for pair, row in chosen.items()
    }
    held = won_holdings_apply(merger_id=merger_id, pairs=pairs, sales=sales)
    wanted = {
        row.pk: held.get((row.account_id, row.product_id))
        if chosen.get((row.account_id, row.product_id)) is row
        else None
        for row in rows
    }
    changes = {row.pk: wanted[row.pk] for row in rows if row.holding_id != wanted[row.pk]}
    _relink(changes)
    return changes


def _relink(changes: dict[int, int | None]) -> None:
    """Unlinks first: a holding passing from one deal to another is linked once at a time."""
    if not changes:
        return
    Opportunity.objects.filter(pk__in=list(changes)).update(holding=None)
    linked = [Opportunity(pk=pk, holding_id=holding) for pk, holding in changes.items() if holding]
    Opportunity.objects.bulk_update(linked, ["holding"], batch_size=500)


def won_sales_sync_program(*, merger_id: int) -> dict[int, int | None]:
    """Syncs every pair of the program with a won deal or a won-deal holding: what the demo
    seed runs after writing its deals in bulk, and what repairs a program's install base."""
    pairs = set(
        Opportunity.objects.filter(merger_id=merger_id, outcome=WON)
        .values_list("account_id", "product_id")
        .order_by()
        .distinct()
    )
    pairs |= set(
        Holding.objects.filter(
            origin=Holding.Origin.WON_DEAL, account__unified__merger_id=merger_id
        ).values_list("account__unified_id", "product_id")
    )
    return won_sales_sync(merger_id=merger_id, pairs=pairs)


def deals_changed(*, merger_id: int, pairs: Collection[Pair]) -> dict[int, int | None]:
    """After deals on `pairs` were written in the caller's transaction: their sales into the
    install base, then their accounts' analysis; returns the changed deal links."""
    changes = won_sales_sync(merger_id=merger_id, pairs=pairs)
    accounts_analysis_refresh(
        merger_id=merger_id, account_ids={a for a, _p in pairs}, holdings_changed=bool(changes)
    )
    return changes
