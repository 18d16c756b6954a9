"""Matching: which CRM records may be one customer, and every decision on how they group."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models.accounts import SourceAccount, UnifiedAccount
from accounts.models.fields import user_field
from accounts.models.program import Merger


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
    decided_by = user_field(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["merger", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.method})"
