"""Each month's frozen figures."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, Merger, MoneyField
from tracker.pipeline_math import PipelineFigures


class MonthlySnapshot(models.Model):
    """A month's frozen figures: once written, later data changes never alter them."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="snapshots")
    month = models.DateField(_("month"))
    frozen_at = models.DateTimeField(_("frozen at"))
    # The instant the figures describe: the month's end, whenever the freeze ran.
    as_of = models.DateTimeField(_("figures as of"), null=True)
    # The comp plans covering the month as they stood at the freeze, each with its terms
    # and rep ids (tracker.selectors.frozen_plans): a closed period pays on these, not on
    # a plan edited since. None on snapshots frozen before plans were kept, [] when no
    # plan covered the month.
    comp_plans = models.JSONField(_("comp plans as frozen"), null=True, blank=True, default=None)
    # The month's open and realized deals and its restatements are kept as rows
    # (SnapshotDeal, SnapshotRestatement). False on snapshots frozen before they were:
    # their lists are replayed from the history.
    rows_kept = models.BooleanField(default=False)

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
    # Attainment's numerator: cross-sell won in the month credited through splits and
    # overlay (tracker.deal_figures.credited_by_rep) to the rep, or to the program's or
    # a team's reps (with the teams below it), summed as the quota page sums them.
    # Realized synergy above counts each deal once, by owner, and is not attainment's.
    # None on segment and direction lines (quotas are per rep), and on lines frozen
    # before it was kept: those read realized_synergy, the figure they were frozen and
    # reported with, since a closed month is never rewritten (attainment_credit).
    credited_won = MoneyField(null=True, blank=True, default=None)
    # attainment_credit in a query, for readers that fetch lines as values.
    ATTAINMENT_CREDIT = Coalesce("credited_won", "realized_synergy")
    # Rep lines: the cross-company deals won in the month that the rep is credited on
    # (owned without splits, split or overlay), which a per-deal SPIF pays on. Not
    # won_count, which counts the deals the rep owns, of any direction and credit.
    # None on other lines, and on rep lines frozen before it was kept: a closed month
    # is never rewritten, so their readers say the count is today's.
    credited_won_count = models.PositiveIntegerField(null=True, blank=True, default=None)
    # The line's pipeline figures (PipelineFigures's names to the line's fields): the
    # freeze writes them from figures, and every reader of a closed month reads them
    # back through `figures`, so a page and the API give the same month-end figures.
    FIGURES = {
        "open_count": "open_count",
        "open_amount": "open_pipeline",
        "weighted_amount": "weighted_pipeline",
        "won_count": "won_count",
        "won_amount": "won_amount",
        "lost_count": "lost_count",
        "stale_count": "stale_count",
    }
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

    @property
    def figures(self) -> PipelineFigures:
        """Open and weighted pipeline and stale deals at the month's end, and the deals
        won and lost in the month, as frozen (no sales cycle is kept)."""
        return PipelineFigures(**{name: getattr(self, f) for name, f in self.FIGURES.items()})

    @property
    def attainment_credit(self) -> Decimal:
        """What the line's attainment divides by its cross-sell quota (see credited_won)."""
        return self.realized_synergy if self.credited_won is None else self.credited_won
