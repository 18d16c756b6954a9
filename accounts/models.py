"""The merger and what the two legacy companies bring to it.

A customer of both companies is one `UnifiedAccount` with one `SourceAccount`
per legacy CRM; install base, signals and CRM ids stay on the source records so
that re-imports update them by the CRM's own id, and matching decides only how
source records group into unified accounts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from accounts.risk import ALL_PROFILES_MASK

ZERO = Decimal("0")


class Direction(models.TextChoices):
    """Which way a sale crosses the merger."""

    A_TO_B = "a_to_b", _("Acquirer's product to acquired company's customer")
    B_TO_A = "b_to_a", _("Acquired company's product to acquirer's customer")
    WITHIN = "within", _("Within one company's own base")


class Kind(models.TextChoices):
    CROSS_SELL = "cross_sell", _("Cross-sell")
    UPSELL = "upsell", _("Upsell")


# Rule of thumb: an upsell should not raise what the customer pays for the
# product it upgrades by more than about 25%. The whitespace caps an upsell's
# value by it; the tracker warns when a deal breaks it.
UPSELL_MAX_RAISE = Decimal("0.25")


class MoneyField(models.DecimalField):
    """Money in the merger's reporting currency: 16 digits, 2 decimals."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class PercentField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


def currency_field() -> models.CharField:
    """The ISO 4217 code an amount was entered in; blank for the reporting currency."""
    return models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, as entered")
    )


def awaiting_rate_field() -> models.DateField:
    """Set while the record's amounts wait for an exchange rate of this month."""
    return models.DateField(
        _("waiting for the exchange rate of"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Its amounts count in no figure until the rate exists."),
    )


def currency_code_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}currency": ""}) | Q(**{f"{prefix}currency__regex": r"^[A-Z]{3}$"})


