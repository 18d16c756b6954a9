"""The sales organisation and its cross-sell pipeline, quotas, credit and pay."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ZERO,
    Direction,
    Holding,
    Kind,
    LegacyCompany,
    Merger,
    MoneyField,
    PercentField,
    Product,
    Segment,
    UnifiedAccount,
    currency_code_q,
    currency_field,
)
from core.dates import EARLIEST, LATEST
from tracker.pipeline_math import add_months
from tracker.quota_math import Period

# A few paragraphs: why this customer needs this product.
MAX_CUSTOMER_NEED = 2000


class Team(models.Model):
    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.CharField(_("region"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["merger", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="team_unique_name"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Rep(models.Model):
    """A seller in the program; leaders who also sell have a Rep record too."""

    class Motion(models.TextChoices):
        FARMER = "farmer", _("Farmer (account management)")
        HUNTER = "hunter", _("Hunter (new accounts)")
        SPECIALIST = "specialist", _("Product specialist")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="reps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rep_profiles"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="reps"
    )
    company = models.ForeignKey(
        LegacyCompany,
        verbose_name=_("legacy company of origin"),
        on_delete=models.PROTECT,
        related_name="reps",
    )
    motion = models.CharField(
        _("role"), max_length=12, choices=Motion.choices, default=Motion.FARMER
    )
    start_date = models.DateField(_("start date"))
    typical_core_deal = MoneyField(_("typical core deal size"), default=ZERO)
    is_active = models.BooleanField(_("active"), default=True)
    certifications = models.ManyToManyField(
        Product, through="Certification", related_name="certified_reps", blank=True
    )

    class Meta:
        verbose_name = _("rep")
        verbose_name_plural = _("reps")
        ordering = ["merger", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "user"], name="rep_one_per_program"),
            models.CheckConstraint(
                condition=Q(typical_core_deal__gte=0), name="rep_core_deal_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Certification(models.Model):
    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="certification_records")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    certified_on = models.DateField(_("certified on"))

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(fields=["rep", "product"], name="certification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rep_id}: {self.product_id}"


class Stage(models.Model):
    class Forecast(models.TextChoices):
        PIPELINE = "pipeline", _("Pipeline")
        BEST_CASE = "best_case", _("Best case")
        COMMIT = "commit", _("Commit")
        CLOSED = "closed", _("Closed")
        OMITTED = "omitted", _("Omitted")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"))
    probability = models.PositiveSmallIntegerField(
        _("default probability %"), validators=[MaxValueValidator(100)]
    )
    forecast_category = models.CharField(
        _("forecast category"), max_length=12, choices=Forecast.choices
    )
    outcome = models.CharField(
        _("outcome"), max_length=6, choices=Outcome.choices, default=Outcome.OPEN
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["merger", "order"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="stage_unique_name"),
            models.UniqueConstraint(fields=["merger", "order"], name="stage_unique_order"),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="stage_probability_0_to_100",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="won") | Q(probability=100), name="stage_won_is_100"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="lost") | Q(probability=0), name="stage_lost_is_0"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    """A cross-sell or upsell lead on a unified account."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Logged by hand")
        WHITESPACE = "whitespace", _("From a whitespace cell")
        IMPORT = "import", _("Imported")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="opportunities")
    account = models.ForeignKey(
        UnifiedAccount, on_delete=models.PROTECT, related_name="opportunities"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="opportunities")
    segment = models.ForeignKey(
        Segment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        help_text=_("The account's segment when the opportunity was logged."),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.CROSS_SELL
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    owner = models.ForeignKey(
        Rep, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="opportunities"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="opportunities")
    # Cached from the stage so that constraints and indexes can use it.
    outcome = models.CharField(
        max_length=6, choices=Stage.Outcome.choices, default=Stage.Outcome.OPEN, editable=False
    )
    probability = models.PositiveSmallIntegerField(
        _("probability %"), validators=[MaxValueValidator(100)]
    )
    # In the program's reporting currency, at the rate of the deal's month (its close
    # month once closed, else the current month); every figure sums this.
    amount = MoneyField(_("amount"), default=ZERO)
    # As entered; blank currency means the reporting currency.
    currency = currency_field()
    amount_original = MoneyField(_("amount, as entered"), null=True, blank=True)
    expected_close = models.DateField(_("expected close date"))
    closed_on = models.DateField(_("close date"), null=True, blank=True)
    customer_need = models.TextField(_("why the customer needs it"), max_length=MAX_CUSTOMER_NEED)
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    lost_reason = models.CharField(_("lost reason"), max_length=255, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    risk_override_reason = models.CharField(_("risk override reason"), max_length=500, blank=True)
    risk_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # The sale in the install base while the deal is won (tracker.services.won_sales);
    # empty while open or lost, or when the CRM's install base shows the product already.
    holding = models.OneToOneField(
        Holding,
        verbose_name=_("install-base holding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="won_deal",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Raised on every save; a stale save is refused.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Not auto_now: imported and historical opportunities keep their real dates.
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # The last change of what moves a deal along (tracker.figures.PROGRESS_FIELDS):
    # a deal is stale when this is older than the program's stale_after_days.
    progressed_at = models.DateTimeField(_("last progress"), default=timezone.now)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "product"],
                condition=Q(outcome="open"),
                name="opportunity_one_open_per_account_product",
                violation_error_message=_(
                    "This account already has an open opportunity for this product."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="opportunity_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="opportunity_probability_0_to_100",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="won") | Q(amount__gt=0, closed_on__isnull=False),
                name="opportunity_won_needs_amount_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="lost") | ~Q(lost_reason=""),
                name="opportunity_lost_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(customer_need=""), name="opportunity_needs_customer_need"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("customer_need"), MAX_CUSTOMER_NEED),
                name="opportunity_customer_need_bounded",
            ),
            # The service keeps dates near the program (Day 1 - 10 years to today + 10
            # years); the database states the range no real deal can leave.
            models.CheckConstraint(
                condition=Q(expected_close__range=(EARLIEST, LATEST))
                & (Q(closed_on__isnull=True) | Q(closed_on__range=(EARLIEST, LATEST))),
                name="opportunity_dates_plausible",
            ),
            models.CheckConstraint(
                condition=Q(holding__isnull=True) | Q(outcome="won"),
                name="opportunity_holding_only_when_won",
            ),
            models.CheckConstraint(
                condition=currency_code_q(), name="opportunity_currency_iso_code"
            ),
        ]
        indexes = [
            models.Index(fields=["merger", "owner", "outcome"]),
            models.Index(fields=["merger", "outcome", "expected_close"]),
            models.Index(fields=["merger", "segment", "direction"]),
            models.Index(fields=["merger", "closed_on"]),
            models.Index(fields=["merger", "updated_at"]),
            # Holds every column the dashboard's grouped reads of open and closed
            # deals touch (scorecards.selectors.dashboard_data): a large program's
            # dashboard scans this index alone, not 200k table rows.
            models.Index(
                fields=[
                    "merger",
                    "outcome",
                    "closed_on",
                    "kind",
                    "stage",
                    "segment",
                    "direction",
                    "expected_close",
                    "amount",
                    "probability",
                    "progressed_at",
                    "owner",
                    "product",
                ],
                name="opportunity_dashboard_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} for {self.account}"

    @property
    def is_open(self) -> bool:
        return self.outcome == Stage.Outcome.OPEN


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
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
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


class MonthlySnapshot(models.Model):
    """A month's frozen figures: once written, later data changes never alter them."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="snapshots")
    month = models.DateField(_("month"))
    frozen_at = models.DateTimeField(_("frozen at"))
    # The instant the figures describe: the month's end, whenever the freeze ran.
    as_of = models.DateTimeField(_("figures as of"), null=True)

    class Meta:
        verbose_name = _("monthly snapshot")
        verbose_name_plural = _("monthly snapshots")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "month"], name="snapshot_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="snapshot_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.merger_id} {self.month:%Y-%m}"


class SnapshotLine(models.Model):
    """One row of a snapshot: the program, a team, a rep, a segment or a direction."""

    class Scope(models.TextChoices):
        PROGRAM = "program", _("Program")
        TEAM = "team", _("Team")
        REP = "rep", _("Rep")
        SEGMENT = "segment", _("Segment")
        DIRECTION = "direction", _("Direction")

    snapshot = models.ForeignKey(MonthlySnapshot, on_delete=models.CASCADE, related_name="lines")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=64, blank=True, help_text=_("Id or code within the scope."))
    label = models.CharField(max_length=200, blank=True)
    open_pipeline = MoneyField(default=ZERO)
    weighted_pipeline = MoneyField(default=ZERO)
    won_amount = MoneyField(default=ZERO)
    won_count = models.PositiveIntegerField(default=0)
    lost_count = models.PositiveIntegerField(default=0)
    open_count = models.PositiveIntegerField(default=0)
    stale_count = models.PositiveIntegerField(default=0)
    core_quota = MoneyField(default=ZERO)
    cross_sell_quota = MoneyField(default=ZERO)
    # Realized synergy closed in the month (for a rep: credited to them).
    realized_synergy = MoneyField(default=ZERO)
    # Later changes to deals of earlier, frozen months, booked in this month.
    restated = MoneyField(default=ZERO)
    # Realized since Day 1: the previous month's figure + restated + realized_synergy.
    realized_to_date = MoneyField(default=ZERO)
    target = MoneyField(default=ZERO)
    target_to_date = MoneyField(default=ZERO)
    # The open deals at the month's end as the dashboard groups them
    # (tracker.deal_figures.OpenCell), and the latest realized deals to that day:
    # a frozen month's funnel, forecast and wins are drawn from these.
    open_cells = models.JSONField(default=list, blank=True)
    wins = models.JSONField(default=list, blank=True)
    # Program and segment lines: accounts per customer status at the month's end and
    # the status changes in the month ({"counts": {...}, "transitions": {...}}).
    overlap = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("snapshot line")
        verbose_name_plural = _("snapshot lines")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "scope", "key"], name="snapshot_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.label or self.key}"


class DigestDelivery(models.Model):
    """One stale-opportunity digest sent to a rep on a day; makes the daily task re-runnable."""

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="digests")
    sent_on = models.DateField()
    opportunity_count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["rep", "sent_on"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.sent_on}"


class HomeVisit(models.Model):
    """When a user last looked at their home in a program: what changed is counted from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visits"
    )
    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="home_visits")
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "merger"], name="home_visit_one_per_program")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.merger_id} {self.seen_at:%Y-%m-%d %H:%M}"
