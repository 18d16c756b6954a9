"""The product map and what the install base says about it.

Co-ownership counts come from ProductOwnership, which every analysis refresh
recounts from the install base per population (accounts.services.ownership);
each pair is judged in the population that could own both of its products.
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
    Verdict,
    pair_affinity,
    pair_population,
    suggestions,
)

# Co-ownership cannot judge a pair whose target replaces its source.
REPLACING_RELATIONS = frozenset(
    {ProductMapping.Relation.UPGRADE, ProductMapping.Relation.ALTERNATIVE}
)


@dataclass(frozen=True)
class MappedPairEvidence:
    mapping: ProductMapping
    affinity: Affinity

    @property
    def verdict(self) -> Verdict:
        if self.mapping.relation in REPLACING_RELATIONS:
            return Verdict.NOT_MEASURED
        return self.affinity.verdict

    @property
    def no_evidence(self) -> bool:
        """Too few owners of the source among the customers who could own both to say."""
        return self.verdict == Verdict.NO_EVIDENCE

    @property
    def validated_with_customers(self) -> bool:
        return self.mapping.validated_with_customers


def product_affinities(*, merger: Merger) -> InstallBaseCounts:
    """Population sizes, owners and co-owners per population, as last counted."""
    return InstallBaseCounts.of_rows(
        ProductOwnership.objects.filter(merger=merger).values_list(
            "population", "product_id", "other_id", "accounts"
        )
    )


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
    counts: InstallBaseCounts | None = None,
) -> list[Suggestion]:
    """Pairs the install base shows bought together that the map lacks, strongest first.

    By default only pairs across the two companies: those are the merger's new
    cross-sell; pairs within one company's catalogue are its own business.
    `counts`, when given, are product_affinities(merger=merger), already read.
    """
    counts = counts if counts is not None else product_affinities(merger=merger)
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
    *,
    merger: Merger,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    counts: InstallBaseCounts | None = None,
) -> list[MappedPairEvidence]:
    """Each mapped pair with its affinity and whether the install base supports it.

    `counts`, when given, are product_affinities(merger=merger), already read.
    """
    counts = counts if counts is not None else product_affinities(merger=merger)
    return [
        MappedPairEvidence(
            mapping=mapping,
            affinity=pair_affinity(
                mapping.source_id,
                mapping.target_id,
                pair_population(mapping.source.company.role, mapping.target.company.role),
                counts,
                thresholds,
            ),
        )
        for mapping in product_map(merger=merger)
    ]


@dataclass(frozen=True)
class EvidenceSummary:
    """How many mapped pairs each verdict covers, for the page's headline."""

    supports: int
    contradicts: int
    inconclusive: int
    no_evidence: int
    not_measured: int


def evidence_summary(pairs: list[MappedPairEvidence]) -> EvidenceSummary:
    verdicts = [pair.verdict for pair in pairs]
    return EvidenceSummary(**{v.value: verdicts.count(v) for v in Verdict})
