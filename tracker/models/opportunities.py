"""The cross-sell pipeline: stages and opportunities."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ZERO,
    Direction,
    Holding,
    Kind,
    Merger,
    MoneyField,
    Product,
    Segment,
    UnifiedAccount,
    currency_code_q,
    currency_field,
    user_field,
)
from core.dates import EARLIEST, LATEST
from tracker.models.org import Rep

# A few paragraphs: why this customer needs this product.
MAX_CUSTOMER_NEED = 2000


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
    # Named for the history and the forms, which show a field by its verbose name.
    account = models.ForeignKey(
        UnifiedAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="opportunities"
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
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
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    # Cached from the stage so that constraints and indexes can use it.
    outcome = models.CharField(
        _("outcome"),
        max_length=6,
        choices=Stage.Outcome.choices,
        default=Stage.Outcome.OPEN,
        editable=False,
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
    risk_override_by = user_field(blank=True)
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
    created_by = user_field()
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
            # A rep's or team's deals; with the kind, close date and amount in it, also
            # the open pipeline per rep (tracker.selectors.quotas) from the index alone,
            # in the order it groups by.
            models.Index(
                fields=["merger", "owner", "outcome", "kind", "expected_close", "amount"],
                name="opportunity_by_owner",
            ),
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
            # The open deals alone, with every column their sums read: the pipeline
            # page's (tracker.selectors.metrics.month_to_date_figures), the six-C
            # scorecard's by segment and direction (scorecards.selectors.program), the
            # dashboard's open cells (scorecards.selectors.dashboard_data) and the quota
            # board's open pipeline per rep read this index alone, in the scorecard's
            # grouping order. Open deals are most of a large program's. Key columns, not
            # INCLUDE, so that SQLite's index covers them too; the outcome as well, which
            # the sums' FILTER clauses read.
            models.Index(
                fields=[
                    *("merger", "outcome", "segment", "direction", "stage", "kind"),
                    *("expected_close", "progressed_at", "amount", "probability", "owner"),
                    "id",
                ],
                condition=Q(outcome="open"),
                name="opportunity_open_sums",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} for {self.account}"

    @property
    def is_open(self) -> bool:
        return self.outcome == Stage.Outcome.OPEN
