"""The SQL of the whitespace refresh: which cells are candidates, with which value.

A cell (account, product Q) is a candidate when Q is active, the account owns
no Q on any of its CRM records (including a Q the program sold it) and has no
open deal on Q, and either
- the account owns a product P mapped to Q ("owners of P are candidates for
  Q"); when several mappings lead to the cell, one validated with customers
  wins, then the oldest, so refreshes are deterministic; or
- the account is a prospect or greenfield (status "prospect" or "neither":
  it owns nothing) and Q fits its segment: at least SEGMENT_FIT_MIN_PERCENT of
  the segment's customers own Q, and at least VALUE_MIN_SAMPLE of them. These
  cells have no mapping (`via` is empty).

- direction: "within" when the account is already a customer of Q's company
  (a CRM record of that company flagged customer or holding any product);
  otherwise a_to_b when Q is the acquirer's, b_to_a when Q is an acquired
  company's (with several acquired companies, any of them is "B"). A prospect
  or greenfield account is nobody's customer, so its cells take the direction
  of the product's company: the same rule that sets a deal's direction, so
  that reports by direction
  keep their three values and a new logo won with B's product counts as B's.
- kind: upsell when the mapping is an upgrade, cross-sell otherwise.
- potential value and its basis (`value_basis`): the median of what the
  segment's accounts pay a year for Q per the CRM install base, with at least
  VALUE_MIN_SAMPLE accounts reporting revenue; else the program-wide median
  with the same minimum; else, labelled as a fallback, Q's typical deal size
  (its list price when none is recorded). An upsell is worth at most
  UPSELL_MAX_RAISE of what the account pays now for the product it upgrades
  (when that is known), and then its basis says so.
"""

from accounts.models import (
    UPSELL_MAX_RAISE,
    Direction,
    Holding,
    Kind,
    LegacyCompany,
    Product,
    ProductMapping,
    ProductSpend,
    SourceAccount,
    UnifiedAccount,
    WhitespaceAccountTotal,
    WhitespaceCell,
    WhitespaceFamilyTotal,
)

NEXT = "accounts_whitespace_next"
BUSY = "accounts_whitespace_busy"
# Accounts reporting revenue for a product before their median values a cell.
VALUE_MIN_SAMPLE = 5
# A prospect is a candidate for a product when at least this share of its
# segment's customers own it: what the segment typically buys.
SEGMENT_FIT_MIN_PERCENT = 25

CELL_COLUMNS = ("segment_id", "direction", "kind", "potential_value", "via_id", "value_basis")
Basis = WhitespaceCell.ValueBasis


def _tables() -> dict[str, str]:
    return {
        "holding": Holding._meta.db_table,
        "source": SourceAccount._meta.db_table,
        "company": LegacyCompany._meta.db_table,
        "product": Product._meta.db_table,
        "mapping": ProductMapping._meta.db_table,
        "account": UnifiedAccount._meta.db_table,
        "spend": ProductSpend._meta.db_table,
    }


def _in(column: str, scope: list[int] | None) -> str:
    if scope is None:
        return ""
    return (
        f" AND {column} IN ({', '.join(['%(scope' + str(i) + ')s' for i in range(len(scope))])})"
    )


def params_for(merger_id: int, scope: list[int] | None) -> dict[str, object]:
    params: dict[str, object] = {
        "merger": merger_id,
        "within": Direction.WITHIN.value,
        "acquirer": LegacyCompany.Role.ACQUIRER.value,
        "a_to_b": Direction.A_TO_B.value,
        "b_to_a": Direction.B_TO_A.value,
        "upgrade": ProductMapping.Relation.UPGRADE.value,
        "upsell": Kind.UPSELL.value,
        "cross_sell": Kind.CROSS_SELL.value,
        "prospect": UnifiedAccount.Status.PROSPECT.value,
        "neither": UnifiedAccount.Status.NEITHER.value,
        "min_sample": VALUE_MIN_SAMPLE,
        "fit_percent": SEGMENT_FIT_MIN_PERCENT,
        **{basis.name.lower(): basis.value for basis in Basis},
    }
    params.update({f"scope{i}": pk for i, pk in enumerate(scope or [])})
    return params


