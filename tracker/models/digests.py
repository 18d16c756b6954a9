"""The stale-opportunity digests sent to reps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.org import Rep


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
