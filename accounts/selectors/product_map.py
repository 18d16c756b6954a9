"""The product map and what the install base says about it.

Co-ownership counts come from ProductOwnership, which every analysis refresh
recounts from the install base (accounts.services.ownership).
"""

from dataclasses import dataclass

from django.db.models import Case, QuerySet, When

from accounts.models import LegacyCompany, Merger, Product, ProductMapping, ProductOwnership
from accounts.product_affinity import (
    DEFAULT_THRESHOLDS,
    SUGGESTION_LIMIT,
    Affinity,
    InstallBaseCounts,
    Thresholds,
    pair_affinity,
    suggestions,
)


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


def product_affinities(*, merger: Merger) -> InstallBaseCounts:
    """Owners per product, co-owners per ordered pair and the population, as last counted."""
    owners: dict[int, int] = {}
    co_owners: dict[tuple[int, int], int] = {}
    population = 0
    rows = ProductOwnership.objects.filter(merger=merger).values_list(
        "product_id", "other_id", "accounts"
    )
    for product_id, other_id, accounts in rows:
        if product_id is None:
            population = accounts
        elif other_id is None:
            owners[product_id] = accounts
        else:
            co_owners[(product_id, other_id)] = accounts
    return InstallBaseCounts(population=population, owners=owners, co_owners=co_owners)


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