def _value_sql() -> tuple[str, str]:
    """(potential value, value basis) of a candidate row `r` joined to its spend rows."""
    estimate = (
        "CASE WHEN ss.id IS NOT NULL THEN ss.median_revenue "
        "WHEN ps.id IS NOT NULL THEN ps.median_revenue "
        "WHEN p.typical_deal_size > 0 THEN p.typical_deal_size ELSE p.list_price END"
    )
    basis = (
        "CASE WHEN ss.id IS NOT NULL THEN %(segment)s "
        "WHEN ps.id IS NOT NULL THEN %(program)s ELSE %(typical_deal)s END"
    )
    cap = f"ROUND(r.source_revenue * {UPSELL_MAX_RAISE}, 2)"
    capped = f"r.relation = %(upgrade)s AND r.source_revenue > 0 AND {cap} < {estimate}"
    return (
        f"CASE WHEN {capped} THEN {cap} ELSE {estimate} END",
        f"CASE WHEN {capped} THEN %(upsell_cap)s ELSE {basis} END",
    )


def candidates_sql(scope: list[int] | None) -> str:
    t = _tables()
    value, basis = _value_sql()
    # MATERIALIZED: `owned` is read once per candidate row; inlined, SQLite
    # re-evaluates it each time and the refresh grows quadratically. Whether the
    # account is a customer of the target's company is asked of the source
    # table itself, whose (unified) index answers it; a materialised CTE has no
    # index there and was scanned once per candidate.
    return f"""
        WITH owned AS MATERIALIZED (
            SELECT s.unified_id AS unified_id, h.product_id AS product_id,
                   SUM(h.annual_revenue) AS revenue
            FROM {t["holding"]} h
            JOIN {t["source"]} s ON s.id = h.account_id
            JOIN {t["company"]} c ON c.id = s.company_id
            WHERE c.merger_id = %(merger)s AND s.unified_id IS NOT NULL{_in("s.unified_id", scope)}
            GROUP BY s.unified_id, h.product_id
        ),
        ranked AS (
            SELECT o.unified_id, m.target_id, m.id AS mapping_id, m.relation,
                   o.revenue AS source_revenue,
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
        ),
        candidates AS (
            SELECT unified_id, target_id, mapping_id, relation, source_revenue
            FROM ranked WHERE rank = 1
            UNION ALL
            SELECT a.id, sp.product_id, CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR(20)),
                   CAST(0 AS NUMERIC(16, 2))
            FROM {t["account"]} a
            JOIN {t["spend"]} pop ON pop.merger_id = %(merger)s
                 AND pop.segment_id = a.segment_id AND pop.product_id IS NULL
            JOIN {t["spend"]} sp ON sp.merger_id = %(merger)s
                 AND sp.segment_id = a.segment_id AND sp.product_id IS NOT NULL
            WHERE a.merger_id = %(merger)s AND a.status IN (%(prospect)s, %(neither)s)
              AND NOT EXISTS (
                  SELECT 1 FROM {t["source"]} s4
                  JOIN {t["holding"]} h4 ON h4.account_id = s4.id
                  WHERE s4.unified_id = a.id)
              AND sp.owners >= %(min_sample)s
              AND sp.owners * 100 >= pop.owners * %(fit_percent)s{_in("a.id", scope)}
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
               {value} AS potential_value,
               r.mapping_id AS via_id,
               {basis} AS value_basis
        FROM candidates r
        JOIN {t["product"]} p ON p.id = r.target_id
        JOIN {t["company"]} tc ON tc.id = p.company_id
        JOIN {t["account"]} a ON a.id = r.unified_id
        LEFT JOIN {t["spend"]} ss ON ss.merger_id = %(merger)s AND ss.segment_id = a.segment_id
             AND ss.product_id = r.target_id AND ss.paying >= %(min_sample)s
        LEFT JOIN {t["spend"]} ps ON ps.merger_id = %(merger)s AND ps.segment_id IS NULL
             AND ps.product_id = r.target_id AND ps.paying >= %(min_sample)s
        WHERE p.is_active AND a.merger_id = %(merger)s
          AND NOT EXISTS (
              SELECT 1 FROM {BUSY} b
              WHERE b.account_id = r.unified_id AND b.product_id = r.target_id)
    """


