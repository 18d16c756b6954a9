"""Customers: one unified account per customer, one source account per legacy CRM record."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.companies import LegacyCompany
from accounts.models.fields import (
    ZERO,
    MoneyField,
    PercentField,
    awaiting_rate_field,
    currency_code_q,
    currency_field,
    rate_month_field,
)
from accounts.models.program import Merger
from accounts.models.segments import Segment
from accounts.risk import ALL_PROFILES_MASK
from accounts.risk_text import reason_of_stored


class UnifiedAccount(models.Model):
    """One customer or prospect of the merged company, whatever CRM it came from."""

    class Status(models.TextChoices):
        # Cached from the CRM flags and the install base by accounts.services; overlap
        # reads it.
        ACQUIRER_ONLY = "acquirer_only", _("Customer of the acquirer only")
        ACQUIRED_ONLY = "acquired_only", _("Customer of the acquired company only")
        BOTH = "both", _("Customer of both")
        PROSPECT = "prospect", _("Prospect of either")
        NEITHER = "neither", _("Neither (greenfield)")

    class Recommendation(models.TextChoices):
        SELL = "sell", _("Sell")
        UPSELL_ONLY = "upsell_only", _("Upsell only")
        DONT_SELL = "dont_sell", _("Don't sell")

    class SegmentSource(models.TextChoices):
        # Precedence: by hand, then the CRM records, then the program's segment rules.
        NONE = "", _("No segment")
        CRM = "crm", _("From the CRM records")
        RULE = "rule", _("From the segment rules")
        MANUAL = "manual", _("Assigned by hand")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="accounts")
    name = models.CharField(_("name"), max_length=255)
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts"
    )
    # Where the segment came from; the segments refresh never changes a manual one.
    segment_source = models.CharField(
        _("segment from"),
        max_length=10,
        choices=SegmentSource.choices,
        default=SegmentSource.NONE,
        blank=True,
    )
    domain = models.CharField(_("website domain"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    status = models.CharField(
        _("customer status"), max_length=20, choices=Status.choices, default=Status.NEITHER
    )
    recommendation = models.CharField(
        _("risk recommendation"),
        max_length=20,
        choices=Recommendation.choices,
        default=Recommendation.SELL,
    )
    # The risk screen's reason as its parts (accounts.risk_text), untranslated: read it
    # through `recommendation_reason_text`, in the reader's language.
    recommendation_reason = models.CharField(
        _("recommendation reason"), max_length=500, blank=True
    )
    connection_strength = models.PositiveSmallIntegerField(
        _("connection strength"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("0-100, derived from the connection signals."),
    )
    connection_note = models.TextField(_("connection note"), blank=True)
    # Cached with the recommendation: the risk profiles the program's saved thresholds
    # flag, one bit each (accounts.risk.PROFILE_BITS), so that the risk screen counts
    # them without summing every CRM record and holding. Empty until first screened.
    risk_profiles = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Cached like `status`, from the same facts: the earliest holding of each company's
    # products (undated ones count from Day 1), or, for a customer the CRM flags without
    # an earlier holding, the day the flag was first imported. Overlap over time reads them.
    acquirer_customer_since = models.DateField(
        _("customer of the acquirer since"), null=True, blank=True, editable=False
    )
    acquired_customer_since = models.DateField(
        _("customer of the acquired company since"), null=True, blank=True, editable=False
    )
    # Set when a side's customer-since is the day its CRM flag was first imported: a
    # flag says the account is a customer, not since when, so its status at the end of
    # an earlier month is not measured. The latest such day; empty when none.
    status_measured_from = models.DateField(
        _("customer status measured from"), null=True, blank=True, editable=False
    )
    # Cached by the whitespace refresh: the potential value of all the account's
    # candidates, so that the grid lists the largest first without summing a million
    # cells per page.
    whitespace_value = MoneyField(_("whitespace potential"), default=ZERO, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unified account")
        verbose_name_plural = _("unified accounts")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["merger", "segment", "status"]),
            # The segments page counts accounts by segment and how each was segmented,
            # from this index alone.
            models.Index(
                fields=["merger", "segment", "segment_source"], name="account_segment_source"
            ),
            models.Index(fields=["merger", "name"]),
            # The whitespace matrix pages through a segment's accounts by name.
            models.Index(fields=["merger", "segment", "name"]),
            models.Index(fields=["merger", "recommendation"]),
            # The whitespace grid lists the largest potential first.
            models.Index(fields=["merger", "-whitespace_value", "name"]),
            # The risk screen counts customers by stored profiles and strong connection
            # from this index alone, not from 100k wide rows.
            models.Index(
                fields=["merger", "status", "risk_profiles", "connection_strength"],
                name="account_risk_screen",
            ),
            # The overlap history groups accounts by their customer-since months, from when
            # their status is measured, and by whether either company knows them (the
            # status), from this index alone, not from 100k wide rows.
            models.Index(
                fields=[
                    "merger",
                    "acquirer_customer_since",
                    "acquired_customer_since",
                    "status_measured_from",
                    "status",
                ],
                name="account_customer_since",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(connection_strength__isnull=True) | Q(connection_strength__lte=100),
                name="account_connection_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(risk_profiles__isnull=True) | Q(risk_profiles__lte=ALL_PROFILES_MASK),
                name="account_risk_profiles_known_bits",
            ),
            # A segment always says where it came from. (A derived source may outlive a
            # deleted segment until the next refresh; by hand may also mean "none".)
            models.CheckConstraint(
                condition=Q(segment__isnull=True) | ~Q(segment_source=""),
                name="account_segment_has_a_source",
            ),
            models.CheckConstraint(
                condition=Q(segment_source__in=["", "crm", "rule", "manual"]),
                name="account_known_segment_source",
            ),
            # Measured from the day a side's flag was first imported, which is that
            # side's customer-since.
            models.CheckConstraint(
                condition=Q(status_measured_from__isnull=True)
                | Q(status_measured_from=models.F("acquirer_customer_since"))
                | Q(status_measured_from=models.F("acquired_customer_since")),
                name="account_measured_from_a_customer_since",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def recommendation_reason_text(self) -> str:
        return reason_of_stored(self.recommendation_reason)


# The CRM id of a record the program creates for a won deal. Imports strip
# surrounding whitespace from every id (accounts.imports.parsing.parse_text), so
# an id starting with a space never meets a CRM's, and a re-import by CRM id
# never finds, updates or collides with such a record.
PROGRAM_CRM_ID_PREFIX = " program-"


class SourceAccount(models.Model):
    """An account as one legacy CRM holds it, with the signals that CRM knows."""

    class Origin(models.TextChoices):
        CRM = "crm", _("Imported from the company's CRM")
        PROGRAM = "program", _("Created by the program for a won deal")

    company = models.ForeignKey(
        LegacyCompany, on_delete=models.CASCADE, related_name="source_accounts"
    )
    unified = models.ForeignKey(
        UnifiedAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("unified account"),
    )
    crm_id = models.CharField(_("CRM record id"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    # The segment this CRM's export assigns; matching carries it to the unified account.
    segment = models.ForeignKey(
        Segment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_accounts",
        verbose_name=_("segment"),
    )
    normalized_name = models.CharField(max_length=255, blank=True, db_index=True)
    website = models.CharField(_("website"), max_length=255, blank=True)
    domain = models.CharField(_("domain"), max_length=255, blank=True, db_index=True)
    duns = models.CharField(_("DUNS"), max_length=20, blank=True)
    vat = models.CharField(_("VAT number"), max_length=30, blank=True)
    lei = models.CharField(_("LEI"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    is_customer = models.BooleanField(_("customer"), default=False)
    # A buyer the selling company had no record of gets one when the program
    # wins a deal there (accounts.services.won_holdings); it carries that sale only.
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.CRM, editable=False
    )
    # Connection signals.
    relationship_owner = models.CharField(_("relationship owner"), max_length=150, blank=True)
    relationship_since = models.DateField(_("relationship since"), null=True, blank=True)
    decision_maker_known = models.BooleanField(_("decision maker known"), default=False)
    revenue_current = MoneyField(_("revenue, last 12 months"), default=ZERO)
    revenue_prior = MoneyField(_("revenue, prior 12 months"), default=ZERO)
    # Risk-screen signals ("the dark side").
    support_tickets_12m = models.PositiveIntegerField(_("support tickets, 12 months"), default=0)
    support_tickets_prior_12m = models.PositiveIntegerField(
        _("support tickets, prior 12 months"), default=0
    )
    credits_returns_12m = MoneyField(_("credits and returns, 12 months"), default=ZERO)
    average_discount_pct = PercentField(_("average discount %"), default=ZERO)
    # The amounts above are in the reporting currency; as the CRM gave them:
    currency = currency_field()
    revenue_current_original = MoneyField(_("revenue, last 12 months, as entered"), null=True)
    revenue_prior_original = MoneyField(_("revenue, prior 12 months, as entered"), null=True)
    credits_returns_12m_original = MoneyField(
        _("credits and returns, 12 months, as entered"), null=True
    )
    awaiting_rate = awaiting_rate_field()
    rate_month = rate_month_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("source account")
        verbose_name_plural = _("source accounts")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "crm_id"], name="source_unique_crm_id"),
            models.CheckConstraint(
                condition=(Q(origin="program") & Q(crm_id__startswith=PROGRAM_CRM_ID_PREFIX))
                | (Q(origin="crm") & ~Q(crm_id__startswith=PROGRAM_CRM_ID_PREFIX)),
                name="source_program_crm_id_apart",
            ),
            models.CheckConstraint(
                condition=Q(revenue_current__gte=0) & Q(revenue_prior__gte=0),
                name="source_revenue_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(credits_returns_12m__gte=0), name="source_credits_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(average_discount_pct__gte=0, average_discount_pct__lte=100),
                name="source_discount_0_to_100",
            ),
            models.CheckConstraint(condition=currency_code_q(), name="source_currency_iso_code"),
        ]
        indexes = [models.Index(fields=["company", "unified"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.company.short_name} {self.crm_id})"
