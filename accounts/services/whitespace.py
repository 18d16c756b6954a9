"""Materialise the whitespace: which unified accounts are candidates for which products.

The whitespace of a large merger (100k accounts, 1M holdings) is read on every
whitespace page, so it is computed here once per change, set-based, and stored
as `WhitespaceCell` rows.
"""

from functools import partial

from django.db import connection, transaction

from accounts.models import (
    Direction,
    Holding,
    Kind,
    LegacyCompany,
    Merger,
    Product,
    ProductMapping,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.selectors.whitespace import whitespace_cache_renew
from accounts.task_queue import task_send


def _candidates_sql() -> str:
    t = {
        "holding": Holding._meta.db_table,
        "source": SourceAccount._meta.db_table,
        "company": LegacyCompany._meta.db_table,
        "product": Product._meta.db_table,
        "mapping": ProductMapping._meta.db_table,
        "account": UnifiedAccount._meta.db_table,
    }
    # MATERIALIZED: `owned` is read once per candidate row; inlined, SQLite
    # re-evaluates it each time and the refresh grows quadratically. Whether the
    # account is a customer of the target's company is asked of the source
    # table itself, whose (unified) index answers it; a materialised CTE has no
    # index there and was scanned once per candidate.
    return f"""
        WITH owned AS MATERIALIZED (
            SELECT DISTINCT s.unified_id AS unified_id, h.product_id AS product_id
            FROM {t["holding"]} h
            JOIN {t["source"]} s ON s.id = h.account_id
            JOIN {t["company"]} c ON c.id = s.company_id
            WHERE c.merger_id = %(merger)s AND s.unified_id IS NOT NULL
        ),
        ranked AS (
            SELECT o.unified_id, m.target_id, m.id AS mapping_id, m.relation,
                   ROW_NUMBER() OVER (
                       PARTITION BY o.unified_id, m.target_id
                       ORDER BY m.validated_with_customers DESC, m.id
                   ) AS rank
            FROM owned o
            JOIN {t["mapping"]} m ON m.source_id = o.product_id
            WHERE m.merger_id = %(merger)s
              AND NOT EXISTS (
                  SELECT 1 FROM owned o2
                  WHERE o2.unified_id = o.unified_id AND o2.product_id = m.target_id)
        )
        SELECT r.unified_id AS account_id, r.target_id AS product_id,
               a.segment_id AS segment_id,
               CASE
                   WHEN EXISTS (
                       SELECT 1 FROM {t["source"]} s3
                       WHERE s3.unified_id = r.unified_id AND s3.company_id = p.company_id
                         AND (s3.is_customer OR EXISTS (
                             SELECT 1 FROM {t["holding"]} h3 WHERE h3.account_id = s3.id)))
                       THEN %(within)s
                   WHEN tc.role = %(acquirer)s THEN %(a_to_b)s
                   ELSE %(b_to_a)s
               END AS direction,
               CASE WHEN r.relation = %(upgrade)s THEN %(upsell)s ELSE %(cross_sell)s END
                   AS kind,
               CASE WHEN p.typical_deal_size > 0 THEN p.typical_deal_size ELSE p.list_price END
                   AS potential_value,
               r.mapping_id AS via_id
        FROM ranked r
        JOIN {t["product"]} p ON p.id = r.target_id
        JOIN {t["company"]} tc ON tc.id = p.company_id
        JOIN {t["account"]} a ON a.id = r.unified_id
        WHERE r.rank = 1 AND p.is_active AND a.merger_id = %(merger)s
    """


NEXT = "accounts_whitespace_next"
_CELL_COLUMNS = ("segment_id", "direction", "kind", "potential_value", "via_id")


def _apply_sql() -> tuple[str, str, str]:
    """Delete, update, insert: each takes the merger id as its one parameter."""
    cell = WhitespaceCell._meta.db_table
    same_cell = f"n.account_id = {cell}.account_id AND n.product_id = {cell}.product_id"
    assignments = ", ".join(f"{column} = n.{column}" for column in _CELL_COLUMNS)
    # COALESCE: a NULL segment equals a NULL segment (portable IS NOT DISTINCT FROM).
    changed = " OR ".join(
        f"COALESCE({cell}.{column}, -1) <> COALESCE(n.{column}, -1)"
        if column.endswith("_id")
        else f"{cell}.{column} <> n.{column}"
        for column in _CELL_COLUMNS
    )
    columns = ", ".join(_CELL_COLUMNS)
    return (
        f"DELETE FROM {cell} WHERE merger_id = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {NEXT} n WHERE {same_cell})",
        f"UPDATE {cell} SET {assignments} FROM {NEXT} n "
        f"WHERE {cell}.merger_id = %s AND {same_cell} AND ({changed})",
        f"INSERT INTO {cell} (merger_id, account_id, product_id, {columns}) "
        f"SELECT %s, n.account_id, n.product_id, {', '.join('n.' + c for c in _CELL_COLUMNS)} "
        f"FROM {NEXT} n WHERE NOT EXISTS (SELECT 1 FROM {cell} c "
        "WHERE c.account_id = n.account_id AND c.product_id = n.product_id)",
    )


def whitespace_refresh(*, merger_id: int) -> int:
    """Recompute the merger's whitespace cells; returns how many candidates there are.

    A cell (account, product Q) is a candidate when the unified account owns,
    through any of its CRM records, a product P mapped to Q, and none of its
    records holds Q. Inactive target products are not offered.

    - direction: "within" when the account is already a customer of Q's
      company (a CRM record of that company flagged customer or holding any
      product); otherwise a_to_b when Q is the acquirer's, b_to_a when Q is an
      acquired company's (with several acquired companies, any of them is "B").
    - kind: upsell when the mapping is an upgrade, cross-sell otherwise.
    - potential value: Q's typical deal size, or its list price when no typical
      deal size is recorded; what one closed deal is expected to bring.
    - via: when several mappings lead to the same cell, one validated with
      customers wins, then the oldest mapping, so refreshes are deterministic.

    The new candidates go to a temporary table first; then cells no longer
    candidates are deleted, changed ones updated and new ones inserted. Most
    refreshes change few cells, and rewriting a million rows (with their
    index entries and foreign-key checks) took minutes where the diff takes
    seconds; cell ids also stay stable for API clients. All of it runs in one
    transaction under a lock on the merger row, so readers see the old or the
    new whitespace, never half of it, and two refreshes of one merger never
    interleave. Idempotent.
    """
    params = {
        "merger": merger_id,
        "within": Direction.WITHIN.value,
        "acquirer": LegacyCompany.Role.ACQUIRER.value,
        "a_to_b": Direction.A_TO_B.value,
        "b_to_a": Direction.B_TO_A.value,
        "upgrade": ProductMapping.Relation.UPGRADE.value,
        "upsell": Kind.UPSELL.value,
        "cross_sell": Kind.CROSS_SELL.value,
    }
    with transaction.atomic():
        merger = Merger.objects.select_for_update().filter(pk=merger_id).only("created_at").first()
        if merger is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {NEXT}")
            cursor.execute(f"CREATE TEMPORARY TABLE {NEXT} AS {_candidates_sql()}", params)
            cursor.execute(f"CREATE INDEX {NEXT}_cell ON {NEXT} (account_id, product_id)")
            cursor.execute(f"ANALYZE {NEXT}")
            for statement in _apply_sql():
                cursor.execute(statement, [merger_id])
            cursor.execute(f"SELECT COUNT(*) FROM {NEXT}")
            (count,) = cursor.fetchone()
            cursor.execute(f"DROP TABLE {NEXT}")
        renew = partial(whitespace_cache_renew, merger_id=merger_id, created_at=merger.created_at)
        # Now for this process, and again once committed for every reader.
        renew()
        transaction.on_commit(renew)
    return count


def whitespace_enqueue_refresh(*, merger_id: int) -> None:
    """Refresh the whitespace once the current transaction commits."""
    from accounts.tasks import refresh_whitespace

    transaction.on_commit(lambda: task_send(refresh_whitespace, merger_id))