def apply_sql(merger_id: int, scope: list[int] | None) -> list[tuple[str, list]]:
    """Delete, update, insert: (statement, params) against the new candidates in NEXT."""
    cell = WhitespaceCell._meta.db_table
    same_cell = f"n.account_id = {cell}.account_id AND n.product_id = {cell}.product_id"
    assignments = ", ".join(f"{column} = n.{column}" for column in CELL_COLUMNS)
    # COALESCE: a NULL segment equals a NULL segment (portable IS NOT DISTINCT FROM).
    changed = " OR ".join(
        f"COALESCE({cell}.{column}, -1) <> COALESCE(n.{column}, -1)"
        if column.endswith("_id")
        else f"{cell}.{column} <> n.{column}"
        for column in CELL_COLUMNS
    )
    columns = ", ".join(CELL_COLUMNS)
    in_scope, scope_params = "", []
    if scope is not None:
        in_scope = f" AND {cell}.account_id IN ({', '.join(['%s'] * len(scope))})"
        scope_params = list(scope)
    return [
        (
            f"DELETE FROM {cell} WHERE merger_id = %s{in_scope} "
            f"AND NOT EXISTS (SELECT 1 FROM {NEXT} n WHERE {same_cell})",
            [merger_id, *scope_params],
        ),
        (
            f"UPDATE {cell} SET {assignments} FROM {NEXT} n "
            f"WHERE {cell}.merger_id = %s AND {same_cell} AND ({changed})",
            [merger_id],
        ),
        (
            f"INSERT INTO {cell} (merger_id, account_id, product_id, {columns}) "
            f"SELECT %s, n.account_id, n.product_id, "
            f"{', '.join('n.' + c for c in CELL_COLUMNS)} "
            f"FROM {NEXT} n WHERE NOT EXISTS (SELECT 1 FROM {cell} c "
            "WHERE c.account_id = n.account_id AND c.product_id = n.product_id)",
            [merger_id],
        ),
        _account_totals_sql(merger_id, scope),
    ]


def direction_totals_sql(merger_id: int, scope: list[int]) -> list[tuple[str, list]]:
    """A few accounts' candidates per direction (WhitespaceAccountTotal), from their new
    candidates in NEXT: their rows deleted, then counted again."""
    total = WhitespaceAccountTotal._meta.db_table
    in_scope = f" AND account_id IN ({', '.join(['%s'] * len(scope))})"
    return [
        (f"DELETE FROM {total} WHERE merger_id = %s{in_scope}", [merger_id, *scope]),
        (
            f"INSERT INTO {total} (merger_id, account_id, direction, cells, value) "
            "SELECT %s, n.account_id, n.direction, COUNT(*), SUM(n.potential_value) "
            f"FROM {NEXT} n GROUP BY n.account_id, n.direction",
            [merger_id],
        ),
    ]


def family_totals_sql(merger_id: int, scope: list[int]) -> list[tuple[str, list]]:
    """A few accounts' candidates per product family (WhitespaceFamilyTotal), from their
    new candidates in NEXT: their rows deleted, then counted again."""
    total = WhitespaceFamilyTotal._meta.db_table
    in_scope = f" AND account_id IN ({', '.join(['%s'] * len(scope))})"
    return [
        (f"DELETE FROM {total} WHERE merger_id = %s{in_scope}", [merger_id, *scope]),
        family_totals_insert_sql(NEXT, "", [], merger=merger_id),
    ]


def family_totals_insert_sql(
    cells: str, where: str, params: list, *, merger: int | None = None
) -> tuple[str, list]:
    """INSERT ... SELECT of the family totals counted from `cells` (the cells' table, or
    NEXT: without a merger column, then `merger` is given) with `where` on them (`c`)
    and their product (`p`). Only active products in a family count: the grid's columns
    of a family are its active products."""
    total, product = WhitespaceFamilyTotal._meta.db_table, Product._meta.db_table
    merger_column = "c.merger_id" if merger is None else "%s"
    group_merger = "c.merger_id, " if merger is None else ""
    return (
        f"INSERT INTO {total} (merger_id, account_id, family_id, cells, value) "
        f"SELECT {merger_column}, c.account_id, p.family_id, COUNT(*), SUM(c.potential_value) "
        f"FROM {cells} c JOIN {product} p ON p.id = c.product_id "
        f"WHERE p.family_id IS NOT NULL AND p.is_active{where} "
        f"GROUP BY {group_merger}c.account_id, p.family_id",
        ([] if merger is None else [merger]) + params,
    )


def _account_totals_sql(merger_id: int, scope: list[int] | None) -> tuple[str, list]:
    """Each account's cached whitespace potential: the sum of its new candidates."""
    account = UnifiedAccount._meta.db_table
    in_scope, scope_params = "", []
    if scope is not None:
        in_scope = f" AND a.id IN ({', '.join(['%s'] * len(scope))})"
        scope_params = list(scope)
    return (
        f"UPDATE {account} SET whitespace_value = t.total FROM ("
        f"SELECT a.id, COALESCE(SUM(n.potential_value), 0) AS total FROM {account} a "
        f"LEFT JOIN {NEXT} n ON n.account_id = a.id WHERE a.merger_id = %s{in_scope} "
        f"GROUP BY a.id) t WHERE {account}.id = t.id AND {account}.whitespace_value <> t.total",
        [merger_id, *scope_params],
    )
