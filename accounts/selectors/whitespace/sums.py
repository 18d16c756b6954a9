"""One page of the whitespace grid by the summed potential of some products' candidates.

Filtered by a company or a product family and sorted by potential, the grid
lists the accounts with a candidate among those products, the largest sum
first, then by name and id. Every account's sum is needed before the first
row, so the candidates are summed per account id alone (from an index of
product, account and value). Only the sums up to the page's last one, and every
sum tied with it, are then sorted with their names: the page is the one a sort
of all accounts by (sum, name, id) gives, without joining and sorting the whole
program's accounts by name (over a second on 100k accounts). The ORM cannot cut
a grouped subquery that way, so the compiled queryset is put together with the
rest in SQL here. Filtered by a product family alone, the sums are read from the
refresh's totals per account and family instead (`family_sums`): one row per
account, not its cells.
"""

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum

from accounts.models import UnifiedAccount, WhitespaceCell, WhitespaceFamilyTotal

# The columns a page of the grid shows of each account, whichever way the page is sorted.
PAGE_FIELDS = (
    "id",
    "name",
    "status",
    "segment__name",
    "recommendation",
    "recommendation_reason",
    "connection_strength",
)


def candidate_sums(accounts: QuerySet[UnifiedAccount] | None, *, cell_filter: Q) -> QuerySet:
    """Per account of `accounts` (None: any account the cells are on) with candidates in
    `cell_filter`: `account_id` and `potential`, their summed value."""
    cells = WhitespaceCell.objects.filter(cell_filter)
    if accounts is not None:
        cells = cells.filter(account__in=accounts.values("pk"))
    return cells.values("account_id").annotate(potential=Sum("potential_value")).order_by()


def family_sums(accounts: QuerySet[UnifiedAccount] | None, *, family: int) -> QuerySet:
    """As `candidate_sums` for the candidates among a product family's active products,
    read from the totals the whitespace refresh keeps per account and family."""
    totals = WhitespaceFamilyTotal.objects.filter(family_id=family)
    if accounts is not None:
        totals = totals.filter(account__in=accounts.values("pk"))
    return totals.values("account_id", potential=F("value")).order_by()


def accounts_by_candidate_sum(
    sums: QuerySet, *, page: int, size: int
) -> tuple[list[UnifiedAccount], int]:
    """The page of the accounts in `sums` (`candidate_sums` or `family_sums`: one row per
    account, with its `potential`), by that potential, then name and id; and how many
    such accounts there are. Past the end: the last page."""
    sums_sql, sums_params = sums.query.sql_with_params()
    quote = connection.ops.quote_name
    name_of = (
        f"(SELECT {quote('name')} FROM {quote(UnifiedAccount._meta.db_table)} named "
        f"WHERE named.{quote('id')} = top.account_id)"
    )
    if connection.vendor == "postgresql":
        # One pass over the sums: the first rows up to the page's last, with every row
        # tied with it (FETCH ... WITH TIES), counted before they are cut.
        page_sql = (
            "SELECT top.account_id, top.total FROM (SELECT sums.account_id, sums.potential, "
            f"COUNT(*) OVER () AS total FROM ({sums_sql}) sums "
            "ORDER BY sums.potential DESC FETCH FIRST (%s) ROWS WITH TIES) top "
            f"ORDER BY top.potential DESC, {name_of}, top.account_id LIMIT %s OFFSET %s"
        )
        last_of_page = 0
    else:
        # The same rows where FETCH ... WITH TIES is missing: those at least as large as
        # the page's last one; with fewer rows, 0: all of them (values are never negative,
        # WhitespaceCell says so).
        page_sql = (
            f"WITH sums AS ({sums_sql}) "
            "SELECT top.account_id, (SELECT COUNT(*) FROM sums) FROM sums top "
            "WHERE top.potential >= COALESCE((SELECT edge.potential FROM sums edge "
            "ORDER BY edge.potential DESC LIMIT 1 OFFSET %s), 0) "
            f"ORDER BY top.potential DESC, {name_of}, top.account_id LIMIT %s OFFSET %s"
        )
        last_of_page = -1

    def read(number: int) -> list[tuple[int, int]]:
        offsets = (number * size + last_of_page, size, (number - 1) * size)
        with connection.cursor() as cursor:
            cursor.execute(page_sql, (*sums_params, *offsets))
            return cursor.fetchall()

    rows = read(page)
    if not rows and page > 1:
        # Past the end (a stale link, fewer accounts after a filter): the last page.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sums_sql}) sums", sums_params)
            total = cursor.fetchone()[0]
        rows = read(-(-total // size)) if total else []
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
