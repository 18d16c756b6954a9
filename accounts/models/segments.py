"""The segments a program divides its customers into; what size bands and regions mean."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models.program import Merger


class Segment(models.Model):
    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(_("name"), max_length=120)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    size_band = models.CharField(_("size band"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["merger", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="segment_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SizeBand(models.Model):
    """What a segment's size band means in employees, e.g. Mid-market = 500 to 4,999.

    Segment rules read it: a segment whose `size_band` names a band takes
    accounts whose employee count lies within the band, both ends included.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="size_bands")
    name = models.CharField(_("name"), max_length=60)
    min_employees = models.PositiveIntegerField(_("from employees"), default=0)
    max_employees = models.PositiveIntegerField(
        _("to employees"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )

    class Meta:
        verbose_name = _("size band")
        verbose_name_plural = _("size bands")
        ordering = ["merger", "min_employees", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="size_band_unique_name"),
            models.CheckConstraint(
                condition=Q(max_employees__isnull=True) | Q(max_employees__gte=F("min_employees")),
                name="size_band_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """What a segment's region means in countries, e.g. EMEA = DE, FR, GB, ...

    Regions differ between companies (is Mexico North America or LATAM?), so
    each program says which countries its regions take in.
    """

    merger = models.ForeignKey(Merger, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(_("name"), max_length=60)
    # ISO 3166 alpha-2 codes, upper case, sorted, separated by single spaces.
    countries = models.CharField(
        _("countries"),
        max_length=1000,
        help_text=_("ISO country codes, e.g. 'DE FR GB'."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["merger", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merger", "name"], name="region_unique_name"),
            models.CheckConstraint(
                condition=Q(countries__regex=r"^[A-Z]{2}( [A-Z]{2})*$"),
                name="region_country_codes",
            ),
        ]

    def __str__(self) -> str:
        return self.name