class Merger(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    day_one = models.DateField(_("Day 1"))
    reporting_currency = models.CharField(
        _("reporting currency"), max_length=3, default="USD", help_text=_("ISO 4217 code")
    )
    horizon_months = models.PositiveSmallIntegerField(
        _("synergy horizon (months)"),
        default=48,
        validators=[MinValueValidator(12), MaxValueValidator(120)],
        help_text=_("Most cross-sell value arrives 3 to 5 years after Day 1."),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("a deal is stale after (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "An open deal whose stage, amount, close date, owner and next step have not "
            "changed for this many days is stale."
        ),
    )

    # Quotas and attainment follow the team hierarchy: a rep sees their own, a
    # leader the teams they lead and those below. Some programs share the whole
    # team's figures with its reps, to let them see where the team stands.
    reps_see_team_attainment = models.BooleanField(
        _("reps see their whole team's quotas and attainment"),
        default=False,
        help_text=_(
            "Off: a rep sees only their own quota and attainment. On: also their team's "
            "and their teammates'. Leaders always see the teams they lead and those below."
        ),
    )

    class SegmentConflictRule(models.TextChoices):
        ACQUIRER = "acquirer", _("The acquirer's CRM record decides")
        REVENUE = "revenue", _("The CRM record with the higher revenue decides")

    segment_conflict_rule = models.CharField(
        _("when the two CRMs disagree on a segment"),
        max_length=10,
        choices=SegmentConflictRule.choices,
        default=SegmentConflictRule.ACQUIRER,
        help_text=_(
            "The acquirer's CRM is usually the system of record after Day 1; the record with "
            "the higher revenue (last 12 months) is the company that knows the customer best. "
            "Ties go to the acquirer."
        ),
    )
    accountable_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accountable cross-sell leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_mergers",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        through="ProgramMembership",
        related_name="mergers",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("merger")
        verbose_name_plural = _("mergers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon_months__gte=12, horizon_months__lte=120),
                name="merger_horizon_12_to_120_months",
            ),
            models.CheckConstraint(
                condition=Q(reporting_currency__regex=r"^[A-Z]{3}$"),
                name="merger_currency_iso_code",
            ),
            models.CheckConstraint(
                condition=Q(stale_after_days__gte=1, stale_after_days__lte=365),
                name="merger_stale_after_1_to_365_days",
            ),
            models.CheckConstraint(
                condition=Q(segment_conflict_rule__in=["acquirer", "revenue"]),
                name="merger_known_segment_conflict_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramMembership(models.Model):
    """Who works on which program; objects of other programs stay invisible."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program membership")
        verbose_name_plural = _("program memberships")
        constraints = [
            models.UniqueConstraint(fields=["merger", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.merger}"


class UserPreference(models.Model):
    """What a person chose for themselves, kept across browsers and sign-ins."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    # Blank: the browser's language.
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)


class LegacyCompany(models.Model):
    class Role(models.TextChoices):
        ACQUIRER = "acquirer", _("Acquirer")
        ACQUIRED = "acquired", _("Acquired")

    class Crm(models.TextChoices):
        SALESFORCE = "salesforce", _("Salesforce")
        HUBSPOT = "hubspot", _("HubSpot")
        OTHER = "other", _("Other")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=20, help_text=_("Shown in charts, e.g. 'A' or 'Sensa'.")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    crm = models.CharField(_("CRM"), max_length=20, choices=Crm.choices, default=Crm.OTHER)

    class Meta:
        verbose_name = _("legacy company")
        verbose_name_plural = _("legacy companies")
        ordering = ["merger", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="company_unique_name"),
            models.UniqueConstraint(
                fields=["merger"], condition=Q(role="acquirer"), name="company_one_acquirer"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Segment(models.Model):
    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(_("name"), max_length=120)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    size_band = models.CharField(_("size band"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["merger", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="segment_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SizeBand(models.Model):
    """What a segment's size band means in employees, e.g. Mid-market = 500 to 4,999.

    Segment rules read it: a segment whose `size_band` names a band takes
    accounts whose employee count lies within the band, both ends included.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="size_bands")
    name = models.CharField(_("name"), max_length=60)
    min_employees = models.PositiveIntegerField(_("from employees"), default=0)
    max_employees = models.PositiveIntegerField(
        _("to employees"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )

    class Meta:
        verbose_name = _("size band")
        verbose_name_plural = _("size bands")
        ordering = ["merger", "min_employees", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="size_band_unique_name"),
            models.CheckConstraint(
                condition=Q(max_employees__isnull=True) | Q(max_employees__gte=F("min_employees")),
                name="size_band_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """What a segment's region means in countries, e.g. EMEA = DE, FR, GB, ...

    Regions differ between companies (is Mexico North America or LATAM?), so
    each program says which countries its regions take in.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(_("name"), max_length=60)
    # ISO 3166 alpha-2 codes, upper case, sorted, separated by single spaces.
    countries = models.CharField(
        _("countries"),
        max_length=1000,
        help_text=_("ISO country codes, e.g. 'DE FR GB'."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["merger", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="region_unique_name"),
            models.CheckConstraint(
                condition=Q(countries__regex=r"^[A-Z]{2}( [A-Z]{2})*$"),
                name="region_country_codes",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnifiedAccount(models.Model):
    """One customer or prospect of the merged company, whatever CRM it came from."""

    class Status(models.TextChoices):
        # Cached from the install base by accounts.services; overlap reads it.
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
    # Cached from the install base like `status`: the earliest holding of each
    # company's products (undated ones count from Day 1). Overlap over time reads them.
    acquirer_customer_since = models.DateField(
        _("customer of the acquirer since"), null=True, blank=True, editable=False
    )
    acquired_customer_since = models.DateField(
        _("customer of the acquired company since"), null=True, blank=True, editable=False
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
            # The overlap page groups accounts by their customer-since months from this
            # index alone, not from 100k wide rows.
            models.Index(
                fields=["merger", "acquirer_customer_since", "acquired_customer_since"],
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
        ]

    def __str__(self) -> str:
        return self.name


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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
            # account from this index alone (accounts.selectors.whitespace_sums).
            models.Index(
                fields=["product", "account"],
                include=["potential_value", "direction"],
                name="whitespace_cell_by_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} x {self.product_id}"


class WhitespaceRollup(models.Model):
    """Whitespace cells counted and valued per segment x product x direction.

    The whitespace page's totals and heatmap read these few thousand rows, not
    the million cells of a large program: grouping the cells on every cold
    request cost about a second there. Written only by the whitespace refresh,
    under the same lock and in the same transaction as the cells: recounted
    whole for the program, adjusted by the difference for a few accounts.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="whitespace_rollup")
    # Cascades, unlike a cell's segment: the next refresh counts those cells unsegmented.
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    cells = models.PositiveIntegerField(_("candidates"))
    value = models.DecimalField(_("potential value"), max_digits=20, decimal_places=2)

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
            models.CheckConstraint(
                condition=Q(cells__gt=0) & Q(value__gte=0), name="whitespace_rollup_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment_id} x {self.product_id} ({self.direction})"


class WhitespaceAccountTotal(models.Model):
    """One account's whitespace candidates counted and valued per direction.

    The whitespace grid filtered by a direction lists the accounts with the largest
    potential in that direction first; summing their cells per request read a million
    rows on a large program (seconds), these rows are one per account and direction.
    Written only by the whitespace refresh, with the cells, in the same transaction.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        UnifiedAccount, on_delete=models.CASCADE, related_name="whitespace_totals"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    cells = models.PositiveIntegerField(_("candidates"))
    value = models.DecimalField(_("potential value"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("account whitespace by direction")
        verbose_name_plural = _("account whitespace by direction")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "direction"], name="whitespace_account_total_unique"
            ),
            models.CheckConstraint(
                condition=Q(cells__gt=0) & Q(value__gte=0),
                name="whitespace_account_total_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["merger", "direction", "account"]),
            # The grid's largest potential in a direction first, walked down to one page.
            models.Index(
                fields=["merger", "direction", "-value"], name="whitespace_total_by_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} ({self.direction})"


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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
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


class MatchCandidate(models.Model):
    """A pair of CRM records from different companies that may be one customer."""

    class Status(models.TextChoices):
        AUTO_MATCHED = "auto", _("Matched automatically")
        PENDING = "pending", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="match_candidates")
    left = models.ForeignKey(SourceAccount, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(SourceAccount, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match candidate")
        verbose_name_plural = _("match candidates")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="candidate_unique_pair"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="score_0_100"),
            models.CheckConstraint(condition=~Q(left=F("right")), name="candidate_two_records"),
        ]
        indexes = [models.Index(fields=["merger", "status", "-score"])]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.score})"


class MatchDecision(models.Model):
    """Every automatic or human decision on how CRM records group into accounts."""

    class Action(models.TextChoices):
        AUTO_MATCH = "auto_match", _("Matched automatically")
        NEW_ACCOUNT = "new_account", _("Created a new unified account")
        CONFIRM = "confirm", _("Confirmed a match")
        REJECT = "reject", _("Rejected a match")
        MERGE = "merge", _("Merged unified accounts")
        SPLIT = "split", _("Split a record off")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="match_decisions")
    candidate = models.ForeignKey(
        MatchCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    source = models.ForeignKey(
        SourceAccount, on_delete=models.CASCADE, null=True, related_name="match_decisions"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    method = models.CharField(_("method"), max_length=40)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    from_unified = models.ForeignKey(
        UnifiedAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_unified = models.ForeignKey(
        UnifiedAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["merger", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.method})"


class ColumnMapping(models.Model):
    """A saved mapping of a file's columns onto our fields, reused for later imports."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="column_mappings")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of data"), max_length=20)
    columns = models.JSONField(_("columns"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="column_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts")
        PRODUCTS = "products", _("Products")
        INSTALL_BASE = "install_base", _("Install base")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, waiting for preview")
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Failed, nothing written")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="imports")
    company = models.ForeignKey(LegacyCompany, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    columns = models.JSONField(_("column mapping"), default=dict)

    class MissingRate(models.TextChoices):
        WAIT = "wait", _("Import the row; its amounts wait for the rate")
        REFUSE = "refuse", _("Refuse the file, naming each missing rate")

    default_currency = models.CharField(
        _("currency of amounts without one"),
        max_length=3,
        blank=True,
        help_text=_(
            "Amounts with no currency column and no code or symbol in the cell, and "
            "ambiguous symbols such as $ or ¥, are read in this currency. Blank: the "
            "program's reporting currency."
        ),
    )
    missing_rate = models.CharField(
        _("an amount with no exchange rate for its month"),
        max_length=6,
        choices=MissingRate.choices,
        default=MissingRate.WAIT,
    )
    # What the run read but did not refuse: ambiguous symbols, rows waiting for a rate.
    notices = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # The first problems of the file (accounts.services.imports.checking.MAX_STORED_ERRORS) ...
    errors = models.JSONField(default=list)
    # ... and how many there were in all.
    error_count = models.PositiveIntegerField(_("problems found"), default=0)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every change of status or progress; a queued or running job without one for
    # long is failed by accounts.services.imports.import_jobs_fail_stalled.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Each start counts one; a task of an earlier start that arrives late does nothing.
    attempt = models.PositiveIntegerField(default=0, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")), name="import_progress_bounded"
            ),
            models.CheckConstraint(
                condition=Q(default_currency="") | Q(default_currency__regex=r"^[A-Z]{3}$"),
                name="import_default_currency_iso_code",
            ),
            models.CheckConstraint(
                condition=Q(missing_rate__in=["wait", "refuse"]),
                name="import_known_missing_rate_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
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


class RecordChange(models.Model):
    """History of any business record: who changed it, when, through what, each field's values.

    One table for every kind of record, written by the services. Nothing points
    at the record itself (content type and id only), so its history outlives
    it: a deletion is one more row, with who deleted and the last values.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        # Opportunities only: a closed deal opened again, a leader's risk override.
        REOPENED = "reopened", _("Reopened")
        OVERRIDDEN = "overridden", _("Risk override")

    class Via(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        IMPORT = "import", _("Import")
        TASK = "task", _("Background task or command")

    merger = models.ForeignKey(
        Merger, on_delete=models.CASCADE, null=True, blank=True, related_name="record_changes"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=Action.choices)
    # {field: [from, to]}, values as text: "Name (#id)", ISO dates, Decimal strings.
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept beside the link, so that the name survives the login's deletion.
    actor_name = models.CharField(max_length=150, blank=True)
    via = models.CharField(max_length=6, choices=Via.choices)
    at = models.DateTimeField(db_index=True)
    # The import that made the change, so that a job lists the fields it changed.
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="record_changes"
    )

    class Meta:
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="record_change_record"),
            models.Index(fields=["merger", "-at"], name="record_change_program"),
            models.Index(fields=["merger", "actor", "-at"], name="record_change_actor"),
            # The month replay and restatements: one kind of record of a program, by time.
            models.Index(fields=["content_type", "merger", "at"], name="record_change_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.action}"
