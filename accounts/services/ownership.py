"""Counts of who owns what in the install base, kept in ProductOwnership.

Co-ownership is counted in SQL per unified account: holdings are reduced to
distinct (account, product) pairs first, then self-joined, so each account
contributes once to each pair however many CRM records it has. Over a million
holdings this takes seconds, so it runs with every analysis refresh, in the
background, and the product map only reads the stored counts.
"""

from django.db import connection, transaction

from accounts.models import Holding, LegacyCompany, Merger, ProductOwnership, SourceAccount
from accounts.product_affinity import InstallBaseCounts


def product_ownership_refresh(*, merger_id: int) -> int:
    """Recount the program's install base; returns how many count rows it holds now.

    Counted and replaced under a lock of the merger, so that two refreshes of
    one program neither collide on the counts nor leave the older ones last.
    """
    with transaction.atomic():
        if not Merger.objects.select_for_update().filter(pk=merger_id).exists():
            return 0
        counts = install_base_counts(merger_id=merger_id)
        ProductOwnership.objects.filter(merger_id=merger_id).delete()
        rows = ProductOwnership.objects.bulk_create(_rows(merger_id, counts), batch_size=1000)
    return len(rows)


def _rows(merger_id: int, counts: InstallBaseCounts) -> list[ProductOwnership]:
    rows = [ProductOwnership(merger_id=merger_id, accounts=counts.population)]
    rows += [
        ProductOwnership(merger_id=merger_id, product_id=product_id, accounts=owners)
        for product_id, owners in counts.owners.items()
    ]
    rows += [
        ProductOwnership(merger_id=merger_id, product_id=product_id, other_id=other_id, accounts=n)
        for (product_id, other_id), n in counts.co_owners.items()
    ]
    return rows


def install_base_counts(*, merger_id: int) -> InstallBaseCounts:
    """Owners per product, co-owners per ordered pair and the population, in one query."""
    holding, source, company = (
        Holding._meta.db_table,
        SourceAccount._meta.db_table,
        LegacyCompany._meta.db_table,
    )
    owned = f"""
        SELECT DISTINCT s.unified_id AS unified_id, h.product_id AS product_id
        FROM {holding} h
        JOIN {source} s ON s.id = h.account_id
        JOIN {company} c ON c.id = s.company_id
        WHERE c.merger_id = %s AND s.unified_id IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH owned AS ({owned}) "
            "SELECT product_id, COUNT(*), CAST(NULL AS BIGINT) FROM owned GROUP BY product_id "
            "UNION ALL "
            "SELECT -1, COUNT(DISTINCT unified_id), CAST(NULL AS BIGINT) FROM owned "
            "UNION ALL "
            "SELECT a.product_id, COUNT(*), b.product_id FROM owned a "
            "JOIN owned b ON b.unified_id = a.unified_id AND b.product_id <> a.product_id "
            "GROUP BY a.product_id, b.product_id",
            [merger_id],
        )
        rows = cursor.fetchall()
    owners: dict[int, int] = {}
    co_owners: dict[tuple[int, int], int] = {}
    population = 0
    for product_id, n, other_id in rows:
        if other_id is not None:
            co_owners[(product_id, other_id)] = n
        elif product_id == -1:
            population = n
        else:
            owners[product_id] = n
    return InstallBaseCounts(population=population, owners=owners, co_owners=co_owners)
