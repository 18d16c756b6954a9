"""Each legacy company's products, and the install base: which CRM account owns which."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.accounts import SourceAccount
from accounts.models.companies import LegacyCompany
from accounts.models.fields import (
    ZERO,
    MoneyField,
    awaiting_rate_field,
    currency_code_q,
    currency_field,
    rate_month_field,
)


class ProductFamily(models.Model):
    company = models.ForeignKey(LegacyCompany, on_delete=models.CASCADE, related_name="families")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("product family")
        verbose_name_plural = _("product families")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="family_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class SalesCycle(models.TextChoices):
        SHORT = "short", _("Short, transactional")
        LONG = "long", _("Long, capital-intensive")

    company = models.ForeignKey(LegacyCompany, on_delete=models.CASCADE, related_name="products")
    family = models.ForeignKey(
        ProductFamily, on_delete=models.SET_NULL, null=True, blank=True, related_name="products"
    )
    code = models.CharField(_("product code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    list_price = MoneyField(_("list price"), default=ZERO)
    typical_deal_size = MoneyField(_("typical deal size"), default=ZERO)
    sales_cycle = models.CharField(
        _("sales cycle"), max_length=10, choices=SalesCycle.choices, default=SalesCycle.SHORT
    )
    typical_cycle_days = models.PositiveSmallIntegerField(_("typical cycle (days)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)
    # The prices above are in the reporting currency; as the CRM gave them:
    currency = currency_field()
    list_price_original = MoneyField(_("list price, as entered"), null=True)
    typical_deal_size_original = MoneyField(_("typical deal size, as entered"), null=True)
    awaiting_rate = awaiting_rate_field()
    rate_month = rate_month_field()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="product_unique_code"),
            models.CheckConstraint(
                condition=Q(list_price__gte=0) & Q(typical_deal_size__gte=0),
                name="product_prices_non_negative",
            ),
            models.CheckConstraint(condition=currency_code_q(), name="product_currency_iso_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The database refuses it too (migration 0031); this names the field.
        if self.family_id is not None and self.family.company_id != self.company_id:
            raise ValidationError({"family": _("The family belongs to another company.")})


class Holding(models.Model):
    """Install base: this CRM account owns this product."""

    class Origin(models.TextChoices):
        CRM = "crm", _("CRM install base")
        WON_DEAL = "won_deal", _("Deal won in the program")

    account = models.ForeignKey(SourceAccount, on_delete=models.CASCADE, related_name="holdings")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="holdings")
    annual_revenue = MoneyField(_("annual revenue"), default=ZERO)
    # annual_revenue is in the reporting currency; as the CRM (or the won deal) gave it:
    currency = currency_field()
    annual_revenue_original = MoneyField(_("annual revenue, as entered"), null=True)
    awaiting_rate = awaiting_rate_field()
    rate_month = rate_month_field()
    since = models.DateField(_("owned since"), null=True, blank=True)
    crm_id = models.CharField(_("CRM record id"), max_length=64, blank=True)
    # A won deal's sale, written and undone by accounts.services.won_holdings as
    # the deal is won, corrected, reopened or deleted; the deal links to it.
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.CRM, editable=False
    )

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("install base")
        constraints = [
            models.UniqueConstraint(fields=["account", "product"], name="holding_unique_product"),
            models.CheckConstraint(
                condition=Q(annual_revenue__gte=0), name="holding_revenue_non_negative"
            ),
            models.CheckConstraint(condition=currency_code_q(), name="holding_currency_iso_code"),
            # A sale is dated by its deal's close date: customer-since dates read it.
            models.CheckConstraint(
                condition=~Q(origin="won_deal") | Q(since__isnull=False),
                name="holding_won_deal_has_date",
            ),
        ]
        indexes = [models.Index(fields=["product", "account"])]

    def __str__(self) -> str:
        return f"{self.account_id} owns {self.product_id}"
