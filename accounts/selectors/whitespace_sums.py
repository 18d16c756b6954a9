"""One page of the whitespace grid by the summed potential of some products' candidates.

Filtered by a company or a product family and sorted by potential, the grid
lists the accounts with a candidate among those products, the largest sum
first, then by name and id. The candidates are summed per account id alone and
only those sums are joined to the accounts (for the name and the grid's
account filters); the page's accounts are read afterwards. Grouping the
accounts joined to their segment, every column of each, made the database sort
and keep the whole program's wide rows (over a second on 100k accounts). The
ORM cannot join a grouped subquery, so the two compiled querysets are joined
in SQL here.
"""

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from accounts.models import UnifiedAccount, WhitespaceCell

PAGE_FIELDS = (
    "id",
    "name",
    "status",
    "segment__name",
    "recommendation",
    "recommendation_reason",
    "connection_strength",
)


def accounts_by_candidate_sum(
    accounts: QuerySet[UnifiedAccount], *, cell_filter: Q, page: int, size: int
) -> tuple[list[UnifiedAccount], int]:
    """The page of `accounts` with candidates in `cell_filter`, by their summed value, then
    name and id; and how many such accounts there are. Past the end: the last page."""
    sums_sql, sums_params = (
        WhitespaceCell.objects.filter(cell_filter)
        .values("account_id")
        .annotate(potential=Sum("potential_value"))
        .order_by()
        .query.sql_with_params()
    )
    listed = accounts.order_by().values("id", "name")
    accounts_sql, accounts_params = listed.query.sql_with_params()
    joined = (
        f"FROM ({sums_sql}) sums INNER JOIN ({accounts_sql}) listed ON listed.id = sums.account_id"
    )
    params = (*sums_params, *accounts_params)
    # Every account's sum is needed before the first row anyway: the count rides along.
    page_sql = (
        f"SELECT sums.account_id, COUNT(*) OVER () {joined} "
        "ORDER BY sums.potential DESC, listed.name ASC, listed.id ASC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(page_sql, (*params, size, (page - 1) * size))
        rows = cursor.fetchall()
        if not rows and page > 1:
            # Past the end (a stale link, fewer accounts after a filter): the last page.
            cursor.execute(f"SELECT COUNT(*) {joined}", params)
            total = cursor.fetchone()[0]
            if total:
                last = -(-total // size)
                cursor.execute(page_sql, (*params, size, (last - 1) * size))
                rows = cursor.fetchall()
    if not rows:
        return [], 0
    ids = [account_id for account_id, _total in rows]
    found = (
        UnifiedAccount.objects.filter(pk__in=ids)
        .select_related("segment")
        .only(*PAGE_FIELDS)
        .order_by()
    )
    by_id = {account.pk: account for account in found}
    return [by_id[pk] for pk in ids], rows[0][1]
