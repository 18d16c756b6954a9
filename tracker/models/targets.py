"""The deal model's synergy targets."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, Merger, MoneyField, Segment, currency_code_q, currency_field


class SynergyTarget(models.Model):
    """The deal model's promise for one month: program-wide or for one segment."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="targets")
    month = models.DateField(_("month"))
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    # In the program's reporting currency, at the rate of the month; figures sum these.
    revenue_synergy = MoneyField(_("revenue synergy target"), default=ZERO)
    cross_sell = MoneyField(_("cross-sell revenue target"), default=ZERO)
    # As entered; blank currency means the reporting currency.
    currency = currency_field()
    revenue_synergy_original = MoneyField(
        _("revenue synergy target, as entered"), null=True, blank=True
    )
    cross_sell_original = MoneyField(
        _("cross-sell revenue target, as entered"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("synergy target")
        verbose_name_plural = _("synergy targets")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["merger", "month"],
                condition=Q(segment__isnull=True),
                name="target_one_program_row_per_month",
            ),
            models.UniqueConstraint(
                fields=["merger", "month", "segment"],
                condition=Q(segment__isnull=False),
                name="target_one_segment_row_per_month",
            ),
            models.CheckConstraint(
                condition=Q(revenue_synergy__gte=0) & Q(cross_sell__gte=0),
                name="target_non_negative",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="target_month_first_day"),
            models.CheckConstraint(condition=currency_code_q(), name="target_currency_iso_code"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.cross_sell}"
