"""The whitespace: no candidate for a pair owned, won or in pipeline, and the rollup that
the totals and heatmap read, and the accounts' totals per product family that the grid
reads, are the cells, grouped."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Sum

from accounts.models import (
    Holding,
    Merger,
    Product,
    WhitespaceCell,
    WhitespaceFamilyTotal,
    WhitespaceRollup,
)
from scorecards.reconcile.report import SHOWN, Mismatch
from tracker.models import Opportunity

CENT = Decimal("0.01")


def check_no_candidate_for_owned_won_or_open_pairs(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    # From the pairs' side, each looked up in the cells' unique (account, product)
    # index: a large program has millions of cells and only its deals and holdings
    # to check against them.
    def candidate(account: str) -> Exists:
        return Exists(
            WhitespaceCell.objects.filter(
                merger=merger, account=OuterRef(account), product=OuterRef("product")
            )
        )

    owned = Holding.objects.filter(account__unified__merger=merger).filter(
        candidate("account__unified")
    )
    dealt = Opportunity.objects.filter(merger=merger, outcome__in=["open", "won"]).filter(
        candidate("account")
    )
    for label, wrong, account in (
        ("owned", owned, "account__unified"),
        ("won or in pipeline", dealt, "account"),
    ):
        count = wrong.count()
        if count:
            found = wrong.values_list(account, "product")[:SHOWN]
            ids = [f"account {account} x product {product}" for account, product in found]
            yield Mismatch("whitespace", f"candidates for {label} pairs", 0, count, ids)


def check_whitespace_rollup_counts_the_cells(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """The totals and heatmap read the rollup; it must be the cells, grouped."""
    # At the column's two places: SQLite sums decimals as floating point (…102.6800002).
    cells = {
        (row["segment_id"], row["product_id"], row["direction"]): (
            row["n"],
            (row["value"] or Decimal(0)).quantize(CENT),
        )
        for row in WhitespaceCell.objects.filter(merger=merger)
        .values("segment_id", "product_id", "direction")
        .annotate(n=Count("id"), value=Sum("potential_value"))
        .order_by()
    }
    rollup = {
        (row.segment_id, row.product_id, row.direction): (row.cells, row.value.quantize(CENT))
        for row in WhitespaceRollup.objects.filter(merger=merger)
    }
    wrong = sorted(
        (key for key in cells.keys() | rollup.keys() if cells.get(key) != rollup.get(key)),
        key=str,
    )
    if wrong:
        ids = [f"segment {s} x product {p} ({d})" for s, p, d in wrong]
        yield Mismatch("whitespace", "rollup rows that differ from the cells", 0, len(wrong), ids)


def check_whitespace_family_totals_count_the_cells(
    merger: Merger, months: list[date]
) -> Iterator[Mismatch]:
    """The grid filtered by a product family reads these totals; each must be the account's
    cells among the family's active products, grouped (what the grid's columns show)."""
    total, cell = WhitespaceFamilyTotal._meta.db_table, WhitespaceCell._meta.db_table
    product = Product._meta.db_table
    # In SQL, both ways round: a large program has an account x family row per account.
    # Rounded to the column's two places: SQLite sums decimals as floating point.
    kept = (
        f"SELECT account_id, family_id, cells, ROUND(value, 2) AS value FROM {total} "
        "WHERE merger_id = %s"
    )
    counted = (
        "SELECT c.account_id, p.family_id, COUNT(*) AS cells, "
        f"ROUND(SUM(c.potential_value), 2) AS value FROM {cell} c "
        f"JOIN {product} p ON p.id = c.product_id "
        "WHERE c.merger_id = %s AND p.family_id IS NOT NULL AND p.is_active "
        "GROUP BY c.account_id, p.family_id"
    )
    differ = (
        f"SELECT account_id, family_id FROM ({kept} EXCEPT {counted}) missing_cells "
        f"UNION SELECT account_id, family_id FROM ({counted} EXCEPT {kept}) missing_total "
        "ORDER BY account_id, family_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(differ, [merger.pk] * 4)
        wrong = cursor.fetchall()
    if wrong:
        ids = [f"account {account} x family {family}" for account, family in wrong[:SHOWN]]
        yield Mismatch(
            "whitespace", "family totals that differ from the cells", 0, len(wrong), ids
        )
