"""The two legacy companies a merger brings together."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.program import Merger


class LegacyCompany(models.Model):
    class Role(models.TextChoices):
        ACQUIRER = "acquirer", _("Acquirer")
        ACQUIRED = "acquired", _("Acquired")

    class Crm(models.TextChoices):
        SALESFORCE = "salesforce", _("Salesforce")
        HUBSPOT = "hubspot", _("HubSpot")
        OTHER = "other", _("Other")

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=20, help_text=_("Shown in charts, e.g. 'A' or 'Sensa'.")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    crm = models.CharField(_("CRM"), max_length=20, choices=Crm.choices, default=Crm.OTHER)

    class Meta:
        verbose_name = _("legacy company")
        verbose_name_plural = _("legacy companies")
        ordering = ["merger", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="company_unique_name"),
            models.UniqueConstraint(
                fields=["merger"], condition=Q(role="acquirer"), name="company_one_acquirer"
            ),
        ]

    def __str__(self) -> str:
        return self.name
