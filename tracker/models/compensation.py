"""Credit for won deals, and the comp plans that pay for them."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, Merger, MoneyField, PercentField, currency_code_q, currency_field
from tracker.models.opportunities import Opportunity
from tracker.models.org import Rep


class CreditSplit(models.Model):
    """Who is credited for a won deal: splits sum to 100%, overlay credit is extra."""

    class Kind(models.TextChoices):
        SPLIT = "split", _("Split")
        OVERLAY = "overlay", _("Overlay")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="credits")
    rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="credits")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SPLIT)
    percent = PercentField(
        _("percent"), validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)]
    )
    role_note = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("credit split")
        verbose_name_plural = _("credit splits")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "rep", "kind"], name="credit_unique"),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="credit_percent_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.percent}% {self.kind}"


class CompPlan(models.Model):
    class Spif(models.TextChoices):
        NONE = "none", _("No SPIF")
        FLAT = "flat", _("Flat amount per won cross-sell")
        PERCENT = "percent", _("Percent of won cross-sell amount")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="comp_plans")
    name = models.CharField(_("name"), max_length=120)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    for_leaders = models.BooleanField(_("plan for leaders"), default=False)
    # Money in the program's reporting currency, at the rate of the plan's first
    # month; the originals keep what was entered, in `currency`.
    target_variable_pay = MoneyField(_("target variable pay"), default=ZERO)
    cross_sell_share_pct = PercentField(_("cross-sell share of variable pay %"), default=ZERO)
    spif_kind = models.CharField(_("SPIF"), max_length=8, choices=Spif.choices, default=Spif.NONE)
    spif_amount = MoneyField(_("SPIF amount"), default=ZERO)
    currency = currency_field()
    target_variable_pay_original = MoneyField(
        _("target variable pay, as entered"), null=True, blank=True
    )
    spif_amount_original = MoneyField(_("SPIF amount, as entered"), null=True, blank=True)
    spif_percent = PercentField(_("SPIF %"), default=ZERO)
    president_club_requires_cross_sell = models.BooleanField(
        _("cross-sell quota met is a condition of President's Club"), default=False
    )
    recognition = models.CharField(_("other recognition"), max_length=255, blank=True)
    reps = models.ManyToManyField(Rep, related_name="comp_plans", blank=True)

    class Meta:
        verbose_name = _("comp plan")
        verbose_name_plural = _("comp plans")
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="comp_plan_unique_name"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="comp_plan_period_order"
            ),
            models.CheckConstraint(
                condition=Q(cross_sell_share_pct__gte=0, cross_sell_share_pct__lte=100)
                & Q(spif_percent__gte=0, spif_percent__lte=100),
                name="comp_plan_percents_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(target_variable_pay__gte=0) & Q(spif_amount__gte=0),
                name="comp_plan_money_non_negative",
            ),
            models.CheckConstraint(
                condition=currency_code_q(), name="comp_plan_currency_iso_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def entered(self, field: str) -> Decimal:
        """The amount `field` as entered, in `currency` (older rows: the reporting amount)."""
        original = getattr(self, f"{field}_original")
        return getattr(self, field) if original is None else original
