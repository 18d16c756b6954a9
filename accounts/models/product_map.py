"""The product map: which products' owners are candidates for which, and who owns what together."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models.fields import user_field
from accounts.models.products import Product
from accounts.models.program import Merger


class ProductOwnership(models.Model):
    """How many unified accounts own a product, or a pair of products, per the install base.

    Derived on every analysis refresh (accounts.services.ownership) so that the
    product map reads a few hundred rows instead of self-joining a million
    holdings. Counts are per population (accounts.product_affinity.Population):
    the customers of both companies, of the acquirer, of the acquired company.
    The row without products counts the population's accounts that own
    anything; a pair is counted in its own population only.
    """

    class Population(models.TextChoices):
        # Same values as accounts.product_affinity.Population.
        BOTH = "both", _("Customers of both companies")
        ACQUIRER = "acquirer", _("Customers of the acquirer")
        ACQUIRED = "acquired", _("Customers of the acquired company")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="+")
    population = models.CharField(_("population"), max_length=10, choices=Population.choices)
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    accounts = models.PositiveIntegerField(_("accounts"))

    class Meta:
        verbose_name = _("product ownership count")
        verbose_name_plural = _("product ownership counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(other__isnull=True) | Q(product__isnull=False),
                name="ownership_pair_has_both_products",
            ),
            models.CheckConstraint(
                condition=Q(population__in=["both", "acquirer", "acquired"]),
                name="ownership_known_population",
            ),
            models.UniqueConstraint(
                fields=["merger", "population"],
                condition=Q(product__isnull=True),
                name="ownership_one_population",
            ),
            models.UniqueConstraint(
                fields=["merger", "population", "product"],
                condition=Q(product__isnull=False, other__isnull=True),
                name="ownership_one_per_product",
            ),
            models.UniqueConstraint(
                fields=["merger", "product", "other"],
                condition=Q(other__isnull=False),
                name="ownership_one_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.population} {self.product_id}+{self.other_id}: {self.accounts}"


class ProductMapping(models.Model):
    """A directed pair: owners of the source product are candidates for the target."""

    class Relation(models.TextChoices):
        COMPLEMENTARY = "complementary", _("Complementary (completes a solution)")
        ACCESSORY = "accessory", _("Accessory / add-on")
        SERVICE = "service", _("Service (install, warranty, support)")
        ALTERNATIVE = "alternative", _("Alternative")
        UPGRADE = "upgrade", _("Upgrade (upsell)")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="product_map")
    source = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="maps_to")
    target = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="mapped_from")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    reason = models.CharField(_("reason"), max_length=500)
    validated_with_customers = models.BooleanField(_("validated with customers"), default=False)
    created_by = user_field(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product map pair")
        verbose_name_plural = _("product map")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="mapping_unique_pair"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="mapping_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"
