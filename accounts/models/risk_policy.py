"""The thresholds the risk screen flags customers by."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.fields import PercentField, user_field
from accounts.models.program import Merger


class RiskPolicy(models.Model):
    """Thresholds of the risk screen, per program (defaults from the domain brief)."""

    merger = models.OneToOneField(Merger, on_delete=models.CASCADE, related_name="risk_policy")
    service_demand_growth_pct = PercentField(
        _("service demanders: ticket growth above %"),
        default=Decimal("50"),
        validators=[MinValueValidator(0)],
    )
    service_demand_min_tickets = models.PositiveIntegerField(
        _("service demanders: at least tickets a year"), default=24
    )
    revenue_reversal_pct = PercentField(
        # xgettext:no-python-format
        _("revenue reversers: credits and returns above % of revenue"),
        default=Decimal("15"),
        validators=[MinValueValidator(0)],
    )
    promotion_discount_pct = PercentField(
        _("promotion maximizers: average discount above %"),
        default=Decimal("30"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    spending_limit_growth_pct = PercentField(
        _("spending limiters: revenue growth at most %"),
        default=Decimal("-10"),
        validators=[MinValueValidator(-100), MaxValueValidator(0)],
        help_text=_("A real decline: -10 flags spend that fell by a tenth or more in a year."),
    )
    spending_limit_min_products = models.PositiveSmallIntegerField(
        _("spending limiters: at least products held"),
        default=2,
        help_text=_(
            "Already buys across the range: a fixed wallet that cross-buying only splits."
        ),
    )
    strong_connection_min = models.PositiveSmallIntegerField(
        _("strong connection from strength"), default=60, validators=[MaxValueValidator(100)]
    )
    # Who set the thresholds last: they decide who may be sold to.
    updated_by = user_field(blank=True, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The `updated_at` of the thresholds the accounts' stored risk profiles were last
    # screened with: while it differs, the stored profiles are an older policy's.
    screened_with = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("risk policy")
        verbose_name_plural = _("risk policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(spending_limit_growth_pct__lte=0, spending_limit_growth_pct__gte=-100),
                name="risk_spending_limit_is_a_decline",
            ),
            models.CheckConstraint(
                condition=Q(service_demand_growth_pct__gte=0)
                & Q(revenue_reversal_pct__gte=0)
                & Q(promotion_discount_pct__gte=0, promotion_discount_pct__lte=100)
                & Q(strong_connection_min__lte=100),
                name="risk_thresholds_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merger} risk policy"
