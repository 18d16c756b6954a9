"""What a month's snapshot froze besides its figures: the deals behind its open pipeline
and its wins, their shares of credit, its restatements and its team tree."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, Direction, Kind, MoneyField, PercentField
from tracker.models.snapshots import MonthlySnapshot


class SnapshotDeal(models.Model):
    """One deal open at the month's end, or realized in the month, as it stood then.

    Kept with the month's figures, so that the lists behind a closed month's open
    pipeline and wins add up to them whatever was edited, deleted, reassigned or
    reordered since, and are read as rows, not replayed from the history on every
    view. Ids, not foreign keys: a deal, an account or a rep deleted since stays listed.
    """

    class Kept(models.TextChoices):
        OPEN = "open", _("Open at the month's end")
        REALIZED = "realized", _("Realized in the month")

    snapshot = models.ForeignKey(MonthlySnapshot, on_delete=models.CASCADE, related_name="deals")
    kept = models.CharField(max_length=8, choices=Kept.choices)
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
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("deal as frozen with its month")
        verbose_name_plural = _("deals as frozen with their month")
        ordering = ["stage_order", "-amount", "opportunity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "opportunity_id"], name="snapshot_deal_once"
            ),
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="snapshot_deal_probability"
            ),
            models.CheckConstraint(
                condition=Q(kept="open", closed_on__isnull=True)
                | Q(kept="realized", closed_on__isnull=False),
                name="snapshot_deal_kept_closed_on",
            ),
        ]
        indexes = [
            models.Index(
                fields=["snapshot", "kept", "stage_order", "-amount", "opportunity_id"],
                name="snapshot_deal_listed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} #{self.opportunity_id}"


class SnapshotCredit(models.Model):
    """One share of credit a deal realized in the month gave a rep at the freeze
    (tracker.deal_figures.credit_shares): the lines its reps' and teams' credited won
    were added up from, kept so that a closed month's credited deals list them whatever
    split, deal or rep's team changed since. Ids, as SnapshotDeal keeps them: the deal
    is the snapshot's realized SnapshotDeal of the same opportunity_id."""

    class Credit(models.TextChoices):
        OWNER = "owner", _("Owner, in full")
        SPLIT = "split", _("Split")
        OVERLAY = "overlay", _("Overlay")

    snapshot = models.ForeignKey(MonthlySnapshot, on_delete=models.CASCADE, related_name="credits")
    opportunity_id = models.PositiveBigIntegerField()
    rep_id = models.PositiveBigIntegerField()
    # The rep's team at the freeze: the team line the share was added to.
    team_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=8, choices=Credit.choices)
    percent = PercentField()

    class Meta:
        verbose_name = _("credit line as frozen with its month")
        verbose_name_plural = _("credit lines as frozen with their month")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "opportunity_id", "rep_id", "kind"],
                name="snapshot_credit_once",
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="snapshot_credit_percent"
            ),
            # A deal without split lines credits its owner in full.
            models.CheckConstraint(
                condition=~Q(kind="owner") | Q(percent=100), name="snapshot_credit_owner_full"
            ),
        ]
        indexes = [
            models.Index(fields=["snapshot", "rep_id"], name="snapshot_credit_rep"),
            models.Index(fields=["snapshot", "team_id"], name="snapshot_credit_team"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} #{self.opportunity_id} {self.rep_id} {self.percent}% {self.kind}"


class SnapshotTeam(models.Model):
    """One team of the program and the team it reported to at the freeze: the tree its
    team lines were rolled up by (tracker.pipeline_math.rollup), kept so that a closed
    month's lists of a team take in the teams below it then, whatever was moved since.
    Ids, as SnapshotDeal keeps them: a team deleted since stays in its month's tree."""

    snapshot = models.ForeignKey(MonthlySnapshot, on_delete=models.CASCADE, related_name="teams")
    team_id = models.PositiveBigIntegerField()
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("team as frozen with its month")
        verbose_name_plural = _("teams as frozen with their month")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "team_id"], name="snapshot_team_once"),
            models.CheckConstraint(
                condition=~Q(parent_id=F("team_id")), name="snapshot_team_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} team {self.team_id} < {self.parent_id}"


class SnapshotRestatement(models.Model):
    """A deal of an earlier closed month whose count changed in this snapshot's month:
    its realized synergy in the closed months then (at the month before's freeze) and
    at this month's end. Kept by the freeze, so that a closed month's restatements are
    read, not replayed from the history of every deal changed in it."""

    snapshot = models.ForeignKey(
        MonthlySnapshot, on_delete=models.CASCADE, related_name="restatements"
    )
    opportunity_id = models.PositiveBigIntegerField()
    # The closed month the deal counted in, before and after (None: it did not count).
    month_before = models.DateField(null=True, blank=True)
    month_after = models.DateField(null=True, blank=True)
    before = MoneyField(default=ZERO)
    after = MoneyField(default=ZERO)

    class Meta:
        verbose_name = _("restatement kept with its month")
        verbose_name_plural = _("restatements kept with their month")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "opportunity_id"], name="snapshot_restatement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} #{self.opportunity_id}"
