"""The whitespace: cross-sell candidates, their value, and the counts the pages read."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from accounts.models.accounts import UnifiedAccount
from accounts.models.cross_sell import Direction, Kind
from accounts.models.fields import ZERO, MoneyField
from accounts.models.product_map import ProductMapping
from accounts.models.products import Product, ProductFamily
from accounts.models.program import Merger
from accounts.models.segments import Segment


class ProductSpend(models.Model):
    """What the CRM install base says customers pay for a product, per segment and overall.

    Derived by the whitespace refresh (accounts.services.whitespace) from CRM
    holdings only, summed per unified account: the whitespace values a cell by
    what comparable accounts pay. A row without product counts a segment's
    customers (accounts owning anything), the base of a product's share there.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    owners = models.PositiveIntegerField(_("accounts owning it"))
    paying = models.PositiveIntegerField(
        _("accounts with a known revenue"), help_text=_("The sample of the median.")
    )
    median_revenue = MoneyField(_("median annual revenue per account"), default=ZERO)

    class Meta:
        verbose_name = _("product spend")
        verbose_name_plural = _("product spend")
        constraints = [
            models.CheckConstraint(
                condition=Q(segment__isnull=False) | Q(product__isnull=False),
                name="spend_segment_or_product",
            ),
            models.CheckConstraint(
                condition=Q(paying__lte=F("owners")) & Q(median_revenue__gte=0),
                name="spend_sample_within_owners",
            ),
            models.UniqueConstraint(
                fields=["merger", "segment"],
                condition=Q(product__isnull=True),
                name="spend_one_population_per_segment",
            ),
            models.UniqueConstraint(
                fields=["merger", "product"],
                condition=Q(segment__isnull=True),
                name="spend_one_program_row_per_product",
            ),
            models.UniqueConstraint(
                fields=["merger", "segment", "product"],
                condition=Q(segment__isnull=False, product__isnull=False),
                name="spend_one_row_per_segment_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment_id}/{self.product_id}: {self.median_revenue}"


class WhitespaceCell(models.Model):
    """A cross-sell candidate: the account owns a mapped source but lacks the target.

    Materialised by accounts.services after imports and product-map changes so
    that the whitespace of a large merger is read, not recomputed per request.
    A prospect or greenfield account is a candidate for the products most of
    its segment's customers own (no mapping: `via` is empty).
    """

    class ValueBasis(models.TextChoices):
        SEGMENT = "segment", _("Median of what comparable accounts in the segment pay")
        PROGRAM = "program", _("Median of what the program's customers pay")
        TYPICAL_DEAL = "typical_deal", _("The product's typical deal size (too few owners)")
        # xgettext:no-python-format
        UPSELL_CAP = "upsell_cap", _("25% of what the account pays now (upsell rule)")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="whitespace")
    account = models.ForeignKey(
        UnifiedAccount, on_delete=models.CASCADE, related_name="whitespace"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="whitespace")
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="whitespace"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.CROSS_SELL
    )
    potential_value = MoneyField(_("potential value"), default=ZERO)
    via = models.ForeignKey(
        ProductMapping, on_delete=models.CASCADE, related_name="candidates", null=True
    )
    value_basis = models.CharField(
        _("value basis"),
        max_length=12,
        choices=ValueBasis.choices,
        default=ValueBasis.TYPICAL_DEAL,
    )
    # When the refresh first found the candidate (refreshes keep unchanged cells):
    # a rep's home lists what is new since their last visit. Set by the database,
    # as the refresh inserts cells in SQL.
    found_at = models.DateTimeField(_("found"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("whitespace candidate")
        verbose_name_plural = _("whitespace candidates")
        constraints = [
            models.UniqueConstraint(fields=["account", "product"], name="whitespace_unique_cell"),
            models.CheckConstraint(
                condition=Q(potential_value__gte=0), name="whitespace_value_non_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["merger", "segment", "direction"]),
            # The grid filtered by products and sorted by potential sums their cells per
            # account from this index alone (accounts.selectors.whitespace.sums).
            models.Index(
                fields=["product", "account"],
                include=["potential_value", "direction"],
                name="whitespace_cell_by_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} x {self.product_id}"


class CandidateCount(models.Model):
    """Whitespace cells counted and valued, so that pages read a total, not the cells.

    Written only by the whitespace refresh, under the same lock and in the same
    transaction as the cells; a total that no longer counts a candidate is deleted.
    """

    cells = models.PositiveIntegerField(_("candidates"))
    value = models.DecimalField(_("potential value"), max_digits=20, decimal_places=2)

    class Meta:
        abstract = True

    @staticmethod
    def counted(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(condition=Q(cells__gt=0) & Q(value__gte=0), name=name)

    @staticmethod
    def per_account(by: str, *, name: str) -> list[models.BaseConstraint]:
        """One account's total per `by`: one row each, kept while it counts candidates."""
        return [
            models.UniqueConstraint(fields=["account", by], name=f"{name}_unique"),
            CandidateCount.counted(f"{name}_positive"),
        ]


class WhitespaceRollup(CandidateCount):
    """Whitespace cells counted and valued per segment x product x direction.

    The whitespace page's totals and heatmap read these few thousand rows, not
    the million cells of a large program: grouping the cells on every cold
    request cost about a second there. Recounted whole for the program, adjusted
    by the difference for a few accounts.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="whitespace_rollup")
    # Cascades, unlike a cell's segment: the next refresh counts those cells unsegmented.
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)

    class Meta:
        verbose_name = _("whitespace rollup")
        verbose_name_plural = _("whitespace rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["merger", "segment", "product", "direction"],
                condition=Q(segment__isnull=False),
                name="whitespace_rollup_unique_segment",
            ),
            models.UniqueConstraint(
                fields=["merger", "product", "direction"],
                condition=Q(segment__isnull=True),
                name="whitespace_rollup_unique_unsegmented",
            ),
            CandidateCount.counted("whitespace_rollup_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.segment_id} x {self.product_id} ({self.direction})"


class WhitespaceAccountTotal(CandidateCount):
    """One account's whitespace candidates counted and valued per direction.

    The whitespace grid filtered by a direction lists the accounts with the largest
    potential in that direction first; summing their cells per request read a million
    rows on a large program (seconds), these rows are one per account and direction.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        UnifiedAccount, on_delete=models.CASCADE, related_name="whitespace_totals"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)

    class Meta:
        verbose_name = _("account whitespace by direction")
        verbose_name_plural = _("account whitespace by direction")
        constraints = CandidateCount.per_account("direction", name="whitespace_account_total")
        indexes = [
            models.Index(fields=["merger", "direction", "account"]),
            # The grid's largest potential in a direction first, walked down to one page.
            models.Index(
                fields=["merger", "direction", "-value"], name="whitespace_total_by_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} ({self.direction})"


class WhitespaceFamilyTotal(CandidateCount):
    """One account's whitespace candidates among a product family's active products.

    The whitespace grid filtered by a product family and sorted by potential lists the
    accounts with the largest potential there first; summing their cells per request
    read millions of rows on a large program (hundreds of milliseconds before the first
    row), these rows are one per account and family. A product's family or activity
    changing recounts its families at once (accounts.services.products).
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(UnifiedAccount, on_delete=models.CASCADE, related_name="+")
    # Indexed by whitespace_family_by_value below, which leads with it.
    family = models.ForeignKey(
        ProductFamily, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("account whitespace by product family")
        verbose_name_plural = _("account whitespace by product family")
        constraints = CandidateCount.per_account("family", name="whitespace_family_total")
        indexes = [
            # The grid's largest potential in a family first, from the index alone: with
            # the account in it, the page and the family's count are an index-only scan
            # (a heap read per row took 240 ms for 180k accounts of a family).
            models.Index(
                fields=["family", "-value", "account"], name="whitespace_family_by_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} ({self.family_id})"
