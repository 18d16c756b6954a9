"""The product map and what the install base says about it.

Co-ownership is counted in SQL per unified account: holdings are reduced to
distinct (account, product) pairs first, then self-joined, so each account
contributes once to each pair however many CRM records it has. For 1M
holdings this is a heavy query, so its result is cached until the next
analysis refresh (accounts.services.whitespace forgets it).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, QuerySet, When

from accounts.models import (
    Holding,
    LegacyCompany,
    Merger,
    Product,
    ProductMapping,
    SourceAccount,
)
from accounts.product_affinity import (
    DEFAULT_THRESHOLDS,
    SUGGESTION_LIMIT,
    Affinity,
    InstallBaseCounts,
    Thresholds,
    pair_affinity,
    suggestions,
)

AFFINITY_CACHE_SECONDS = 6 * 60 * 60


@dataclass(frozen=True)
class MappedPairEvidence:
    mapping: ProductMapping
    affinity: Affinity

    @property
    def no_evidence(self) -> bool:
        """Mapped, but the install base does not show the pair being bought together."""
        return not self.affinity.has_evidence

    @property
    def validated_with_customers(self) -> bool:
        return self.mapping.validated_with_customers


def _owned_pairs_sql() -> str:
    holding, source, company = (
        Holding._meta.db_table,
        SourceAccount._meta.db_table,
        LegacyCompany._meta.db_table,
    )
    return f"""
        SELECT DISTINCT s.unified_id AS unified_id, h.product_id AS product_id
        FROM {holding} h
        JOIN {source} s ON s.id = h.account_id
        JOIN {company} c ON c.id = s.company_id
        WHERE c.merger_id = %s AND s.unified_id IS NOT NULL
    """


def _count_install_base(merger_id: int) -> InstallBaseCounts:
    owned = _owned_pairs_sql()
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


def _cache_key(merger: Merger) -> str:
    # The creation time keeps keys apart when a database reuses a merger id.
    return f"accounts:install-base-counts:{merger.pk}:{merger.created_at.timestamp()}"


def product_affinities(*, merger: Merger) -> InstallBaseCounts:
    """Owners per product, co-owners per ordered pair and the population, in one query."""
    key = _cache_key(merger)
    counts = cache.get(key)
    if counts is None:
        counts = _count_install_base(merger.pk)
        cache.set(key, counts, AFFINITY_CACHE_SECONDS)
    return counts


def product_affinities_forget(*, merger: Merger) -> None:
    cache.delete(_cache_key(merger))


def product_map(*, merger: Merger) -> QuerySet[ProductMapping]:
    return (
        ProductMapping.objects.filter(merger=merger)
        .select_related("source__company", "target__company", "source__family", "target__family")
        .order_by(
            Case(When(source__company__role=LegacyCompany.Role.ACQUIRER, then=0), default=1),
            "source__name",
            "target__name",
            "id",
        )
    )


@dataclass(frozen=True)
class Suggestion:
    affinity: Affinity
    source: Product
    target: Product


def product_map_suggestions(
    *,
    merger: Merger,
    cross_company_only: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    limit: int = SUGGESTION_LIMIT,
) -> list[Suggestion]:
    """Pairs the install base shows bought together that the map lacks, strongest first.

    By default only pairs across the two companies: those are the merger's new
    cross-sell; pairs within one company's catalogue are its own business.
    """
    counts = product_affinities(merger=merger)
    mapped = ProductMapping.objects.filter(merger=merger).values_list("source_id", "target_id")
    products = Product.objects.filter(company__merger=merger).select_related("company", "family")
    by_id = {p.pk: p for p in products}
    found = suggestions(counts, mapped, thresholds, limit=len(counts.co_owners))
    result = []
    for affinity in found:
        source, target = by_id.get(affinity.source_id), by_id.get(affinity.target_id)
        if source is None or target is None:
            continue
        if cross_company_only and source.company_id == target.company_id:
            continue
        result.append(Suggestion(affinity=affinity, source=source, target=target))
        if len(result) >= limit:
            break
    return result


def product_map_with_evidence(
    *, merger: Merger, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[MappedPairEvidence]:
    """Each mapped pair with its affinity and whether the install base supports it."""
    counts = product_affinities(merger=merger)
    return [
        MappedPairEvidence(
            mapping=mapping,
            affinity=pair_affinity(mapping.source_id, mapping.target_id, counts, thresholds),
        )
        for mapping in product_map(merger=merger)
    ]
