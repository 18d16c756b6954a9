"""The sales organisation: teams, reps and the products a rep is certified on."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ZERO, LegacyCompany, Merger, MoneyField, Product, user_field


class Team(models.Model):
    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    leader = user_field(_("sales leader"), related_name="led_teams", blank=True)
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

    # What a rep's name is made of, for reads that list many reps without their objects.
    NAME_FIELDS = ("user__first_name", "user__last_name", "user__username")

    def __str__(self) -> str:
        return self.name_of(self.user.first_name, self.user.last_name, self.user.username)

    @staticmethod
    def name_of(first_name: str, last_name: str, username: str) -> str:
        """A rep's name as people read it: the full name, else the username."""
        return f"{first_name} {last_name}".strip() or username


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
