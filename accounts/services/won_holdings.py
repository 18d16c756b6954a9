"""A deal the program wins enters the install base, and leaves it when it is undone.

Accounts never read opportunities: the tracker says which sales it won, as
plain data, and this service makes the install base hold them. The sale is a
holding of the product on the buyer's record at the *selling* company (the
product's company), dated by the close date, so that the account's customer
status and customer-since dates move with it. Where the buyer has no record
at that company, one is created for the sale and marked as the program's.

Holdings the CRM reported are never written here: if the install base already
shows the product on one of the account's records, the sale is there already
(an upsell of a product the customer owns, or a CRM that recorded the sale
itself) and no second holding is made.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count

from accounts.models import PROGRAM_CRM_ID_PREFIX, Holding, Product, SourceAccount, UnifiedAccount

type Pair = tuple[int, int]  # (unified account id, product id)

CRM, WON_DEAL = Holding.Origin.CRM, Holding.Origin.WON_DEAL


@dataclass(frozen=True)
class WonSale:
    """One sale to record: the unified account bought the product for `amount` on `closed_on`."""

    account_id: int
    product_id: int
    amount: Decimal
    closed_on: date


def program_crm_id(unified_id: int) -> str:
    return f"{PROGRAM_CRM_ID_PREFIX}{unified_id}"


def won_holdings_apply(
    *, merger_id: int, pairs: Collection[Pair], sales: Mapping[Pair, WonSale]
) -> dict[Pair, int]:
    """Makes the install base hold exactly `sales` on `pairs`; returns {pair: holding id}.

    For each (account, product) pair of the merger in `pairs`:
    - with a sale and no CRM holding of the product on the account's records:
      one won-deal holding, revenue = amount, since = close date, created or
      corrected in place (its id stays, so the deal's link stays);
    - otherwise no won-deal holding: it is deleted, and a record the program
      created that holds nothing any more goes with it.
    The returned pairs are those whose sale is held by a won-deal holding.
    A fixed number of queries whatever the number of pairs. Idempotent.
    """
    accounts = dict(
        UnifiedAccount.objects.filter(
            merger_id=merger_id, pk__in={account for account, _product in pairs}
        ).values_list("pk", "name")
    )
    company_of = dict(
        Product.objects.filter(
            company__merger_id=merger_id, pk__in={product for _account, product in pairs}
        ).values_list("pk", "company_id")
    )
    pairs = {(a, p) for a, p in pairs if a in accounts and p in company_of}
    if not pairs:
        return {}
    held = _holdings(pairs)
    wanted = {
        pair: sales[pair] for pair in pairs if pair in sales and CRM not in held.get(pair, {})
    }
    stale = [
        held[pair][WON_DEAL].pk for pair in pairs - wanted.keys() if WON_DEAL in held.get(pair, {})
    ]
    Holding.objects.filter(pk__in=stale).delete()
    result = _write_wanted(wanted, held, accounts, company_of)
    _drop_empty_program_records(account_ids={a for a, _p in pairs})
    return result


def _holdings(pairs: set[Pair]) -> dict[Pair, dict[str, Holding]]:
    """The pairs' holdings by origin; one holding per origin is enough to decide."""
    rows = Holding.objects.filter(
        account__unified_id__in={a for a, _p in pairs},
        product_id__in={p for _a, p in pairs},
    ).select_related("account")
    held: dict[Pair, dict[str, Holding]] = defaultdict(dict)
    for holding in rows.order_by("pk"):
        pair = (holding.account.unified_id, holding.product_id)
        if pair in pairs:
            held[pair].setdefault(holding.origin, holding)
    return held


def _write_wanted(
    wanted: Mapping[Pair, WonSale],
    held: Mapping[Pair, Mapping[str, Holding]],
    accounts: Mapping[int, str],
    company_of: Mapping[int, int],
) -> dict[Pair, int]:
    changed: list[Holding] = []
    existing: dict[Pair, int] = {}
    for pair, sale in wanted.items():
        holding = held.get(pair, {}).get(WON_DEAL)
        if holding is None:
            continue
        existing[pair] = holding.pk
        if (holding.annual_revenue, holding.since) != (sale.amount, sale.closed_on):
            holding.annual_revenue, holding.since = sale.amount, sale.closed_on
            changed.append(holding)
    Holding.objects.bulk_update(changed, ["annual_revenue", "since"], batch_size=500)
    missing = [pair for pair in wanted if pair not in existing]
    records = _records_at({(a, company_of[p]) for a, p in missing}, accounts=accounts)
    created = Holding.objects.bulk_create(
        [
            Holding(
                account_id=records[(a, company_of[p])],
                product_id=p,
                annual_revenue=wanted[(a, p)].amount,
                since=wanted[(a, p)].closed_on,
                origin=WON_DEAL,
            )
            for a, p in missing
        ],
        batch_size=500,
    )
    return {
        **existing,
        **{pair: holding.pk for pair, holding in zip(missing, created, strict=True)},
    }


def _records_at(
    needed: set[tuple[int, int]], *, accounts: Mapping[int, str]
) -> dict[tuple[int, int], int]:
    """{(unified id, company id): the record a sale there goes on}, creating missing ones.

    A CRM record comes first (a customer one before a prospect one, then the
    oldest), then one the program created earlier.
    """
    if not needed:
        return {}
    rows = (
        SourceAccount.objects.filter(
            unified_id__in={a for a, _c in needed}, company_id__in={c for _a, c in needed}
        )
        .order_by("origin", "-is_customer", "pk")  # "crm" sorts before "program"
        .values_list("unified_id", "company_id", "pk")
    )
    chosen: dict[tuple[int, int], int] = {}
    for unified_id, company_id, pk in rows:
        if (unified_id, company_id) in needed:
            chosen.setdefault((unified_id, company_id), pk)
    new = [
        SourceAccount(
            company_id=company_id,
            unified_id=unified_id,
            crm_id=program_crm_id(unified_id),
            name=accounts[unified_id][:255],
            origin=SourceAccount.Origin.PROGRAM,
        )
        for unified_id, company_id in sorted(needed - chosen.keys())
    ]
    for record in SourceAccount.objects.bulk_create(new, batch_size=500):
        chosen[(record.unified_id, record.company_id)] = record.pk
    return chosen


def _drop_empty_program_records(*, account_ids: Iterable[int]) -> int:
    """A record the program created exists for its sales only; without one it would make
    a greenfield account look like a prospect."""
    empty = (
        SourceAccount.objects.filter(
            unified_id__in=set(account_ids), origin=SourceAccount.Origin.PROGRAM
        )
        .alias(held=Count("holdings"))
        .filter(held=0)
    )
    deleted, _counts = SourceAccount.objects.filter(
        pk__in=list(empty.values_list("pk", flat=True))
    ).delete()
    return deleted
