"""Reps' core and cross-sell quotas per month or quarter."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, MoneyField, currency_code_q, currency_field
from tracker.models.org import Rep
from tracker.pipeline_math import add_months


class QuotaQuerySet(models.QuerySet):
    def sharing_months(self, first: date, last: date) -> "QuotaQuerySet":
        """Quotas with a month in first..last (month starts): those starting in it,
        and quarters starting up to two months before it."""
        earlier_quarter = Q(
            period_kind=Quota.Period.QUARTER,
            period_start__gte=add_months(first, -2),
            period_start__lt=first,
        )
        return self.filter(Q(period_start__gte=first, period_start__lte=last) | earlier_quarter)


class Quota(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="quotas")
    period_kind = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.MONTH
    )
    period_start = models.DateField(_("period start"))
    # In the program's reporting currency, at the rate of the period's first month;
    # every figure sums these.
    core_amount = MoneyField(_("core quota"), default=ZERO)
    cross_sell_amount = MoneyField(_("cross-sell quota"), default=ZERO)
    # As entered; blank currency means the reporting currency.
    currency = currency_field()
    core_amount_original = MoneyField(_("core quota, as entered"), null=True, blank=True)
    cross_sell_amount_original = MoneyField(
        _("cross-sell quota, as entered"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "period_start"], name="quota_one_per_period"),
            models.CheckConstraint(
                condition=Q(core_amount__gte=0) & Q(cross_sell_amount__gte=0),
                name="quota_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1), name="quota_starts_on_first_of_month"
            ),
            models.CheckConstraint(condition=currency_code_q(), name="quota_currency_iso_code"),
        ]

    def __str__(self) -> str:
        return f"{self.rep} {self.period_start:%Y-%m}"

    def entered(self, field: str) -> Decimal:
        """The amount `field` as entered, in `currency` (older rows: the reporting amount)."""
        original = getattr(self, f"{field}_original")
        return getattr(self, field) if original is None else original
