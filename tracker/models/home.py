"""When a user last looked at their home."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Merger


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
