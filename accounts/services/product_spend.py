"""What customers pay for each product, per segment and program-wide, from the CRM install base.

The whitespace values a candidate by what comparable accounts pay for the
product, so the medians are counted once per whitespace refresh into
`ProductSpend` (a few hundred rows) instead of over a million holdings for
every account that changes. Only holdings the CRMs reported count: a deal the
program won is priced by its own amount, not evidence of what a customer pays
a year, and keeping wins out means a win never moves another account's value.
"""

from django.db import connection

from accounts.models import Holding, ProductSpend, SourceAccount, UnifiedAccount


def _paid_sql() -> str:
    """Per unified account and product: its segment and what it pays, summed over its records."""
    holding, source, account = (
        Holding._meta.db_table,
        SourceAccount._meta.db_table,
        UnifiedAccount._meta.db_table,
    )
    return f"""
        paid AS (
            SELECT s.unified_id AS unified_id, a.segment_id AS segment_id,
                   h.product_id AS product_id, SUM(h.annual_revenue) AS revenue
            FROM {holding} h
            JOIN {source} s ON s.id = h.account_id
            JOIN {account} a ON a.id = s.unified_id
            WHERE a.merger_id = %(merger)s AND h.origin = %(crm)s
            GROUP BY s.unified_id, a.segment_id, h.product_id
        )
    """


def _product_rows_sql(*, by_segment: bool) -> str:
    """Owners, paying accounts and the median revenue per (segment,) product.

    The median is the middle row, or the mean of the two middle rows, of the
    paying accounts ranked by revenue: portable SQL, no median function needed.
    """
    table = ProductSpend._meta.db_table
    keys = "segment_id, product_id" if by_segment else "product_id"
    scope = "segment_id IS NOT NULL" if by_segment else "1 = 1"
    join = "m.product_id = o.product_id" + (
        " AND m.segment_id = o.segment_id" if by_segment else ""
    )
    segment = "o.segment_id" if by_segment else "NULL"
    return f"""
        WITH {_paid_sql()},
        ranked AS (
            SELECT {keys}, revenue,
                   ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY revenue) AS rn,
                   COUNT(*) OVER (PARTITION BY {keys}) AS n
            FROM paid WHERE revenue > 0 AND {scope}
        ),
        medians AS (
            SELECT {keys}, ROUND(AVG(revenue), 2) AS median, MAX(n) AS paying
            FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
            GROUP BY {keys}
        ),
        owners AS (
            SELECT {keys}, COUNT(*) AS owners FROM paid WHERE {scope} GROUP BY {keys}
        )
        INSERT INTO {table} (merger_id, segment_id, product_id, owners, paying, median_revenue)
        SELECT %(merger)s, {segment}, o.product_id, o.owners,
               COALESCE(m.paying, 0), COALESCE(m.median, 0)
        FROM owners o LEFT JOIN medians m ON {join}
    """


def _population_sql() -> str:
    table = ProductSpend._meta.db_table
    return f"""
        WITH {_paid_sql()}
        INSERT INTO {table} (merger_id, segment_id, product_id, owners, paying, median_revenue)
        SELECT %(merger)s, segment_id, NULL, COUNT(DISTINCT unified_id), 0, 0
        FROM paid WHERE segment_id IS NOT NULL GROUP BY segment_id
    """


def product_spend_refresh(*, merger_id: int) -> int:
    """Recount the program's spend rows; returns how many there are. The caller holds the
    merger's lock (accounts.services.whitespace), so two recounts never interleave."""
    ProductSpend.objects.filter(merger_id=merger_id).delete()
    params = {"merger": merger_id, "crm": Holding.Origin.CRM.value}
    with connection.cursor() as cursor:
        for sql in (
            _product_rows_sql(by_segment=True),
            _product_rows_sql(by_segment=False),
            _population_sql(),
        ):
            cursor.execute(sql, params)
    return ProductSpend.objects.filter(merger_id=merger_id).count()
