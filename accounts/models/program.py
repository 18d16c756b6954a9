"""The program (one merger), who works on it, and what each person chose for themselves."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.fields import user_field
from core.people import person_name


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
    accountable_leader = user_field(
        _("accountable cross-sell leader"), related_name="led_mergers", blank=True
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
        return f"{person_name(self.user)} @ {self.merger}"


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
