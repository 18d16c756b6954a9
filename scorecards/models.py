"""Six-C scores per segment and month, the evidence behind them, and exports."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Merger, Segment, user_field


class SixC(models.TextChoices):
    COMPLEMENTARITY = "complementarity", _("Complementarity")
    CONNECTION = "connection", _("Connection")
    CAPACITY = "capacity", _("Capacity")
    CAPABILITY = "capability", _("Capability")
    COMPENSATION = "compensation", _("Compensation")
    COMMITMENT = "commitment", _("Commitment")


SCORE_RANGE = Q(score__gte=1, score__lte=5)


def default_weights() -> dict[str, int]:
    # Commitment correlates most strongly with overall success.
    return {
        SixC.COMPLEMENTARITY: 15,
        SixC.CONNECTION: 15,
        SixC.CAPACITY: 15,
        SixC.CAPABILITY: 15,
        SixC.COMPENSATION: 15,
        SixC.COMMITMENT: 25,
    }


class ScoringPolicy(models.Model):
    """Per-program weights and indicator thresholds (defaults in scorecards.scoring)."""

    merger = models.OneToOneField(Merger, on_delete=models.CASCADE, related_name="scoring_policy")
    weights = models.JSONField(_("weights per C"), default=default_weights)
    thresholds = models.JSONField(
        _("indicator thresholds"),
        default=dict,
        blank=True,
        help_text=_("Overrides of the default thresholds, by indicator code."),
    )
    strong_from = models.DecimalField(
        _("a C is strong from score"), max_digits=3, decimal_places=2, default=Decimal("4")
    )

    class Meta:
        verbose_name = _("scoring policy")
        verbose_name_plural = _("scoring policies")

    def __str__(self) -> str:
        return f"{self.merger} scoring policy"


class IndicatorValue(models.Model):
    """One measured indicator for a segment and month, with its threshold and source."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="indicators")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="indicators")
    month = models.DateField(_("month"))
    c = models.CharField(_("C"), max_length=16, choices=SixC.choices)
    code = models.CharField(_("indicator"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    threshold = models.CharField(_("threshold"), max_length=200, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    source = models.CharField(_("source"), max_length=200)
    frozen = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "month", "code"], name="indicator_unique_per_month"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | SCORE_RANGE, name="indicator_score_1_to_5"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="indicator_month_first_day"),
        ]
        indexes = [models.Index(fields=["merger", "month", "c"])]

    def __str__(self) -> str:
        return f"{self.code} {self.month:%Y-%m}"


