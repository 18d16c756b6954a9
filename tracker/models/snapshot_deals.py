"""The open deals a month's snapshot froze: the records behind its open pipeline."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, Direction, Kind, MoneyField
from tracker.models.snapshots import MonthlySnapshot


class SnapshotDeal(models.Model):
    """One deal open at the month's end, as it stood then.

    Kept with the month's figures, so that the list behind a closed month's open
    pipeline adds up to it whatever was edited, deleted, reassigned or reordered
    since, and is read as rows, not replayed from the history on every view. Ids, not
    foreign keys: a deal, an account or a rep deleted since stays in the list.
    """

    snapshot = models.ForeignKey(
        MonthlySnapshot, on_delete=models.CASCADE, related_name="open_deals"
    )
    opportunity_id = models.PositiveBigIntegerField()
    account_id = models.PositiveBigIntegerField()
    product_id = models.PositiveBigIntegerField()
    owner_id = models.PositiveBigIntegerField()
    # The owner's team at the freeze: a team's list is the deals its reps owned then.
    team_id = models.PositiveBigIntegerField(null=True, blank=True)
    segment_id = models.PositiveBigIntegerField(null=True, blank=True)
    stage_id = models.PositiveBigIntegerField()
    # The stage's place in the pipeline at the freeze: the list's order.
    stage_order = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    probability = models.PositiveSmallIntegerField()
    amount = MoneyField(default=ZERO)
    expected_close = models.DateField()

    class Meta:
        verbose_name = _("open deal at a month's end")
        verbose_name_plural = _("open deals at a month's end")
        ordering = ["stage_order", "-amount", "opportunity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "opportunity_id"], name="snapshot_deal_once"
            ),
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="snapshot_deal_probability"
            ),
        ]
        indexes = [
            models.Index(
                fields=["snapshot", "stage_order", "-amount", "opportunity_id"],
                name="snapshot_deal_listed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} #{self.opportunity_id}"
