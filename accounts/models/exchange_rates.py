"""The monthly exchange rates amounts convert at."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.fields import user_field
from accounts.models.program import Merger


class ExchangeRate(models.Model):
    """How many units of the program's reporting currency one unit of a currency is worth
    in a month. Amounts dated in the month convert at it (accounts.money)."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="exchange_rates")
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rate = models.DecimalField(
        _("rate to the reporting currency"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the reporting currency for one unit of this currency."),
    )
    updated_by = user_field()
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["merger", "currency", "month"],
                name="rate_one_per_currency_and_month",
                violation_error_message=_("This currency already has a rate for this month."),
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="rate_currency_iso_code"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="rate_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m}: {self.rate}"
