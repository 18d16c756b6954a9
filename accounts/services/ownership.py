"""Counts of who owns what in the install base, kept in ProductOwnership.

Co-ownership is counted in SQL per unified account: holdings are reduced to
distinct (account, product) pairs first, then self-joined, so each account
contributes once to each pair however many CRM records it has. Each count is
kept per population (accounts.product_affinity): a pair across the companies
is counted among the customers of both, a pair of one company's products
among that company's customers, and owners of a product in both populations
it can be judged in. Over a million holdings this takes seconds, so it runs
with every analysis refresh, in the background, and the product map only
reads the stored counts.
"""

from django.db import connection, transaction

from accounts.models import (
    Holding,
    LegacyCompany,
    Merger,
    Product,
    ProductOwnership,
    SourceAccount,
    UnifiedAccount,
)
from accounts.product_affinity import InstallBaseCounts, Population

Status = UnifiedAccount.Status
# The customer statuses that place an account in each population.
POPULATION_STATUSES: dict[Population, tuple[str, ...]] = {
    Population.BOTH: (Status.BOTH,),
    Population.ACQUIRER: (Status.ACQUIRER_ONLY, Status.BOTH),
    Population.ACQUIRED: (Status.ACQUIRED_ONLY, Status.BOTH),
}


def product_ownership_refresh(*, merger_id: int) -> int:
    """Recount the program's install base; returns how many count rows it holds now.

    Counted and replaced under a lock of the merger, so that two refreshes of
    one program neither collide on the counts nor leave the older ones last.
    Reads the customer statuses, so it runs after account_statuses_refresh.
    """
    with transaction.atomic():
        # NO KEY, as the whitespace refresh's lock: rows pointing at the program can still
        # be written meanwhile.
        if not Merger.objects.select_for_update(no_key=True).filter(pk=merger_id).exists():
            return 0
        counts = install_base_counts(merger_id=merger_id)
        ProductOwnership.objects.filter(merger_id=merger_id).delete()
        rows = ProductOwnership.objects.bulk_create(_rows(merger_id, counts), batch_size=1000)
    return len(rows)


def _rows(merger_id: int, counts: InstallBaseCounts) -> list[ProductOwnership]:
    rows = [
        ProductOwnership(merger_id=merger_id, population=population, accounts=n)
        for population, n in counts.populations.items()
    ]
    rows += [
        ProductOwnership(
            merger_id=merger_id, population=population, product_id=product_id, accounts=n
        )
        for (population, product_id), n in counts.owners.items()
    ]
    rows += [
        ProductOwnership(
            merger_id=merger_id,
            population=population,
            product_id=product_id,
            other_id=other_id,
            accounts=n,
        )
        for (population, product_id, other_id), n in counts.co_owners.items()
    ]
    return rows


def _memberships() -> str:
    """(population, status) rows: which statuses each population takes in, as SQL."""
    return " UNION ALL ".join(
        f"SELECT '{population.value}' AS population, '{status}' AS status"
        for population, statuses in POPULATION_STATUSES.items()
        for status in statuses
    )


def counting_sql() -> str:
    """One statement: population sizes, owners per population, co-owners per pair.

    Population and status values are code constants, written into the SQL; the
    merger id is the only parameter.
    """
    holding, source, company, product, unified = (
        Holding._meta.db_table,
        SourceAccount._meta.db_table,
        LegacyCompany._meta.db_table,
        Product._meta.db_table,
        UnifiedAccount._meta.db_table,
    )
    both = Population.BOTH.value
    return f"""
        WITH owned AS (
            SELECT DISTINCT s.unified_id AS unified_id, h.product_id AS product_id,
                pc.role AS role, u.status AS status
            FROM {holding} h
            JOIN {source} s ON s.id = h.account_id
            JOIN {company} c ON c.id = s.company_id
            JOIN {unified} u ON u.id = s.unified_id
            JOIN {product} p ON p.id = h.product_id
            JOIN {company} pc ON pc.id = p.company_id
            WHERE c.merger_id = %s
        ),
        member AS ({_memberships()}),
        pairs AS (
            SELECT a.unified_id AS unified_id, a.status AS status,
                a.product_id AS product_id, b.product_id AS other_id,
                CASE WHEN a.role = b.role THEN a.role ELSE '{both}' END AS population
            FROM owned a
            JOIN owned b ON b.unified_id = a.unified_id AND b.product_id <> a.product_id
        )
        SELECT m.population, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
            COUNT(DISTINCT o.unified_id)
        FROM owned o JOIN member m ON m.status = o.status
        GROUP BY m.population
        UNION ALL
        SELECT m.population, o.product_id, CAST(NULL AS BIGINT), COUNT(*)
        FROM owned o JOIN member m ON m.status = o.status
        WHERE m.population IN ('{both}', o.role)
        GROUP BY m.population, o.product_id
        UNION ALL
        SELECT pairs.population, pairs.product_id, pairs.other_id, COUNT(*)
        FROM pairs JOIN member m ON m.status = pairs.status AND m.population = pairs.population
        GROUP BY pairs.population, pairs.product_id, pairs.other_id
    """


def install_base_counts(*, merger_id: int) -> InstallBaseCounts:
    """Population sizes, owners and co-owners per population, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(counting_sql(), [merger_id])
        rows = cursor.fetchall()
    return InstallBaseCounts.of_rows(rows)