class CScore(models.Model):
    """The computed score of one C for a segment and month, and the final score.

    Both are empty while the C is "not scored": none of its indicators has data
    (a leader's override still gives it a final score). The weakest measured
    indicator is kept beside the mean, so that one red flag is not averaged away.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="c_scores")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="c_scores")
    month = models.DateField(_("month"))
    c = models.CharField(_("C"), max_length=16, choices=SixC.choices)
    computed = models.DecimalField(
        _("computed score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        help_text=_("Empty when no indicator of the C is measured."),
    )
    score = models.DecimalField(
        _("score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        help_text=_("After any manual assessment; empty when the C is not scored."),
    )
    # As written in the site's language when scored, for the admin and the record: pages,
    # the API and exports write the explanation from the fields below in the reader's.
    explanation = models.CharField(_("explanation"), max_length=300)
    assessed = models.BooleanField(_("after a leader's assessment"), default=False)
    weakest_code = models.CharField(_("weakest indicator"), max_length=60, blank=True)
    weakest_value = models.DecimalField(
        _("weakest indicator's value"), max_digits=16, decimal_places=4, null=True
    )
    weakest_score = models.DecimalField(
        _("weakest indicator's score"), max_digits=3, decimal_places=2, null=True
    )
    frozen = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("C score")
        verbose_name_plural = _("C scores")
        constraints = [
            models.UniqueConstraint(fields=["segment", "month", "c"], name="c_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | SCORE_RANGE, name="c_score_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(computed__isnull=True) | Q(computed__gte=1, computed__lte=5),
                name="c_score_computed_1_to_5",
            ),
            # A computed score has a final one (an adjustment cannot unscore a C).
            models.CheckConstraint(
                condition=Q(computed__isnull=True) | Q(score__isnull=False),
                name="c_score_computed_is_final_or_assessed",
            ),
            # The weakest indicator exists exactly when some indicator was measured.
            models.CheckConstraint(
                condition=(
                    Q(computed__isnull=True) & Q(weakest_code="") & Q(weakest_score__isnull=True)
                )
                | (
                    Q(computed__isnull=False)
                    & ~Q(weakest_code="")
                    & Q(weakest_score__gte=1, weakest_score__lte=5)
                ),
                name="c_score_weakest_when_computed",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="c_score_month_first_day"),
        ]
        indexes = [models.Index(fields=["merger", "month"])]

    def __str__(self) -> str:
        return f"{self.get_c_display()} {self.month:%Y-%m}: {self.score}"


class SegmentScore(models.Model):
    """The weighted composite of the scored Cs for a segment and month.

    Empty when no C of the segment is scored; `scored_count` says over how
    many Cs the composite was taken.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="segment_scores")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="scores")
    month = models.DateField(_("month"))
    composite = models.DecimalField(
        _("composite score"), max_digits=3, decimal_places=2, null=True
    )
    strong_count = models.PositiveSmallIntegerField(
        _("Cs rated strong"), validators=[MaxValueValidator(6)]
    )
    scored_count = models.PositiveSmallIntegerField(
        _("Cs scored"), default=0, validators=[MaxValueValidator(6)]
    )
    frozen = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("segment score")
        verbose_name_plural = _("segment scores")
        constraints = [
            models.UniqueConstraint(fields=["segment", "month"], name="segment_score_unique"),
            models.CheckConstraint(
                condition=(Q(composite__isnull=True) & Q(scored_count=0))
                | (Q(composite__gte=1, composite__lte=5) & Q(scored_count__gt=0)),
                name="segment_score_1_to_5",
            ),
            models.CheckConstraint(condition=Q(strong_count__lte=6), name="segment_strong_max_6"),
            models.CheckConstraint(
                condition=Q(scored_count__lte=6) & Q(strong_count__lte=F("scored_count")),
                name="segment_strong_among_scored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.composite}"


class ScoreChange(models.Model):
    """History of every change to a C score: recompute or manual assessment."""

    c_score = models.ForeignKey(CScore, on_delete=models.CASCADE, related_name="changes")
    # Either is empty where the C was not scored.
    old_score = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    reason = models.CharField(max_length=300)
    changed_by = user_field()
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_score} -> {self.new_score}"


class Assessment(models.Model):
    """A leader's judgement on one C of a segment; all are kept, the latest applies."""

    class Mode(models.TextChoices):
        ADJUST = "adjust", _("Adjust the computed score")
        OVERRIDE = "override", _("Override the computed score")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="assessments")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="assessments")
    month = models.DateField(_("month"))
    c = models.CharField(_("C"), max_length=16, choices=SixC.choices)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    score = models.DecimalField(
        _("score or adjustment"),
        max_digits=3,
        decimal_places=2,
        help_text=_("1-5 for an override; -2 to +2 for an adjustment."),
    )
    evidence = models.TextField(_("evidence"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(mode="override") & SCORE_RANGE)
                | (Q(mode="adjust") & Q(score__gte=-2, score__lte=2)),
                name="assessment_score_in_range",
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="assessment_needs_evidence"),
        ]
        indexes = [models.Index(fields=["segment", "month", "c", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_c_display()} {self.month:%Y-%m} ({self.get_mode_display()})"


class ProgramReview(models.Model):
    """A monthly cross-sell review held by senior leadership (a Commitment signal)."""

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    chaired_by = user_field()
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("program review")
        verbose_name_plural = _("program reviews")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on}"


class ProgramDataChange(models.Model):
    """When a program's data last changed, as its services announced it.

    An open month's stored scores are shown only if they were computed after
    this moment (and on the same day); otherwise the month is scored on the fly.
    """

    merger = models.OneToOneField(
        Merger, on_delete=models.CASCADE, primary_key=True, related_name="data_change"
    )
    changed_at = models.DateTimeField(_("data last changed at"))

    class Meta:
        verbose_name = _("program data change")
        verbose_name_plural = _("program data changes")

    def __str__(self) -> str:
        return f"{self.merger_id}: {self.changed_at:%Y-%m-%d %H:%M}"


class ExportJob(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="exports")
    report = models.CharField(_("report"), max_length=40, default="scorecard")
    month = models.DateField(_("month"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    message = models.CharField(max_length=500, blank=True)
    requested_by = user_field()
    # The file speaks the language of whoever asked for it, built later by a worker.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every change of status or progress; see scorecards.services.exports.export_jobs_fail_stalled.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_0_100"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("created_at")),
                name="export_finishes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.month:%Y-%m}.{self.format}"
