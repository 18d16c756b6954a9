"""The measured win rates of the legacy companies' core deals."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LegacyCompany, Merger, user_field
from tracker.models.quotas import Quota
from tracker.quota_math import Period


class CoreWinRate(models.Model):
    """How a legacy company's core (non-program) deals ended in a month or quarter.

    Sales ops enters the won and lost counts from the company's own CRM, with
    their source, so that the cross-sell win rate is compared with a measured
    core win rate and never with an assumed one.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="core_win_rates")
    company = models.ForeignKey(
        LegacyCompany,
        verbose_name=_("legacy company"),
        on_delete=models.CASCADE,
        related_name="core_win_rates",
    )
    period_kind = models.CharField(
        _("period"), max_length=8, choices=Quota.Period.choices, default=Quota.Period.MONTH
    )
    period_start = models.DateField(_("period start"))
    won_count = models.PositiveIntegerField(_("core deals won"))
    lost_count = models.PositiveIntegerField(_("core deals lost"))
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_(
            "Where the counts come from, e.g. 'Salesforce opportunity report, 2026-10-03'."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    entered_by = user_field(_("entered by"))
    updated_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("core win rate")
        verbose_name_plural = _("core win rates")
        ordering = ["-period_start", "company_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "period_start"], name="core_win_rate_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1), name="core_win_rate_starts_on_first_of_month"
            ),
            models.CheckConstraint(
                condition=Q(period_kind="month")
                | Q(period_kind="quarter", period_start__month__in=[1, 4, 7, 10]),
                name="core_win_rate_quarter_starts_a_quarter",
            ),
            # A period without a decided deal says nothing about a win rate.
            models.CheckConstraint(
                condition=Q(won_count__gt=0) | Q(lost_count__gt=0),
                name="core_win_rate_has_decided_deals",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="core_win_rate_needs_source"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.period.code}: {self.won_count}/{self.lost_count}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_kind)
